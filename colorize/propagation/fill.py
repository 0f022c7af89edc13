"""Edge-aware filling of low-confidence chroma (normalised convolution under a luminance guide).

``fill = S(w · ab) / S(w)`` where ``S`` is OpenCV's fast global smoother (Min et al., TIP 2014) guided by
the frame's luminance: confident colours spread into uncertain pixels without crossing luminance edges.
"""

import cv2
import numpy as np


def edge_aware_fill(ab: np.ndarray, weight: np.ndarray, lum8: np.ndarray,
                    lambda_: float = 200.0, sigma_color: float = 8.0) -> np.ndarray:
    """Blend ``ab`` (H, W, 2) with its edge-aware spread by confidence ``weight`` (H, W) in [0, 1].

    ``lum8`` is the (H, W) uint8 luminance guide; ``lambda_`` sets the smoothing reach and
    ``sigma_color`` (in uint8 luminance levels) how strongly luminance edges stop it.
    Returns (H, W, 2) float32: ``w · ab + (1 - w) · fill``.
    """
    weight = weight.astype(np.float32)
    stacked = np.dstack([ab * weight[..., None], weight]).astype(np.float32)
    smoother = cv2.ximgproc.createFastGlobalSmootherFilter(lum8, lambda_, sigma_color)
    smoothed = smoother.filter(stacked)
    fill = smoothed[..., :2] / np.maximum(smoothed[..., 2:], 1e-4)
    w = weight[..., None]
    return (w * ab + (1.0 - w) * fill).astype(np.float32)
