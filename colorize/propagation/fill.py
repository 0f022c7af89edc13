"""Edge-aware filling of low-confidence chroma (normalised convolution under a luminance guide).

``fill = S(w · ab) / S(w)`` where ``S`` is OpenCV's fast global smoother (Min et al., TIP 2014) guided by
the frame's luminance: confident colors spread into uncertain pixels without crossing luminance edges.
Chroma is low-frequency, so the spread can run on a smaller copy of the frame (``max_side``): a 640x360 frame with
1 % unsure pixels costs about 1.1 ms at 160 px instead of 12 ms at full size.
"""

import cv2
import numpy as np

from colorize.color import working_size
from colorize.utils.opencv import ximgproc


def edge_aware_fill(ab: np.ndarray, weight: np.ndarray, lum8: np.ndarray, lambda_: float = 200.0,
                    sigma_color: float = 8.0, max_side: int | None = None) -> np.ndarray:
    """Blend ``ab`` (H, W, 2) with its edge-aware spread by confidence ``weight`` (H, W) in [0, 1].

    ``lum8`` is the (H, W) uint8 luminance guide; ``lambda_`` sets the smoothing reach and
    ``sigma_color`` (in uint8 luminance levels) how strongly luminance edges stop it; ``max_side``: the spread is
    computed at this longer side (px) and upsampled bilinearly (None: at full size).
    Returns (H, W, 2) float32: ``w · ab + (1 - w) · fill`` (exactly ``ab`` where ``w`` is 1).
    """
    ab = np.array(ab, np.float32)  # a copy: the input is never modified
    weight = weight.astype(np.float32, copy=False)
    unsure = np.flatnonzero(weight < 1.0)
    if not unsure.size:
        return ab
    flat_ab, w = ab.reshape(-1, 2), weight.reshape(-1)[unsure, None]
    kept = flat_ab[unsure]
    flat_ab[unsure] = w * kept  # ab becomes w · ab (w is 1 elsewhere); restored below
    height, width = lum8.shape
    size = working_size(height, width, max_side)
    weighted, weight_sum = ab, weight
    if size != (height, width):
        weighted, weight_sum, lum8 = (cv2.resize(image, size[::-1], interpolation=cv2.INTER_AREA)
                                      for image in (ab, weight, lum8))
    smoother = ximgproc().createFastGlobalSmootherFilter(lum8, lambda_, sigma_color)
    fill = smoother.filter(weighted) / np.maximum(smoother.filter(weight_sum), 1e-4)[..., None]
    if size != (height, width):
        fill = cv2.resize(fill, (width, height), interpolation=cv2.INTER_LINEAR)
    flat_ab[unsure] = w * kept + (1.0 - w) * fill.reshape(-1, 2)[unsure]
    return ab
