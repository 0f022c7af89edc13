"""enhanced_inference.py: the models table, a recommendation for a real clip, one-line errors for missing models."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from colorize.assess import PretrainedModelAssessor
from colorize.io import write_png
from colorize.utils.testing import write_clip

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
                          "unet"]
    assert "| not needed | - |" in rows["propagation"]
    inpaint = rows["stable_diffusion_inpaint"]
    assert "| on disk | hf download stable-diffusion-v1-5/stable-diffusion-inpainting |" in inpaint
    assert "| missing | train it with `python train_colorization.py" in rows["unet"]


def test_recommend_for_a_video(script, empty_cache, clip, carphone_frames, tmp_path, capsys):
    reference = tmp_path / "frame0.png"
    write_png(reference, carphone_frames[0])
    assert script.main(["--recommend", str(clip), "--reference", str(reference), "--device", "cpu"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "recommended: propagation"
    assert out[1].startswith("Use propagation: it needs no weights and runs on the CPU, using the colour reference, "
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
                                 "diffusion-inpainting`"),
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
