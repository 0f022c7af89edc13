"""sRGB <-> CIE Lab (D65, 2° observer), the color model of the whole project.

Raw CIE scaling everywhere: L in [0, 100], a and b in about [-128, 127]. Colorizers predict only ``ab``;
the luminance ``L`` always comes from the input frame. The formulas follow ``skimage.color`` (sRGB
gamma, D65 white) and match it to 1e-3; uint8 input goes through an exact 256-entry gamma table.

The linear steps run as OpenCV channel transforms (``cv2.LUT``, ``cv2.transform``) on float32. ``cv2.cvtColor`` itself
is not used for RGB -> Lab: its own white point and spline-tabulated gamma and cube root put it up to 0.19 L and
0.42 ab from skimage on photos (0.03 ab with an exact gamma first; 0.125 ab on grays), where the tests hold 1e-3.
``compose_lab`` does use it for Lab -> RGB, where 1e-4 of a [0, 1] channel is well under a uint8 step.
"""

import cv2
import numpy as np

# sRGB (linear) -> XYZ, D65, as in skimage.color.colorconv.xyz_from_rgb; rows are X, Y, Z.
_XYZ_FROM_RGB = np.array([[0.412453, 0.357580, 0.180423],
                          [0.212671, 0.715160, 0.072169],
                          [0.019334, 0.119193, 0.950227]], np.float32)
_RGB_FROM_XYZ = np.linalg.inv(_XYZ_FROM_RGB).astype(np.float32)
_WHITE = np.array([0.95047, 1.0, 1.08883], np.float32)  # D65, 2° observer
# Lab -> (fx, fy, fz) as one affine map (3 x 4: the last column is the 16/116 offset), and XYZ / white -> linear RGB.
_F_FROM_LAB = np.array([[1 / 116, 1 / 500, 0.0, 16 / 116],
                        [1 / 116, 0.0, 0.0, 16 / 116],
                        [1 / 116, 0.0, -1 / 200, 16 / 116]])
_RGB_FROM_WHITE_XYZ = _RGB_FROM_XYZ.astype(np.float64) * _WHITE.astype(np.float64)
# The way back: linear RGB -> XYZ / white (white folded in), and (fx, fy, fz) -> Lab as one affine map (offset last).
_WHITE_XYZ_FROM_RGB = _XYZ_FROM_RGB.astype(np.float64) / _WHITE.astype(np.float64)[:, None]
_LAB_FROM_F = np.array([[0.0, 116.0, 0.0, -16.0],
                        [500.0, -500.0, 0.0, 0.0],
                        [0.0, 200.0, -200.0, 0.0]])
_EPS = 0.008856  # (6/29)**3
_KAPPA = 7.787  # (29/6)**2 / 3


def _srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92).astype(np.float32)


def _linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    return np.where(linear > 0.0031308, 1.055 * linear ** (1 / 2.4) - 0.055, 12.92 * linear).astype(np.float32)


_LINEAR_LUT = _srgb_to_linear(np.arange(256, dtype=np.float32) / 255.0)
_Y_FROM_RGB = _XYZ_FROM_RGB[1:2].astype(np.float64)  # (1, 3): cv2.transform's matrix for Y alone


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    if rgb.dtype == np.uint8:
        return _LINEAR_LUT[rgb]
    return _srgb_to_linear(np.asarray(rgb, np.float32))


def _f(t: np.ndarray) -> np.ndarray:
    out = np.cbrt(t)
    dark = t <= _EPS  # the dark end: a straight line instead of the cube root
    if dark.any():
        out[dark] = _KAPPA * t[dark] + 16.0 / 116.0
    return out


