"""enhanced_inference.py: the models table, a recommendation for a real clip, one-line errors for missing models."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from colorize.assess import PretrainedModelAssessor
from colorize.io import write_png
from testkit.clips import write_clip

SCRIPT = Path(__file__).resolve().parent.parent / "enhanced_inference.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("enhanced_inference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pytestmark = pytest.mark.usefixtures("restore_logging")


@pytest.fixture(scope="module")
def clip(tmp_path_factory, carphone_frames) -> Path:
    return write_clip(tmp_path_factory.mktemp("clip") / "carphone.mp4", list(carphone_frames[:12]))


def test_reexports_the_assessor(script):
    assert script.PretrainedModelAssessor is PretrainedModelAssessor


def test_list_models(script, offline, capsys):
    assert script.main(["--list-models", "--device", "cpu"]) == 0
    rows = {line.split(" | ")[0].strip("| "): line for line in capsys.readouterr().out.splitlines()[2:]}
    assert list(rows) == ["propagation", "stable_diffusion_inpaint", "stable_diffusion_xl", "controlnet_colorization",
                          "unet", "gray", "copy", "chain"]
    assert "| chain | baseline | low | fast |" in rows["chain"]
    assert "| not needed | - |" in rows["propagation"]
    inpaint = rows["stable_diffusion_inpaint"]
    assert "| on disk | hf download stable-diffusion-v1-5/stable-diffusion-inpainting --include " in inpaint
    assert "| missing | train it with `python train_colorization.py" in rows["unet"]


def test_recommend_for_a_video(script, empty_cache, clip, carphone_frames, tmp_path, capsys):
    reference = tmp_path / "frame0.png"
    write_png(reference, carphone_frames[0])
    assert script.main(["--recommend", str(clip), "--reference", str(reference), "--device", "cpu"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "recommended: propagation"
    assert out[1].startswith("Use propagation: it needs no weights and runs on the CPU, using the color reference, "
                             "and for a medium-complexity 176x144 video of 12 frames")
    assert script.main(["--recommend", str(clip), "--device", "cpu"]) == 1  # no reference, no weights: nothing
    assert capsys.readouterr().out.startswith("recommended: none\nNo model is usable here: propagation (needs a")


def run_script(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(cache), "HF_HUB_CACHE": str(cache / "hub"),
           "COLORIZE_NO_PROGRESS": "1"}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("model, expected", [
    ("stable_diffusion_inpaint", "error: stable_diffusion_inpaint: weights of stable-diffusion-v1-5/stable-diffusion-"
                                 "inpainting are not in the local Hugging Face cache ({cache}/hub) and offline mode "
                                 "(HF_HUB_OFFLINE) is on; fetch them with `hf download stable-diffusion-v1-5/stable-"
                                 "diffusion-inpainting --include "),
    ("unet", "error: unet: no checkpoint is registered: train one with `python train_colorization.py --config"),
], ids=["stable_diffusion_inpaint", "unet"])
def test_missing_model_is_one_line_and_exit_2(tmp_path, model, expected):
    result = run_script("--check-model", model, "--device", "cpu", cache=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(expected.format(cache=tmp_path))


def test_usage_errors_are_one_line(script, capsys):
    assert script.main([]) == 2
    assert capsys.readouterr().err.startswith("error: one of the arguments --list-models --recommend --check-model")
    assert script.main(["--recommend", "/nonexistent/clip.mp4", "--device", "cpu"]) == 2
    assert capsys.readouterr().err == "error: video not found: /nonexistent/clip.mp4\n"


def test_one_video(script, clips, tmp_path, capsys):
    args = ["--input", str(clips["a"]), "--output", str(tmp_path / "out"), "--model", "propagation", "--reference",
            str(clips["reference"]), "--ground-truth", "input", "--device", "cpu", "-q"]
    assert script.main(args) == 0
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'out' / 'final_colorized_video.mp4'}: propagation, "
                                              "8 frames, ")
    assert script.main(args) == 2  # the previous run is kept unless --overwrite
    assert "use --overwrite" in capsys.readouterr().err
    assert json.loads((tmp_path / "out" / "run.json").read_text())["temporal"]["lookahead"] == 8  # the YAML's
    assert script.main([*args, "--overwrite", "--temporal-lookahead", "0"]) == 0
    assert json.loads((tmp_path / "out" / "run.json").read_text())["temporal"]["lookahead"] == 0
    assert script.main([*args, "--overwrite", "--temporal-lookahead", "-1"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "error: config: temporal_lookahead must be >= 0, got -1"
    assert script.main([*args, "--overwrite", "--resume"]) == 2  # nothing killed to continue: one line
    assert capsys.readouterr().err.splitlines()[-1] == (f"error: nothing to resume in {tmp_path / 'out'}: no killed "
                                                        "run into it with the same settings")


def test_seed_command_line(script, clips, tmp_path, monkeypatch, capsys):
    """The seed's `enhanced_inference.py --input video.mp4 --mixed-precision`: fp16, outputs in video_colorized/."""
    args = script.build_parser().parse_args(["--input", "video.mp4", "--mixed-precision"])
    assert args.mixed_precision == "fp16" and args.output is None
    assert script.build_parser().parse_args(["--input", "video.mp4"]).mixed_precision == "auto"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "video.mp4").symlink_to(clips["a"])
    assert script.main(["--input", "video.mp4", "--model", "propagation", "--reference", str(clips["reference"]),
                        "--device", "cpu", "-q"]) == 0
    assert capsys.readouterr().out.startswith("video_colorized/final_colorized_video.mp4: propagation, 8 frames")
    assert (tmp_path / "video_colorized" / "run.json").is_file()


def test_batch_from_a_list(script, clips, tmp_path, capsys):
    listing = tmp_path / "videos.txt"
    listing.write_text(f"{clips['a']}\n{clips['broken']}\n")
    args = ["--batch", "--video-list", str(listing), "--output", str(tmp_path / "out"), "--model", "propagation",
            "--reference", str(clips["reference"]), "--device", "cpu", "--no-temporal", "-q"]
    assert script.main(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"ok       {clips['a']}" and out[1].startswith(f"failed   {clips['broken']}: ")
    assert out[2] == f"successful: 1 (skipped as already done: 0), failed: 1; summary in {tmp_path / 'out'}/" \
                     "batch_summary.json"
    run = json.loads((tmp_path / "out" / "a" / "run.json").read_text())
    assert run["temporal"] is None


def test_evaluate_models_writes_the_comparison(script, clips, tmp_path, capsys, empty_cache):
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "a.mp4").symlink_to(clips["a"])
    args = ["--evaluate-models", "propagation", "unet", "--test-dataset", str(dataset), "--output",
            str(tmp_path / "out"), "--max-frames", "6", "--device", "cpu", "-q"]
    assert script.main(args) == 0
    comparison = json.loads((tmp_path / "out" / "model_comparison.json").read_text())
    assert comparison["overall"]["best_model"] == "propagation"
    assert comparison["models"]["propagation"]["scores"]["psnr"] > 25
    assert comparison["models"]["unet"]["status"] == "unavailable"
    assert capsys.readouterr().out.splitlines()[-1] == f"best: propagation; comparison in {tmp_path}/out/" \
                                                       "model_comparison.json"


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    env = {**os.environ, "COLORIZE_NO_PROGRESS": "1"}
    result = subprocess.run([sys.executable, str(SCRIPT), "--input", str(tmp_path / "missing.mp4"), "--output",
                             str(tmp_path / "out"), "--model", "propagation", "--device", "cpu"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert result.stderr == f"error: video not found: {tmp_path / 'missing.mp4'}\n"
