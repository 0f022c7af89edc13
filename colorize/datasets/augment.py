"""Clip augmentation: one random geometric warp and one luminance jitter, drawn per sample, applied to every frame.

Frames of a sample therefore keep their motion (same crop, flip, zoom, rotation), which the temporal loss needs.
The warp is a single affine map (zoom, rotation, shear, flip, crop position) so frames are resampled once.
"""

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from colorize.datasets.sources import Frame


@dataclass
class AugmentConfig:
    crop_size: int = 128  # side of the square crops, in pixels (0: whole frames, no geometric change)
    scale: tuple[float, float] = (1.0, 1.0)  # random zoom range before cropping (> 1 enlarges)
    flip: bool = True  # horizontal flip with probability 0.5
    rotate: float = 0.0  # largest rotation, degrees (small warps)
    shear: float = 0.0  # largest horizontal shear, as a fraction (small warps)
    luminance_gain: float = 0.0  # input L times 1 ± up to this (exposure jitter; the target chroma is unchanged)
    luminance_bias: float = 0.0  # input L plus ± up to this many L units

    def __post_init__(self) -> None:
        if self.crop_size < 0 or not 0 < self.scale[0] <= self.scale[1] or len(self.scale) != 2:
            raise ValueError(f"crop_size must be >= 0 and scale an increasing pair > 0, got {self.crop_size}, "
                             f"{self.scale}")


NO_AUGMENTATION = AugmentConfig(crop_size=0, flip=False)


def augment_clip(frames: list[Frame], config: AugmentConfig, rng: np.random.Generator) -> list[Frame]:
    """Apply one random warp and jitter, drawn from ``rng``, to all ``frames`` (each (H, W) the same size).

    Returns new frames of (crop_size, crop_size), or the input size when ``crop_size`` is 0.
    """
    height, width = frames[0].lum.shape
    matrix, size = _draw_warp(height, width, config, rng)
    gain = 1.0 + rng.uniform(-config.luminance_gain, config.luminance_gain)
    bias = rng.uniform(-config.luminance_bias, config.luminance_bias)
    out = []
    for frame in frames:
        if matrix is not None:
            frame = Frame(*(None if image is None else _warp(image, matrix, size)
                            for image in (frame.rgb, frame.lum, frame.depth, frame.semantic)))
        if gain != 1.0 or bias != 0.0:
            frame = replace(frame, lum=np.clip(frame.lum * gain + bias, 0.0, 100.0).astype(np.float32))
        out.append(frame)
    return out


def _draw_warp(height: int, width: int, config: AugmentConfig,
               rng: np.random.Generator) -> tuple[np.ndarray | None, tuple[int, int]]:
    """(2, 3) affine map from output pixels to source pixels and the output (h, w); None when nothing changes."""
    scale = rng.uniform(*config.scale)
    angle = math.radians(rng.uniform(-config.rotate, config.rotate))
    shear = rng.uniform(-config.shear, config.shear)
    flip = config.flip and rng.random() < 0.5
    if config.crop_size == 0 and scale == 1.0 and angle == 0.0 and shear == 0.0 and not flip:
        return None, (height, width)
    out_h, out_w = (config.crop_size, config.crop_size) if config.crop_size else (height, width)
    half_w, half_h = out_w / (2 * scale), out_h / (2 * scale)  # half the crop, in source pixels
    # crop centre in pixel-centre coordinates (pixel i covers [i - 0.5, i + 0.5]); centred when the crop is larger
    center_x = rng.uniform(half_w, width - half_w) - 0.5 if width >= 2 * half_w else (width - 1) / 2
    center_y = rng.uniform(half_h, height - half_h) - 0.5 if height >= 2 * half_h else (height - 1) / 2
    cos, sin = math.cos(angle), math.sin(angle)
    linear = np.array([[cos, -sin], [sin, cos]]) @ np.array([[1.0, shear], [0.0, 1.0]]) / scale
    if flip:
        linear = linear @ np.diag([-1.0, 1.0])
    offset = np.array([center_x, center_y]) - linear @ np.array([(out_w - 1) / 2, (out_h - 1) / 2])
    return np.hstack([linear, offset[:, None]]).astype(np.float64), (out_h, out_w)


def _warp(image: np.ndarray, matrix: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resample ``image`` at ``matrix @ (x, y, 1)`` for every output pixel, borders mirrored; integer ids (int64)
    by nearest neighbour, everything else bilinearly."""
    ids = image.dtype == np.int64
    source = image.astype(np.float32) if ids else image  # OpenCV has no int64 images
    flags = (cv2.INTER_NEAREST if ids else cv2.INTER_LINEAR) | cv2.WARP_INVERSE_MAP
    out = cv2.warpAffine(source, matrix, (size[1], size[0]), flags=flags, borderMode=cv2.BORDER_REFLECT_101)
    return out.astype(image.dtype)
