"""Report files from a real (small) evaluation: CSV rows, JSON, markdown table with n/a reasons, plots."""

import csv
import dataclasses
import json
import math

import numpy as np
import pytest

from colorize.errors import InputError
from colorize.evaluation import evaluate, result_rows, summarize, summary_markdown, write_report
from colorize.evaluation.report import RESULT_COLUMNS, SUMMARY_COLUMNS, json_safe
from colorize.evaluation.runner import RunResult
from colorize.metrics import METRIC_NAMES


@pytest.fixture(scope="module")
def evaluation(clips, helpers):
    """gray and copy on two real clips, plus a failed run appended by hand."""
    test_clips = [helpers.array_clip(name, frames[:5]) for name, frames in clips.items()]
    result = evaluate(test_clips, ["gray", "copy"], lpips_weights="/nonexistent")
    result.runs.append(RunResult("copy", "lost", "failed", "not a readable video: lost.mp4"))
    result.clips.append("lost")
    return result


def test_result_rows(evaluation):
    rows = result_rows(evaluation)
    assert len(rows) == 5 and all(list(row) == list(RESULT_COLUMNS) for row in rows)
    ok = rows[0]
    assert (ok["model"], ok["clip"], ok["status"], ok["frames"], ok["reference_frames"]) == ("gray", "carphone", "ok",
                                                                                               5, "0")
    assert isinstance(ok["psnr"], float) and isinstance(ok["fps"], float)
    assert ok["lpips"].startswith("n/a (LPIPS AlexNet weights") and ok["peak_gpu_mem_mib"] == "n/a (no CUDA device)"
    assert rows[-1]["status"] == "failed" and rows[-1]["error"] == "not a readable video: lost.mp4"
    assert all(rows[-1][name] == "n/a" for name in METRIC_NAMES)


def test_summary_means_over_clips(evaluation):
    summary = summarize(evaluation)
    for model in ("gray", "copy"):
        runs = [r for r in evaluation.runs if r.model == model and r.status == "ok"]
        scores = summary["models"][model]["scores"]
        assert scores["psnr"] == pytest.approx(np.mean([r.metrics.scores["psnr"] for r in runs]))
        assert scores["fps"] == pytest.approx(sum(r.cost.frames for r in runs) / sum(r.cost.seconds for r in runs))
        assert scores["lpips"] == scores["fid"] == "n/a"
    assert summary["models"]["copy"]["clips_ok"] == 2 and summary["models"]["copy"]["clips"] == 3
    assert summary["ground_truth"]["warp_error"] == pytest.approx(
        np.mean([r.metrics.scores["warp_error_gt"] for r in evaluation.runs if r.model == "gray"]))
    assert "not found" in summary["unavailable"]["lpips"][0] and "torch" in summary["unavailable"]["fid"][0]
    assert summary["failures"] == [{"model": "copy", "clip": "lost", "error": "not a readable video: lost.mp4"}]


def test_summary_markdown(evaluation):
    text = summary_markdown(summarize(evaluation))
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("| model |"))
    assert header.count("|") == len(SUMMARY_COLUMNS) + 3 and "PSNR (dB) ↑" in header and "LPIPS ↓" in header
    copy_row = next(line for line in lines if line.startswith("| copy |")).split("|")
    assert copy_row[2].strip() == "2/3" and copy_row[5].strip() == "n/a"  # LPIPS column
    assert copy_row[3].strip().startswith("**")  # copy beats gray on PSNR: bold
    reasons = text[text.index("**n/a (unavailable)"):]
    assert "- LPIPS: LPIPS AlexNet weights alexnet-owt-7be5be79.pth not found" in reasons
    assert "- copy on lost: not a readable video: lost.mp4" in text


def test_write_report(evaluation, tmp_path):
    out = write_report(evaluation, tmp_path / "out")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["plots", "results.csv", "summary.json", "summary.md"]
    with open(out / "results.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5 and float(rows[1]["psnr"]) > float(rows[0]["psnr"])  # copy > gray on carphone
    summary = json.loads((out / "summary.json").read_text())
    assert summary["models"]["gray"]["scores"]["colorfulness"] == 0.0
    plots = sorted(p.name for p in (out / "plots").iterdir())
    assert {"psnr.png", "ssim.png", "warp_error.png", "psnr_carphone.png", "psnr_bikes.png"} <= set(plots)
    assert "lpips.png" not in plots and "psnr_lost.png" not in plots  # nothing to draw
    assert all((out / "plots" / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in plots)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial left behind

    (out / "stale.txt").write_text("previous run")
    with pytest.raises(InputError, match="previous run"):
        write_report(evaluation, out)
    write_report(evaluation, out, overwrite=True)
    assert not (out / "stale.txt").exists()


def test_json_safe():
    value = json_safe({"psnr": math.inf, "n": np.int64(3), "x": [np.float32(0.5), -math.inf, math.nan]})
    assert value == {"psnr": "inf", "n": 3, "x": [0.5, "-inf", "nan"]}
    json.dumps(value, allow_nan=False)


def test_unavailable_models_get_their_own_list_not_failed_runs(evaluation):
    # Rows of a model whose weights are missing were listed under "Failed runs", once per clip.
    reason = "sdxl: weights are not in the cache; fetch them with `hf download stabilityai/sdxl`"
    runs = evaluation.runs + [RunResult("sdxl", clip, "unavailable", reason) for clip in evaluation.clips]
    with_missing = dataclasses.replace(evaluation, runs=runs, models={**evaluation.models, "sdxl": "SDXL"})
    summary = summarize(with_missing)
    assert summary["unavailable_models"] == [{"model": "sdxl", "reason": reason}]
    assert summary["failures"] == [{"model": "copy", "clip": "lost", "error": "not a readable video: lost.mp4"}]
    text = summary_markdown(summary)
    listed = text[text.index("**Unavailable (weights missing)**"):text.index("**Failed runs**")]
    assert listed.strip().splitlines()[2:] == [f"- sdxl: {reason}"]
    assert "sdxl on" not in text
