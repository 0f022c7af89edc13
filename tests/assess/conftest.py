"""A tiny ``custom`` dataset (real carphone frames) for comparisons, and torch on one thread for the tiny models."""

from pathlib import Path

import pytest

import colorize.utils.progress as progress_module
from colorize.evaluation.datasets import to_input
from colorize.io import write_png


@pytest.fixture(autouse=True)
def _quiet_and_one_thread(monkeypatch, one_torch_thread):
    monkeypatch.setattr(progress_module, "disable_progress_bar", True)


@pytest.fixture(scope="session")
def dataset(tmp_path_factory, carphone_frames) -> Path:
    """``custom`` layout: one clip, ``carphone``'s first 4 frames (176x144), gray inputs and true colors."""
    root = tmp_path_factory.mktemp("dataset")
    for sub in ("grayscale", "color"):
        (root / "carphone" / sub).mkdir(parents=True)
    for index, frame in enumerate(carphone_frames[:4]):
        write_png(root / "carphone" / "color" / f"{index:04d}.png", frame)
        write_png(root / "carphone" / "grayscale" / f"{index:04d}.png", to_input(frame))
    return root
