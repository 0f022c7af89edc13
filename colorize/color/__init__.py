"""Color spaces (CIE Lab, raw scaling: L in [0, 100], ab in [-128, 127]) and chroma resampling."""

from colorize.color.gamut import compose_lab
from colorize.color.lab import (
    lab_to_linear_rgb,
    lab_to_rgb,
    luminance_to_gray,
    luminance_to_uint8,
    rgb_to_lab,
    rgb_to_luminance,
    rotate_chroma,
)
from colorize.color.upsample import resize, upsample_chroma, working_size

__all__ = [
    "rgb_to_lab", "lab_to_rgb", "lab_to_linear_rgb", "rgb_to_luminance", "luminance_to_gray", "luminance_to_uint8",
    "compose_lab", "rotate_chroma",
    "upsample_chroma", "resize", "working_size",
]
