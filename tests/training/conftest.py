"""Tiny training data and a config for it: two videos of a moving square, 32x48, a third one for validation."""

import pytest

import colorize.utils.progress as progress_module
from testkit.datasets import write_frames_dataset


@pytest.fixture(autouse=True)
def _fresh_run(monkeypatch):
    """No progress bars; accelerate's process-wide state reset after each test (as its AccelerateTestCase does),
    so every test can pick its own mixed precision."""
    monkeypatch.setattr(progress_module, "disable_progress_bar", True)
    yield
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(True)


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    write_frames_dataset(root / "train", videos=2, num_frames=5)
    write_frames_dataset(root / "val", videos=1, num_frames=2)
    return root


@pytest.fixture
def tiny_config(tiny_data, tmp_path):
    """A nested config dict: a 4-channel U-Net, batches of 4 crops of 32 px, 4 steps, constant learning rate."""
    return {
        "unet": {"base_channels": 4, "levels": 2},
        "data": {"train_dir": str(tiny_data / "train"), "val_dir": str(tiny_data / "val"), "clip_length": 2,
                 "augment": {"crop_size": 32, "rotate": 5.0}},
        "training": {"output_dir": str(tmp_path / "run"), "batch_size": 4, "max_steps": 4, "log_every": 1,
                     "validate_every": 2, "checkpoint_every": 2, "keep_checkpoints": 1},
        "optimizer": {"lr": 0.01, "scheduler": "constant"},
        "loss": {"reconstruction": 1.0, "temporal": 0.1},
    }
