"""How well a carried source explains the current frame: patch errors on luminance and its gradients."""

import cv2
import numpy as np

Structure = tuple[np.ndarray, np.ndarray, np.ndarray]  # luminance and its x and y gradients, (H, W) float32 each


def structure(lum: np.ndarray) -> Structure:
    """What :func:`patch_error` compares: (H, W) float32 luminance, its horizontal and vertical gradients."""
    return lum, _gradient_x(lum), _gradient_y(lum)


def patch_error(lum: np.ndarray | Structure, source: np.ndarray | Structure, radius: int = 3) -> np.ndarray:
    """Mean structural mismatch over (2r+1)² windows, (H, W) float32 in uint8 luminance levels.

    ``lum`` and ``source`` are (H, W) float32 luminance on the uint8 scale (either may be given as its
    precomputed :func:`structure` when it is compared more than once). The error adds the absolute
    difference of the values to that of their horizontal and vertical gradients, so a wrong source of
    similar brightness but different texture still scores badly.
    """
    value, grad_x, grad_y = structure(lum) if isinstance(lum, np.ndarray) else lum
    source, source_x, source_y = structure(source) if isinstance(source, np.ndarray) else source
    diff = cv2.absdiff(value, source)  # OpenCV's element-wise ops: 20 % faster than NumPy's here, the same values
    cv2.add(diff, cv2.absdiff(grad_x, source_x), dst=diff)
    cv2.add(diff, cv2.absdiff(grad_y, source_y), dst=diff)
    size = 2 * radius + 1
    return cv2.blur(diff, (size, size))


def confidence(error: np.ndarray, scale: float) -> np.ndarray:
    """Map an error (uint8 levels) to a confidence in (0, 1]: ``exp(-(error / scale)²)``."""
    ratio = np.multiply(error, np.float32(1.0 / scale), dtype=np.float32)
    np.square(ratio, out=ratio)
    np.negative(ratio, out=ratio)
    return np.exp(ratio, out=ratio)


def _gradient_x(image: np.ndarray) -> np.ndarray:
    return cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=1)


def _gradient_y(image: np.ndarray) -> np.ndarray:
    return cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=1)
