"""Evaluation test material: a few real frames of the bundled sample clips, downscaled so tests stay fast."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import colorize.utils.progress as progress_module
from colorize.color import resize
from colorize.data import sample_video
from colorize.evaluation import Clip
from colorize.evaluation.datasets import to_input
from colorize.io import iter_frames


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch):
    monkeypatch.setattr(progress_module, "disable_progress_bar", True)


def real_frames(name: str, count: int = 8, width: int = 96) -> np.ndarray:
    """(count, H, width, 3) uint8 RGB: the first frames of bundled sample clip ``name``, resized (even height)."""
    frames = list(iter_frames(sample_video(name), max_frames=count))
    height = 2 * round(frames[0].shape[0] * width / frames[0].shape[1] / 2)
    return np.stack([resize(frame, (height, width)) for frame in frames])


def array_clip(name: str, frames: np.ndarray) -> Clip:
    """A clip over in-memory ground-truth ``frames``, its input their luminance (as the videos layout does)."""
    return Clip(name, lambda: (to_input(frame) for frame in frames), lambda: iter(frames), len(frames), Path(name))


@pytest.fixture(scope="session")
def clips() -> dict[str, np.ndarray]:
    """Eight real frames each of ``carphone`` (96 × 78) and ``bikes`` (96 × 40)."""
    return {"carphone": real_frames("carphone"), "bikes": real_frames("bikes")}


@pytest.fixture(scope="session")
def helpers():
    """The helpers above (importing from conftest is unreliable with several conftest files)."""
    return SimpleNamespace(real_frames=real_frames, array_clip=array_clip)
