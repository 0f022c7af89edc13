"""Batches: a broken video is reported and the rest go on, a re-run skips finished videos, processes share a list
(two real CPU processes under accelerate's debug_launcher) and each places its models on its own GPU."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from colorize.errors import InputError
from colorize.inference import EnhancedColorizationInference, read_video_list, run_batch
from colorize.inference.batch import SingleProcess
from colorize.inference.engine import placement

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


def _batch_on_two_processes(base: str) -> None:
    """One of two CPU processes under accelerate's debug_launcher (gloo): a batch with a failing video."""
    from accelerate import PartialState
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(reset_partial_state=True)  # forked from pytest, which may hold a 1-process state
    state = PartialState(cpu=True)  # the launcher's two processes are CPU ones

    def process(video: Path, output_dir: Path) -> dict:
        output_dir.mkdir(parents=True)
        (output_dir / "rank").write_text(str(state.process_index))
        if video.name == "clip3.mp4":
            raise RuntimeError("decoder crashed")
        return {"model": "fake", "frames": 1}

    summary = run_batch(process, [Path(f"/videos/clip{i}.mp4") for i in range(5)], base)
    (Path(base) / f"returned{state.process_index}.json").write_text(json.dumps(summary))


def test_two_processes_share_the_list_and_gather(tmp_path):
    from accelerate import debug_launcher

    debug_launcher(_batch_on_two_processes, args=(str(tmp_path),), num_processes=2)
    ranks = [(tmp_path / f"clip{i}" / "rank").read_text() for i in range(5)]
    assert ranks == ["0", "0", "0", "1", "1"]  # split_between_processes: contiguous shares
    summary = json.loads((tmp_path / "batch_summary.json").read_text())  # written once, by the main process
    assert (summary["successful"], summary["failed"]) == (4, 1)
    assert summary["videos"]["/videos/clip3.mp4"]["error"] == "RuntimeError: decoder crashed"
    assert list(summary["videos"]) == [f"/videos/clip{i}.mp4" for i in range(5)]  # gathered in list order
    for rank in (0, 1):  # every process returns the whole batch's summary (gather_object)
        assert json.loads((tmp_path / f"returned{rank}.json").read_text()) == summary
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "batch_summary.json", "returned0.json", "returned1.json"]


def test_one_process_without_accelerate_runs_everything(tmp_path):
    summary = run_batch(lambda video, out: {"frames": 1}, ["a.mp4", "b.mp4"], tmp_path, state=SingleProcess())
    assert summary["successful"] == 2 and (tmp_path / "batch_summary.json").is_file()


def test_each_process_places_models_on_its_own_gpu(monkeypatch):
    """Under accelerate launch, process 1 of 2 puts its CUDA models on cuda:1 and shows no progress bars."""
    import torch

    import colorize.utils.progress as progress_bars

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(progress_bars, "disable_progress_bar", False)
    second = SimpleNamespace(process_index=1, num_processes=2, is_main_process=False, device=torch.device("cuda", 1))
    engine = EnhancedColorizationInference(device="cuda", state=second)
    assert engine.device == engine.settings.device == "cuda:1"
    assert progress_bars.disable_progress_bar
    assert placement("cpu", second) == "cpu"  # --device cpu stays on the CPU
    only = SimpleNamespace(num_processes=1, device=torch.device("cuda"))
    assert placement("cuda", only) == "cuda"


def test_video_list_and_name_clashes(tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("# clips\nclip.mp4\n\n/abs/other.mp4  # absolute\n")
    assert read_video_list(listing) == [tmp_path / "clip.mp4", Path("/abs/other.mp4")]
    with pytest.raises(InputError, match="same name"):
        run_batch(lambda v, o: {}, ["x/a.mp4", "y/a.mp4"], tmp_path)
