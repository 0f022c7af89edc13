"""Differentiable Lab -> sRGB in torch against the numpy reference of colorize.color.lab."""

import numpy as np
import pytest
import skimage.data
import torch

from colorize.color import lab_to_rgb, rgb_to_lab
from colorize.color.lab_torch import lab_to_rgb_torch


def test_matches_numpy_on_a_photo_and_out_of_gamut():
    lab = rgb_to_lab(skimage.data.astronaut()[::8, ::8])
    lab[:4, :, 1:] = 120.0  # far out of gamut: clipped per channel like lab_to_rgb
    got = lab_to_rgb_torch(torch.from_numpy(lab).permute(2, 0, 1)[None])[0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(got, lab_to_rgb(lab), atol=2e-4)


def test_gradient_is_finite_at_black_and_shape_is_checked():
    lab = torch.zeros(1, 3, 2, 2, requires_grad=True)
    lab_to_rgb_torch(lab).sum().backward()
    assert torch.isfinite(lab.grad).all()
    with pytest.raises(ValueError, match="expected a"):
        lab_to_rgb_torch(torch.zeros(3, 2, 2))