def _f_inv(t: np.ndarray) -> np.ndarray:
    out = t * t * t
    linear = t <= 6.0 / 29.0  # the dark end: a straight line instead of the cube
    if linear.any():
        out[linear] = (t[linear] - 16.0 / 116.0) / _KAPPA
    return out


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) RGB, uint8 or float in [0, 1] -> (H, W, 3) float32 Lab (L in [0, 100], ab in [-128, 127]).

    Gamma by table (uint8) or formula (float), then two OpenCV channel transforms around the cube root: a 1280x720
    uint8 frame in about a third of the time of numpy's indexing, matmul and stacking.
    """
    if rgb.ndim != 3 or rgb.shape[-1] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB image, got shape {rgb.shape}")
    if rgb.dtype == np.uint8:
        linear = cv2.LUT(np.ascontiguousarray(rgb), _LINEAR_LUT)
    else:
        linear = _srgb_to_linear(np.asarray(rgb, np.float32))
    return cv2.transform(_f(cv2.transform(linear, _WHITE_XYZ_FROM_RGB)), _LAB_FROM_F)


def rgb_to_luminance(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) RGB or (H, W) gray, uint8 or float in [0, 1] -> (H, W) float32 Lab L in [0, 100].

    A 2-D input is a gray image (R = G = B); any color in an RGB input is discarded.
    """
    if rgb.dtype == np.uint8 and rgb.ndim == 3:  # the video path: OpenCV's table look-up and channel mix, 1.3
        # instead of 5.5 ms a 1280x720 frame (numpy's fancy indexing and matmul); equal to float32 rounding
        y = cv2.transform(cv2.LUT(np.ascontiguousarray(rgb), _LINEAR_LUT), _Y_FROM_RGB)
    else:
        linear = _to_linear(rgb)
        y = linear if linear.ndim == 2 else linear @ _XYZ_FROM_RGB[1]
    return (116.0 * _f(y) - 16.0).astype(np.float32)


def lab_to_linear_rgb(lab: np.ndarray) -> np.ndarray:
    """(..., 3) float Lab -> (..., 3) float32 *linear* RGB, unclipped: outside [0, 1] means out of gamut.

    Both linear steps are OpenCV channel transforms (Lab -> f(X/Xn), f(Y/Yn), f(Z/Zn) with its offset; then XYZ,
    white point folded in, -> RGB): 6 instead of 20 ms a 1280x720 frame with numpy stacking and broadcasting.
    """
    lab = np.asarray(lab, np.float32)
    f = cv2.transform(np.ascontiguousarray(lab).reshape(-1, 1, 3), _F_FROM_LAB)
    return cv2.transform(_f_inv(f), _RGB_FROM_WHITE_XYZ).reshape(lab.shape)


def lab_to_rgb(lab: np.ndarray) -> np.ndarray:
    """(H, W, 3) float Lab -> (H, W, 3) float32 sRGB, clipped to [0, 1] per channel (see ``compose_lab``)."""
    return _linear_to_srgb(np.clip(lab_to_linear_rgb(lab), 0.0, 1.0))


def luminance_to_uint8(lum: np.ndarray) -> np.ndarray:
    """(H, W) L in [0, 100] -> (H, W) uint8 in [0, 255] (the scale optical flow and matching work on)."""
    return np.clip(np.rint(lum * 2.55), 0, 255).astype(np.uint8)


def luminance_to_gray(lum: np.ndarray) -> np.ndarray:
    """(H, W) L in [0, 100] -> (H, W) uint8 sRGB gray image with that luminance (R = G = B)."""
    gray = _linear_to_srgb(np.clip(_f_inv((np.asarray(lum, np.float32) + 16.0) / 116.0), 0.0, 1.0))
    return np.clip(np.rint(gray * 255.0), 0, 255).astype(np.uint8)


def rotate_chroma(ab: np.ndarray, degrees: float, gain: float = 1.0) -> np.ndarray:
    """(..., 2) ab turned by ``degrees`` of hue (counter-clockwise in the a-b plane) and scaled by ``gain``; float32."""
    angle = np.deg2rad(degrees)
    cos, sin = np.float32(gain * np.cos(angle)), np.float32(gain * np.sin(angle))
    a, b = ab[..., 0], ab[..., 1]
    return np.stack([cos * a - sin * b, sin * a + cos * b], axis=-1).astype(np.float32, copy=False)
