"""Frame 0 of the rendered scene as a keyframe, and every frame's luminance and Lab. The scene itself
(``synthetic_video``) and the tiny depth and segmentation models are in tests/conftest.py, shared with the pipeline and
CLI tests."""

import numpy as np
import pytest

from colorize.color import luminance_to_uint8, rgb_to_lab
from colorize.propagation import Keyframe


@pytest.fixture(scope="session")
def synthetic_lab(synthetic_video) -> tuple[Keyframe, list[np.ndarray], list[np.ndarray]]:
    """Frame 0 as a keyframe with its true colours, every frame's (H, W) uint8 luminance and (H, W, 3) Lab."""
    labs = [rgb_to_lab(frame) for frame in synthetic_video.rgb]
    lums = [luminance_to_uint8(lab[..., 0]) for lab in labs]
    return Keyframe(0, lums[0], labs[0][..., 1:].copy()), lums, labs
