"""Edge-aware chroma upsampling: low-resolution ab under full-resolution luminance.

Chroma is low-frequency, so colorizers work at a reduced size and the chroma is brought back to full
size with a guided filter (He et al., TPAMI 2013) whose guide is the full-resolution L. Colour edges
then follow the luminance edges instead of the blocky low-resolution grid.
"""

import cv2
import numpy as np


def upsample_chroma(ab: np.ndarray, lum: np.ndarray, radius: int = 4, eps: float = 1e-3) -> np.ndarray:
    """Resize ``ab`` (h, w, 2) float32 to the size of ``lum`` (H, W), L in [0, 100]; returns (H, W, 2).

    ``radius`` is in full-resolution pixels; ``eps`` is the guided-filter regulariser on L/100.
    Same size in and out: returns ``ab`` unchanged.
    """
    height, width = lum.shape
    if ab.shape[:2] == (height, width):
        return ab
    up = cv2.resize(ab, (width, height), interpolation=cv2.INTER_LINEAR)
    guide = (lum / 100.0).astype(np.float32)
    return cv2.ximgproc.guidedFilter(guide, up.astype(np.float32), radius, eps)


def resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize ``image`` to ``size`` = (H, W): area averaging to shrink, bicubic to enlarge, as is if equal."""
    if image.shape[:2] == size:
        return image
    shrink = size[0] * size[1] < image.shape[0] * image.shape[1]
    return cv2.resize(image, (size[1], size[0]), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)


def working_size(height: int, width: int, max_side: int) -> tuple[int, int]:
    """(H, W) scaled so the longer side is at most ``max_side`` (never upscaled, even sizes kept >= 16)."""
    scale = min(1.0, max_side / max(height, width))
    return max(16, round(height * scale)), max(16, round(width * scale))
