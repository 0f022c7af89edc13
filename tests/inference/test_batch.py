"""Batches: a broken video is reported and the rest go on, a re-run skips finished videos, processes share a list."""

import json
from pathlib import Path

import pytest

from colorize.errors import InputError
from colorize.inference import EnhancedColorizationInference, merge_summaries, read_video_list, run_batch, shard

pytestmark = pytest.mark.usefixtures("restore_logging")


def test_broken_video_is_reported_and_rerun_skips(clips, tmp_path):
    engine = EnhancedColorizationInference(device="cpu")
    videos = [clips["a"], clips["broken"], clips["b"]]
    summary = engine.batch_process_videos(videos, tmp_path, "propagation", reference=clips["reference"])
    assert (summary["successful"], summary["failed"], summary["skipped"]) == (2, 1, 0)
    broken = summary["videos"][str(clips["broken"])]
    assert broken["status"] == "failed" and "broken.mp4" in broken["error"]
    assert json.loads((tmp_path / "batch_summary.json").read_text()) == summary
    assert (tmp_path / "a" / "final_colorized_video.mp4").is_file() and not (tmp_path / "broken").exists()

    again = engine.batch_process_videos(videos, tmp_path, "propagation", reference=clips["reference"])
    assert [r["status"] for r in again["videos"].values()] == ["skipped", "failed", "skipped"]
    redone = engine.batch_process_videos([clips["a"]], tmp_path, "propagation", reference=clips["reference"],
                                         overwrite=True)
    assert redone["videos"][str(clips["a"])]["status"] == "ok"


def test_two_processes_share_the_list_and_merge(tmp_path):
    videos = [Path(f"/videos/clip{i}.mp4") for i in range(5)]
    seen = []

    def process(video: Path, output_dir: Path) -> dict:
        seen.append(video)
        if video.name == "clip3.mp4":
            raise RuntimeError("decoder crashed")
        return {"model": "fake", "frames": 1}

    for rank in (0, 1):  # what two processes under accelerate launch do, one after the other here
        run_batch(process, videos, tmp_path, rank=rank, world_size=2)
    assert seen == videos[0::2] + videos[1::2] and shard(videos, 1, 2) == videos[1::2]
    summary = merge_summaries(tmp_path, 2)
    assert (summary["successful"], summary["failed"]) == (4, 1)
    assert summary["videos"]["/videos/clip3.mp4"]["error"] == "RuntimeError: decoder crashed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch_summary.json"]


def test_video_list_and_name_clashes(tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("# clips\nclip.mp4\n\n/abs/other.mp4  # absolute\n")
    assert read_video_list(listing) == [tmp_path / "clip.mp4", Path("/abs/other.mp4")]
    with pytest.raises(InputError, match="same name"):
        run_batch(lambda v, o: {}, ["x/a.mp4", "y/a.mp4"], tmp_path)
