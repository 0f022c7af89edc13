"""Turning user-supplied colour images into keyframes of the video."""

import logging
from dataclasses import dataclass

import numpy as np

from colorize.color import luminance_to_uint8, resize, rgb_to_lab
from colorize.propagation.base import Keyframe
from colorize.propagation.prior import transfer_chroma

logger = logging.getLogger(__name__)

# Mean absolute luminance difference (uint8 levels) under which a reference counts as the frame itself.
SAME_FRAME_TOLERANCE = 4.0


@dataclass
class Reference:
    """A colour image at working resolution: ``lum8`` (H, W) uint8 and ``ab`` (H, W, 2) float32."""

    lum8: np.ndarray
    ab: np.ndarray

    @classmethod
    def from_rgb(cls, rgb: np.ndarray, size: tuple[int, int]) -> "Reference":
        """``rgb`` (h, w, 3) uint8 RGB resized (area to shrink, bicubic to enlarge) to ``size`` = (H, W)."""
        lab = rgb_to_lab(resize(rgb, size))
        return cls(luminance_to_uint8(lab[..., 0]), lab[..., 1:].copy())


def make_keyframe(index: int, frame_lum8: np.ndarray, reference: Reference) -> Keyframe:
    """Keyframe for frame ``index``: the reference's chroma if it is this frame, else a matched prior.

    A reference whose luminance is this frame's (up to compression noise) gives its chroma as is. Any
    other photo (a similar scene, another moment) gives chroma by global luminance/texture matching.
    """
    difference = float(np.abs(frame_lum8.astype(np.float32) - reference.lum8).mean())
    if difference <= SAME_FRAME_TOLERANCE:
        return Keyframe(index, frame_lum8, reference.ab)
    logger.info("reference for frame %d differs from the frame (mean |ΔL| %.1f levels): using global colour "
                "matching", index, difference)
    return Keyframe(index, frame_lum8, transfer_chroma(frame_lum8, reference.lum8, reference.ab))
