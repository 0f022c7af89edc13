"""evaluate_models.py end to end on a tiny ``videos`` dataset made from the bundled sample clips."""

import csv
import importlib.util
import json
import logging
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import colorize.utils.progress as progress_module
from colorize.color import resize
from colorize.data import SAMPLE_CLIPS, sample_video
from colorize.io import VideoWriter, iter_frames

SCRIPT = Path(__file__).resolve().parent.parent / "evaluate_models.py"
MODELS = ("gray", "copy", "chain", "anchored")


def load_script():
    spec = importlib.util.spec_from_file_location("evaluate_models", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _quiet(monkeypatch, restore_logging):
    """No progress bars, and the ``colorize`` logger put back as it was after main() configured it."""
    monkeypatch.setattr(progress_module, "disable_progress_bar", True)


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """The first 12 frames of each bundled clip at 160 px wide, as MP4, plus a text file named broken.mp4."""
    root = tmp_path_factory.mktemp("videos")
    for name in SAMPLE_CLIPS:
        frames = list(iter_frames(sample_video(name), max_frames=12))
        height = 2 * round(frames[0].shape[0] * 160 / frames[0].shape[1] / 2)
        with VideoWriter(root / f"{name}.mp4", Fraction(25), 160, height) as writer:
            for frame in frames:
                writer.write(resize(frame, (height, 160)))
    (root / "broken.mp4").write_text("this is not a video")
    return root


@pytest.fixture(scope="module")
def run(script, dataset, tmp_path_factory):
    """One full run with the default models; returns (exit status, output folder)."""
    out = tmp_path_factory.mktemp("eval") / "out"
    logger = logging.getLogger("colorize")
    saved = logger.handlers[:], logger.level, logger.propagate
    status = script.main(["--dataset-name", "videos", "--dataset-path", str(dataset), "--output-dir", str(out),
                          "--device", "cpu", "-q"])
    logger.handlers[:], logger.level, logger.propagate = saved
    return status, out


def test_end_to_end(run):
    status, out = run
    assert status == 0
    with open(out / "results.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    clips = ("bigbuckbunny", "bikes", "broken", "carphone")
    assert len(rows) == len(MODELS) * len(clips)
    assert {(row["model"], row["clip"]) for row in rows} == {(m, c) for m in MODELS for c in clips}
    for row in rows:
        if row["clip"] == "broken":  # recorded as failed, with the reason
            assert row["status"] == "failed" and row["error"].startswith("not a readable video")
            continue
        assert row["status"] == "ok" and row["frames"] == "12" and row["width"] == "160"
        assert row["lpips"].startswith("n/a (LPIPS AlexNet weights")  # no weights here: a reason, not a number
        for name in ("psnr", "ssim", "warp_error", "cdc", "fps"):
            assert np.isfinite(float(row[name])), (row["model"], row["clip"], name)
    psnr = {(row["model"], row["clip"]): float(row["psnr"]) for row in rows if row["status"] == "ok"}
    for clip in ("bigbuckbunny", "bikes", "carphone"):
        assert psnr[("anchored", clip)] > psnr[("gray", clip)] + 5

    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["models"]) == list(MODELS)
    assert all(model["clips_ok"] == 3 and model["clips"] == 4 for model in summary["models"].values())
    assert summary["models"]["anchored"]["scores"]["psnr"] > summary["models"]["gray"]["scores"]["psnr"]
    assert summary["models"]["anchored"]["scores"]["lpips"] == "n/a" and summary["unavailable"]["lpips"]
    assert len(summary["failures"]) == len(MODELS)
    assert summary["settings"]["command"].startswith("python evaluate_models.py --dataset-name videos")

    text = (out / "summary.md").read_text()
    assert all(f"| {model} | 3/4 |" in text for model in MODELS) and "| n/a |" in text
    assert "- LPIPS: LPIPS AlexNet weights alexnet-owt-7be5be79.pth not found" in text
    plots = {p.name for p in (out / "plots").iterdir()}
    assert {"psnr.png", "warp_error.png", "fps.png", "psnr_bikes.png", "psnr_carphone.png"} <= plots


def test_existing_output_is_refused(script, run, dataset, capsys):
    status = script.main(["--dataset-name", "videos", "--dataset-path", str(dataset), "--output-dir", str(run[1])])
    assert status == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: output directory already holds a previous run: {run[1]} (use --overwrite to replace it)"]


@pytest.mark.parametrize("extra, message", [
    (["--dataset-path", "{tmp}/nowhere"], "error: dataset folder not found: "),
    (["--dataset-path", "{tmp}"], "error: no clips found in "),
    (["--models", "gray", "magic"], "error: unknown model 'magic': choose one of propagation, stable_diffusion"),
    (["--reference", "keyframes:0"], "error: reference protocol must be 'first' or 'keyframes:K'"),
    (["--max-frames", "0"], "error: --max-frames must be at least 1, got 0"),
    (["--dataset-name", "kinetics"], "error: argument --dataset-name: invalid choice: 'kinetics'"),
])
def test_bad_input_exits_2_with_one_line(script, dataset, tmp_path, capsys, extra, message):
    args = ["--dataset-name", "videos", "--dataset-path", str(dataset), "--output-dir", str(tmp_path / "out")]
    args += [value.format(tmp=tmp_path) for value in extra]
    status = script.main(args)
    err = capsys.readouterr().err.splitlines()
    assert status == 2 and len(err) == 1 and err[0].startswith(message), err
    assert not (tmp_path / "out").exists()


def test_nothing_evaluated_exits_1(script, tmp_path, capsys):
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "a.mp4").write_text("not a video")
    status = script.main(["--dataset-name", "videos", "--dataset-path", str(tmp_path / "videos"),
                          "--output-dir", str(tmp_path / "out"), "--models", "gray", "-q"])
    assert status == 1
    with open(tmp_path / "out" / "results.csv", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["status"] == "failed" and row["error"].startswith("not a readable video")


def test_any_registered_model_with_missing_weights_gets_a_row(script, dataset, tmp_path, empty_cache):
    """The seed's example: the diffusion models (no weights here) beside propagation, exit 0."""
    out = tmp_path / "out"
    status = script.main(["--dataset-name", "videos", "--dataset-path", str(dataset), "--output-dir", str(out),
                          "--models", "stable_diffusion_inpaint", "stable_diffusion_xl", "controlnet_colorization",
                          "anchored", "--max-frames", "3", "--device", "cpu", "-q"])
    assert status == 0
    with open(out / "results.csv", newline="") as handle:
        rows = {(row["model"], row["clip"]): row for row in csv.DictReader(handle)}
    for clip in ("bikes", "carphone"):
        assert rows[("anchored", clip)]["status"] == "ok" and float(rows[("anchored", clip)]["psnr"]) > 25
        for model, repo in (("stable_diffusion_inpaint", "stable-diffusion-v1-5/stable-diffusion-inpainting"),
                            ("stable_diffusion_xl", "stabilityai/stable-diffusion-xl-base-1.0"),
                            ("controlnet_colorization", "latentcat/control_v1p_sd15_brightness")):
            row = rows[(model, clip)]
            assert row["status"] == "unavailable" and f"hf download {repo}" in row["error"], row["error"]
            assert row["psnr"] == "n/a"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["models"]["stable_diffusion_xl"]["clips_ok"] == 0
    assert summary["models"]["stable_diffusion_xl"]["description"].startswith("Stable Diffusion XL")
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(dataset / "carphone.mp4", clean)
    only_missing = script.main(["--dataset-name", "videos", "--dataset-path", str(clean), "--output-dir",
                                str(tmp_path / "out2"), "--models", "stable_diffusion_xl", "--max-frames", "2", "-q"])
    assert only_missing == 0  # nothing failed: the row says what is missing and how to get it


def test_help_does_not_import_torch():
    # torch and torchmetrics take seconds to import (5.4 s for --help before); the help and the argument checks
    # need neither.
    script = ("import runpy, sys\n"
              "sys.argv = ['evaluate_models.py', '--help']\n"
              "try:\n"
              f"    runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
              "except SystemExit:\n"
              "    pass\n"
              "print('torch' in sys.modules, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "--dataset-name" in result.stdout
    assert result.stderr.strip() == "False"
