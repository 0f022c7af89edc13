"""train_colorization.py: one-line errors with exit 2, --fit-video, and the names notebooks import from it."""

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import colorize
import colorize.utils.cli as cli_module
import colorize.utils.progress as progress_module
from colorize.io import write_png
from colorize.models.unet_network import UNet
from testkit.clips import moving_square_frames, write_clip

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "train_colorization.py"


@pytest.fixture
def script(monkeypatch):
    """The script imported as notebooks do (``from train_colorization import ...``), its logging set-up disabled."""
    monkeypatch.syspath_prepend(str(ROOT))
    module = importlib.import_module("train_colorization")
    monkeypatch.setattr(cli_module, "configure_verbosity", lambda args: None)  # script_main's logging set-up
    monkeypatch.setattr(progress_module, "disable_progress_bar", True)
    yield module
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(True)  # a later run in this process may pick another mixed precision


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_unknown_key_exits_2_with_one_line(tmp_path):
    config = yaml.safe_load((ROOT / "configs" / "training" / "custom_unet.yaml").read_text())
    config["training"]["learning_rate"] = 0.1
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(config))
    result = _run("--config", str(tmp_path / "bad.yaml"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'bad.yaml'}.training: unknown key(s) learning_rate; known keys: output_dir, batch_size, "
        "epochs, max_steps, gradient_accumulation_steps, mixed_precision, max_grad_norm, seed, num_workers, "
        "log_every, validate_every, checkpoint_every, keep_checkpoints, sample_images"]


def test_missing_data_folder_exits_2_with_one_line(tmp_path):
    result = _run("--config", "configs/training/custom_unet.yaml", "--set", f"data.train_dir={tmp_path / 'none'}",
                  "--set", f"training.output_dir={tmp_path / 'run'}")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"error: data folder not found: {tmp_path / 'none'}"
    assert not (tmp_path / "run").exists()


def test_usage_errors(script, capsys):
    assert script.main([]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: give --config FILE (training) or --fit-video VIDEO --keyframes DIR")
    assert script.main(["--config", "x.yaml", "--set", "training.epochs"]) == 2
    assert "--set expects KEY=VALUE" in capsys.readouterr().err


def test_fit_video_writes_a_unet(script, tmp_path, capsys):
    frames = moving_square_frames(6, 32, 48)
    write_clip(tmp_path / "clip.mp4", list(frames))
    (tmp_path / "keys").mkdir()
    write_png(tmp_path / "keys" / "0000.png", frames[0])
    status = script.main(["--fit-video", str(tmp_path / "clip.mp4"), "--keyframes", str(tmp_path / "keys"),
                          "--output", str(tmp_path / "fit"), "--steps", "2", "-q"])
    assert status == 0 and capsys.readouterr().out.strip() == str(tmp_path / "fit" / "unet")
    ab = UNet.from_pretrained(tmp_path / "fit" / "unet").colorize_frames(np.full((1, 32, 48), 50.0, np.float32))
    assert ab.shape == (1, 32, 48, 2)


def test_notebook_imports(script):
    from colorize.datasets import VideoColorizationDataset
    from colorize.training import ColorizationTrainer

    assert script.ColorizationTrainer is ColorizationTrainer and colorize.ColorizationTrainer is ColorizationTrainer
    assert script.VideoColorizationDataset is VideoColorizationDataset
    assert colorize.VideoColorizationDataset is VideoColorizationDataset
