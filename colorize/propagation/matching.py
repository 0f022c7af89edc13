"""How well a carried source explains the current frame: patch errors on luminance and its gradients."""

import cv2
import numpy as np


def patch_error(lum: np.ndarray, source: np.ndarray, radius: int = 3) -> np.ndarray:
    """Mean structural mismatch over (2r+1)² windows, (H, W) float32 in uint8 luminance levels.

    ``lum`` and ``source`` are (H, W) float32 luminance on the uint8 scale. The error adds the absolute
    difference of the values to that of their horizontal and vertical gradients, so a wrong source of
    similar brightness but different texture still scores badly.
    """
    diff = np.abs(lum - source)
    diff += np.abs(_gradient_x(lum) - _gradient_x(source))
    diff += np.abs(_gradient_y(lum) - _gradient_y(source))
    size = 2 * radius + 1
    return cv2.blur(diff, (size, size))


def confidence(error: np.ndarray, scale: float) -> np.ndarray:
    """Map an error (uint8 levels) to a confidence in (0, 1]: ``exp(-(error / scale)²)``."""
    return np.exp(-np.square(error / scale)).astype(np.float32)


def _gradient_x(image: np.ndarray) -> np.ndarray:
    return cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=1)


def _gradient_y(image: np.ndarray) -> np.ndarray:
    return cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=1)
