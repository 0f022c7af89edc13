"""Global color prior from an exemplar photo that is *not* a frame of the video.

Luminance-statistics matching in the spirit of Welsh et al. (SIGGRAPH 2002): every pixel is described by
its luminance (after matching the exemplar's mean and spread to the target's) and its local texture
(standard deviation over 5×5). The exemplar's mean chroma per (luminance, texture) cell is looked up for
each target pixel, and the result is smoothed edge-aware under the target's luminance.

How far to trust it depends on how alike the two pictures are: the *strength* is the squared Bhattacharyya
coefficient of their (luminance, texture) histograms, in [0, 1], and the chroma is scaled by it, because
full-strength colors of the wrong scene score below gray.

An exemplar from another shot of the same video (``other_shot``: the prior of a shot without a keyframe) is scaled
by strength² (its content is another scene's), but its *cast*, the mean chroma along the daylight axis, is kept at
full strength: the shots of one video share their white balance, photos do not. The measurements behind these
choices are in benchmarks/README.md ("Measurements once kept in module docstrings").
"""

import logging

import cv2
import numpy as np

from colorize.propagation.fill import edge_aware_fill

logger = logging.getLogger(__name__)

_LUM_BINS, _TEX_BINS, _TEX_MAX = 64, 16, 40.0
# Unit direction in (a, b) in which a warmer white balance moves every color: from the D65 white towards D50's,
# whose Lab under D65 is (a, b) = (2.38, 17.6).
_DAYLIGHT_AXIS = (np.array((2.38, 17.6)) / np.hypot(2.38, 17.6)).astype(np.float32)


def transfer_chroma(target_lum8: np.ndarray, ref_lum8: np.ndarray, ref_ab: np.ndarray,
                    other_shot: bool = False) -> np.ndarray:
    """Chroma (H, W, 2) float32 for ``target_lum8`` (H, W) uint8 from an exemplar (h, w) uint8 + (h, w, 2) ab.

    ``other_shot``: the exemplar is another shot of the same video: its white balance (:func:`colour_cast`) is kept
    at full strength and the matched content is scaled by strength² instead of strength.
    """
    ref_lum = ref_lum8.astype(np.float32)
    target_lum = target_lum8.astype(np.float32)
    # Match the exemplar's luminance distribution to the target's (mean and standard deviation).
    ref_lum = (ref_lum - ref_lum.mean()) * (target_lum.std() + 1e-3) / (ref_lum.std() + 1e-3) + target_lum.mean()
    ref_cells = _cells(ref_lum)
    target_cells = _cells(target_lum)

    # Mean exemplar chroma per cell, with empty cells filled from their neighbours (normalised convolution).
    count = np.bincount(ref_cells.ravel(), minlength=_LUM_BINS * _TEX_BINS).astype(np.float32)
    table = np.stack([np.bincount(ref_cells.ravel(), weights=ref_ab[..., c].ravel(), minlength=count.size)
                      for c in range(2)], axis=-1).astype(np.float32)
    shape = (_LUM_BINS, _TEX_BINS)
    blurred_count = cv2.GaussianBlur(count.reshape(shape), (0, 0), 1.5)
    blurred_table = cv2.GaussianBlur(table.reshape(*shape, 2), (0, 0), 1.5)
    table = blurred_table / np.maximum(blurred_count, 1e-6)[..., None]
    if not np.isfinite(table).all() or blurred_count.max() == 0:
        return np.zeros((*target_lum8.shape, 2), np.float32)

    ab = table.reshape(-1, 2)[target_cells]
    confidence = np.clip(blurred_count.ravel()[target_cells] / (count.sum() / count.size + 1e-6), 0.0, 1.0)
    target_histogram = np.bincount(target_cells.ravel(), minlength=count.size) / target_cells.size
    strength = float(np.sum(np.sqrt(count / count.sum() * target_histogram))) ** 2
    logger.debug("color prior strength %.2f", strength)
    cast = colour_cast(ref_ab) if other_shot else np.zeros(2, np.float32)
    content = edge_aware_fill(ab, confidence, target_lum8, lambda_=400.0) - cast
    return cast + (strength**2 if other_shot else strength) * content


def colour_cast(ab: np.ndarray) -> np.ndarray:
    """(2,) float32: the white-balance part of an image's chroma ``ab`` (..., 2), its mean along the daylight axis."""
    return float(ab.reshape(-1, 2).mean(0) @ _DAYLIGHT_AXIS) * _DAYLIGHT_AXIS


def _cells(lum: np.ndarray) -> np.ndarray:
    mean = cv2.blur(lum, (5, 5))
    texture = np.sqrt(np.maximum(cv2.blur(lum * lum, (5, 5)) - mean * mean, 0.0))
    lum_bin = np.clip(lum * (_LUM_BINS / 256.0), 0, _LUM_BINS - 1).astype(np.int64)
    tex_bin = np.clip(texture * (_TEX_BINS / _TEX_MAX), 0, _TEX_BINS - 1).astype(np.int64)
    return lum_bin * _TEX_BINS + tex_bin
