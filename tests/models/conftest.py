"""Real luminance frames, tiny-model settings and the end-to-end check every diffusers backend goes through.

The tiny pipelines themselves sit in a Hugging Face cache under the real model ids (``hub_cache`` in
tests/conftest.py), so that the backends load them through their real ``from_pretrained`` path.
"""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from colorize.color import rgb_to_luminance
from colorize.models import ColorizerSettings, colorize_rgb, make_colorizer


@pytest.fixture(autouse=True)
def _tiny_models_on_one_thread(one_torch_thread):
    pass


@pytest.fixture(scope="session")
def lum(carphone_frames) -> np.ndarray:
    """(3, 144, 176) float32 L in [0, 100]: the luminance of carphone's first three frames."""
    return np.stack([rgb_to_luminance(frame) for frame in carphone_frames[:3]])


@pytest.fixture(scope="session")
def settings() -> ColorizerSettings:
    """CPU, 2 steps, 64-px generation (the tiny models' size), 2 frames per batch."""
    return ColorizerSettings(device="cpu", inference_steps=2, resolution=64, batch_size=2)


def check_chroma(ab: np.ndarray, lum: np.ndarray) -> None:
    """Chroma of the frames' size, finite, in Lab range, and colored (not the gray of an empty prediction)."""
    assert ab.shape == (*lum.shape, 2) and ab.dtype == np.float32
    assert np.isfinite(ab).all() and np.abs(ab).max() <= 128.0
    assert np.abs(ab).mean() > 1.0  # a gray output would be 0


L_BOUND = 0.5  # |ΔL| allowed by the uint8 rounding of compose_lab's output (see tests/color/test_lab.py)


def check_end_to_end(model_id: str, settings: ColorizerSettings, frames: np.ndarray):
    """Build ``model_id`` through its real loading code and colorize ``frames`` ((N, H, W, 3) uint8 RGB).

    Checks the chroma, that the same seed gives the same chroma and another seed other chroma, and that the RGB
    output keeps each input frame's L while the raw generation does not. Returns (colorizer, chroma).
    """
    lum = np.stack([rgb_to_luminance(frame) for frame in frames])
    colorizer = make_colorizer(model_id, settings)
    ab = colorizer.colorize(lum)
    check_chroma(ab, lum)
    np.testing.assert_array_equal(colorizer.colorize(lum), ab)  # fixed seed: reproducible
    other = make_colorizer(model_id, dataclasses.replace(settings, seed=1)).colorize(lum)
    assert np.abs(other - ab).mean() > 0.5  # the chroma comes from the generation, which the seed changes

    output = np.stack(list(colorize_rgb(colorizer, frames)))
    assert output.shape == frames.shape and output.dtype == np.uint8
    kept = np.abs(np.stack([rgb_to_luminance(frame) for frame in output]) - lum)
    assert kept.max() < L_BOUND

    import torch

    gray = torch.from_numpy(frames[:1, :64, :64].mean(-1, dtype=np.float32) / 255.0)[:, None].expand(-1, 3, -1, -1)
    raw = colorizer.generate(gray, [torch.Generator().manual_seed(0)])  # what the pipeline itself outputs
    raw_lum = rgb_to_luminance(np.clip(raw[0], 0.0, 1.0))
    assert np.abs(raw_lum - rgb_to_luminance(frames[0, :64, :64])).mean() > 2 * L_BOUND  # not the input's L
    return colorizer, ab


@pytest.fixture(scope="session")
def helpers():
    """Shared helpers (importing from conftest is unreliable with several conftest files)."""
    return SimpleNamespace(check_chroma=check_chroma, check_end_to_end=check_end_to_end)
