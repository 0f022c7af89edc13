"""Differentiable CIE Lab -> sRGB in torch, for losses that look at RGB (the perceptual loss).

Same formulas and constants as :mod:`colorize.color.lab` (D65, 2° observer, raw scaling: L in [0, 100], ab in
about [-128, 127]); out-of-gamut values are clipped per channel in linear RGB, like :func:`~colorize.color.lab_to_rgb`.
"""

import torch

from colorize.color.lab import _RGB_FROM_XYZ, _WHITE

_LINEAR_FLOOR = 1e-8  # keeps the gradient of x ** (1 / 2.4) finite at 0


def lab_to_rgb_torch(lab: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) Lab in raw scaling -> (B, 3, H, W) sRGB in [0, 1], same dtype and device."""
    if lab.ndim != 4 or lab.shape[1] != 3:
        raise ValueError(f"expected a (B, 3, H, W) Lab tensor, got shape {tuple(lab.shape)}")
    lum, a, b = lab[:, 0], lab[:, 1], lab[:, 2]
    fy = (lum + 16.0) / 116.0
    f = torch.stack([fy + a / 500.0, fy, fy - b / 200.0], dim=1)
    xyz = torch.where(f > 6.0 / 29.0, f**3, (f - 16.0 / 116.0) / 7.787)
    xyz = xyz * torch.as_tensor(_WHITE, dtype=lab.dtype, device=lab.device).view(1, 3, 1, 1)
    matrix = torch.as_tensor(_RGB_FROM_XYZ, dtype=lab.dtype, device=lab.device)
    linear = torch.einsum("ij,bjhw->bihw", matrix, xyz).clamp(0.0, 1.0)
    return torch.where(linear > 0.0031308, 1.055 * linear.clamp_min(_LINEAR_FLOOR) ** (1 / 2.4) - 0.055,
                       12.92 * linear)
