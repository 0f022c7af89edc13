"""Propagation fixtures: clips in Lab (carphone, or any frames), and running a propagator from a true keyframe
while scoring it."""

from types import SimpleNamespace

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_lab
from colorize.propagation import ChromaPropagator, Keyframe


def _lab_clip(frames: np.ndarray) -> SimpleNamespace:
    """``rgb`` (T, H, W, 3) uint8 frames as given, ``lum`` (T, H, W) L, ``lum8`` its uint8 scale, ``ab``."""
    lab = np.stack([rgb_to_lab(frame) for frame in frames])
    return SimpleNamespace(rgb=frames, lum=lab[..., 0], lum8=luminance_to_uint8(lab[..., 0]), ab=lab[..., 1:])


@pytest.fixture(scope="session")
def lab_clip():
    """``lab_clip(frames) -> clip``: (T, H, W, 3) uint8 RGB frames with their Lab planes, as ``carphone_lab``."""
    return _lab_clip


@pytest.fixture(scope="session")
def carphone_lab(carphone_frames):
    """The first 40 carphone frames: ``rgb`` (T, H, W, 3) uint8, ``lum`` (T, H, W) L, ``lum8``, ``ab``."""
    return _lab_clip(carphone_frames[:40])


def _run(propagator: ChromaPropagator, clip, num_frames: int):
    """Propagate the true chroma of frame 0 over ``num_frames`` frames; returns (steps, PSNR of frames 1..N-1)."""
    steps = [propagator.reset(Keyframe(0, clip.lum8[0], clip.ab[0].copy()))]
    steps += [propagator.step(clip.lum8[t]) for t in range(1, num_frames)]
    psnr = np.array([peak_signal_noise_ratio(clip.rgb[t], compose_lab(clip.lum[t], steps[t].ab))
                     for t in range(1, num_frames)])
    return steps, psnr


@pytest.fixture(scope="session")
def run_propagator():
    """``run_propagator(propagator, clip, num_frames) -> (steps, per-frame PSNR of frames 1..N-1)``."""
    return _run


@pytest.fixture
def colorize_caplog(caplog):
    """``caplog`` that also sees records when the ``colorize`` logger does not propagate to the root.

    ``colorize.utils.logging.configure_logging`` (called by the CLI, maybe by another test) sets
    ``propagate = False``; pytest's handler sits on the root logger. Records may appear twice: check with ``any``.
    """
    import logging

    logger = logging.getLogger("colorize")
    level = logger.level
    logger.addHandler(caplog.handler)
    logger.setLevel(logging.DEBUG)
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.setLevel(level)
