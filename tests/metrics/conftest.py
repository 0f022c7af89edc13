"""Test clips for the metrics: real photographs from scikit-image, moved by known whole-pixel steps."""

from types import SimpleNamespace

import numpy as np
import pytest
import skimage.color
import skimage.data

import colorize.utils.progress as progress_module

REAL_IMAGES = ("astronaut", "coffee", "chelsea")


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch):
    monkeypatch.setattr(progress_module, "disable_progress_bar", True)


def real_image(name: str) -> np.ndarray:
    """(H, W, 3) uint8 RGB photograph shipped with scikit-image."""
    return getattr(skimage.data, name)()


def moving_clip(image: np.ndarray, frames: int = 6, step: tuple[int, int] = (2, 3),
                size: tuple[int, int] = (128, 160)) -> np.ndarray:
    """(T, h, w, 3) crops of ``image`` whose window moves ``step`` = (dy, dx) pixels per frame (a camera pan)."""
    height, width = size
    return np.stack([image[t * step[0]:t * step[0] + height, t * step[1]:t * step[1] + width]
                     for t in range(frames)])


def hue_rotate(frame: np.ndarray, turn: float = 1 / 3) -> np.ndarray:
    """``frame`` (uint8 RGB) with its hue rotated by ``turn`` of a full circle; lightness kept roughly."""
    hsv = skimage.color.rgb2hsv(frame)
    hsv[..., 0] = (hsv[..., 0] + turn) % 1.0
    return np.clip(np.rint(skimage.color.hsv2rgb(hsv) * 255), 0, 255).astype(np.uint8)


def gray(video: np.ndarray) -> np.ndarray:
    """Same frames with R = G = B = their mean (a gray video)."""
    mean = np.rint(video.astype(np.float64).mean(axis=-1, keepdims=True)).astype(np.uint8)
    return np.repeat(mean, 3, axis=-1)


def add_noise(image: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(np.rint(image + rng.normal(0, sigma, image.shape)), 0, 255).astype(np.uint8)


@pytest.fixture(params=REAL_IMAGES)
def photo(request) -> np.ndarray:
    return real_image(request.param)


@pytest.fixture(scope="session")
def clip() -> np.ndarray:
    """Six frames of a pan across the astronaut photograph."""
    return moving_clip(real_image("astronaut"))


@pytest.fixture(scope="session")
def helpers():
    """The helper functions above, for tests (importing from conftest is unreliable with several conftest files)."""
    return SimpleNamespace(real_image=real_image, moving_clip=moving_clip, hue_rotate=hue_rotate, gray=gray,
                           add_noise=add_noise)
