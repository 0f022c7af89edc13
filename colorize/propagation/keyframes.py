"""Turning user-supplied color images into keyframes of the video."""

import logging
from dataclasses import dataclass

import numpy as np

from colorize.color import luminance_to_uint8, resize, rgb_to_lab, working_size
from colorize.propagation.base import Keyframe
from colorize.propagation.prior import transfer_chroma

logger = logging.getLogger(__name__)

# A reference counts as the frame itself when the mean absolute difference of their luminance thumbnails (longer
# side SAME_FRAME_SIDE, area-averaged) is at most SAME_FRAME_TOLERANCE uint8 levels. Thumbnails average out
# compression noise: a frame against its own x264 CRF 30 re-encoding differs by 1.3-5.2 levels (bundled clips and
# the rendered scene; 1.4-7.1 at full size), frame 5 of carphone against frame 0 by 7.0, bikes' by 9.5.
SAME_FRAME_SIDE = 96
SAME_FRAME_TOLERANCE = 6.0


@dataclass
class Reference:
    """A color image at working resolution: ``lum8`` (H, W) uint8 and ``ab`` (H, W, 2) float32."""

    lum8: np.ndarray
    ab: np.ndarray

    @classmethod
    def from_rgb(cls, rgb: np.ndarray, size: tuple[int, int]) -> "Reference":
        """``rgb`` (h, w, 3) uint8 RGB resized (area to shrink, bicubic to enlarge) to ``size`` = (H, W)."""
        lab = rgb_to_lab(resize(rgb, size))
        return cls(luminance_to_uint8(lab[..., 0]), lab[..., 1:].copy())


def make_keyframe(index: int, frame_lum8: np.ndarray, reference: Reference, other_shot: bool = False) -> Keyframe:
    """Keyframe for frame ``index``: the reference's chroma if it is this frame, else a matched prior.

    A reference whose luminance is this frame's (up to compression noise) gives its chroma as is. Any
    other photo (a similar scene, another moment) gives chroma by global luminance/texture matching;
    ``other_shot`` when it comes from another shot of the same video (see :func:`transfer_chroma`).
    """
    difference = thumbnail_difference(frame_lum8, reference.lum8)
    if difference <= SAME_FRAME_TOLERANCE:
        return Keyframe(index, frame_lum8, reference.ab)
    logger.log(logging.DEBUG if other_shot else logging.INFO, "reference for frame %d is not that frame (thumbnails "
               "differ by %.1f levels): using global color matching", index, difference)
    return Keyframe(index, frame_lum8, transfer_chroma(frame_lum8, reference.lum8, reference.ab, other_shot))


def thumbnail_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference (uint8 levels) of two (H, W) uint8 images shrunk to a ``SAME_FRAME_SIDE`` thumbnail."""
    size = working_size(*a.shape, SAME_FRAME_SIDE)
    return float(np.abs(resize(a, size).astype(np.float32) - resize(b, size).astype(np.float32)).mean())
