"""Perceptual loss: VGG16 weights read from disk only, never replaced; distances on a random trunk."""

import pytest
import torch

from colorize.errors import ColorizeError
from colorize.losses import VGG16_WEIGHTS, PerceptualLoss, vgg16_trunk


@pytest.fixture(scope="module")
def random_loss():
    torch.manual_seed(0)
    return PerceptualLoss(vgg16_trunk())


def _colors(seed: int):
    generator = torch.Generator().manual_seed(seed)
    lum = torch.rand(2, 1, 24, 24, generator=generator) * 0.6 + 0.2
    return lum, torch.rand(2, 2, 24, 24, generator=generator) * 0.6 - 0.3


def test_zero_on_identical_colors_and_positive_otherwise(random_loss):
    lum, ab = _colors(0)
    assert random_loss(ab, ab, lum).item() == 0.0
    assert random_loss(ab + 0.2, ab, lum).item() > random_loss(ab + 0.05, ab, lum).item() > 0.0


def test_gradient_reaches_the_prediction_only(random_loss):
    lum, ab = _colors(1)
    pred = ab.clone().requires_grad_(True)
    random_loss(pred + 0.1, ab, lum).backward()
    assert pred.grad.abs().sum() > 0
    assert all(p.grad is None and not p.requires_grad for p in random_loss.parameters())


def test_missing_weights_name_the_file_and_the_way_out(tmp_path):
    with pytest.raises(ColorizeError) as info:
        PerceptualLoss.load(tmp_path)
    message = str(info.value)
    assert "\n" not in message and VGG16_WEIGHTS in message and str(tmp_path) in message
    assert "loss.perceptual: 0" in message


def test_loads_a_torchvision_state_dict(tmp_path):
    torch.manual_seed(1)
    trunk = vgg16_trunk()
    state = {f"features.{name}": tensor for name, tensor in trunk.state_dict().items()}
    torch.save(state, tmp_path / VGG16_WEIGHTS)
    loaded = PerceptualLoss.load(tmp_path)
    torch.testing.assert_close(loaded.trunk[0].weight, trunk[0].weight)
    del state["features.14.bias"]
    torch.save(state, tmp_path / VGG16_WEIGHTS)
    with pytest.raises(ColorizeError, match="no features.14.bias"):
        PerceptualLoss.load(tmp_path / VGG16_WEIGHTS)
