"""A short real clip (carphone, first 16 frames) with a 440 Hz tone track, written once per session."""

from fractions import Fraction

import numpy as np
import pytest

from colorize.data import sample_video
from colorize.io import iter_frames
from testkit.clips import write_clip

NUM_FRAMES = 16
FPS = Fraction(24)


@pytest.fixture(scope="session")
def clip_frames() -> list[np.ndarray]:
    return list(iter_frames(sample_video("carphone"), max_frames=NUM_FRAMES))


@pytest.fixture(scope="session")
def clip_with_tone(tmp_path_factory, clip_frames):
    """Path of an MP4 of ``clip_frames`` at 24 fps with a mono 440 Hz AAC tone as long as the video."""
    path = tmp_path_factory.mktemp("clips") / "carphone_tone.mp4"
    return write_clip(path, clip_frames, FPS, tone_hz=440.0, tone_seconds=NUM_FRAMES / FPS)


@pytest.fixture(scope="session")
def decoded_clip(clip_with_tone) -> list[np.ndarray]:
    """The frames of ``clip_with_tone`` as decoded (what the pipeline sees; x264 changes them slightly)."""
    return list(iter_frames(clip_with_tone))
