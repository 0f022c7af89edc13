"""Chroma upsampling: low-resolution ab brought under the full-resolution luminance.

Chroma is low-frequency, so colorizers work at a reduced size and only the chroma is enlarged; the
full-resolution L is kept as it is. Two methods:

- ``"bilinear"`` (default): plain bilinear interpolation of ab.
- ``"guided"``: bilinear, then a guided filter (He et al., TPAMI 2013) whose guide is the full-resolution L,
  so color edges snap to luminance edges.

The guided filter wins only right at edges: averaged over the image it copies luminance texture into the chroma
and scores lower (benchmarks/README.md), hence bilinear by default.
"""

import cv2
import numpy as np

from colorize.utils.opencv import ximgproc

UPSAMPLING = ("bilinear", "guided")


def upsample_chroma(ab: np.ndarray, lum: np.ndarray, method: str = "bilinear", radius: int = 4,
                    eps: float = 1e-3) -> np.ndarray:
    """Resize ``ab`` (h, w, 2) float32 to the size of ``lum`` (H, W), L in [0, 100]; returns (H, W, 2).

    ``method`` is ``"bilinear"`` or ``"guided"``; for the latter ``radius`` is in full-resolution pixels and
    ``eps`` the guided-filter regulariser on L/100. Same size in and out: returns ``ab`` unchanged.
    """
    if method not in UPSAMPLING:
        raise ValueError(f"unknown chroma upsampling {method!r}; choose one of {UPSAMPLING}")
    height, width = lum.shape
    if ab.shape[:2] == (height, width):
        return ab
    up = cv2.resize(ab, (width, height), interpolation=cv2.INTER_LINEAR)
    if method == "bilinear":
        return up
    guide = (lum / 100.0).astype(np.float32)
    return ximgproc().guidedFilter(guide, up.astype(np.float32), radius, eps)


def resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize ``image`` to ``size`` = (H, W): area averaging to shrink, bicubic to enlarge, as is if equal."""
    if image.shape[:2] == size:
        return image
    shrink = size[0] * size[1] < image.shape[0] * image.shape[1]
    return cv2.resize(image, (size[1], size[0]), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)


def resize_labels(labels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize an (H, W) integer label map (segment / class ids) to ``size`` = (H, W) by nearest neighbour."""
    if labels.shape[:2] == size:
        return labels
    out = cv2.resize(labels.astype(np.int32), (size[1], size[0]), interpolation=cv2.INTER_NEAREST)
    return out.astype(labels.dtype)


def working_size(height: int, width: int, max_side: int | None) -> tuple[int, int]:
    """(H, W) scaled so the longer side is at most ``max_side`` (never upscaled, even sizes kept >= 16); None: as is."""
    if max_side is None:
        return height, width
    scale = min(1.0, max_side / max(height, width))
    return max(16, round(height * scale)), max(16, round(width * scale))
