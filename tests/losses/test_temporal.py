"""Temporal loss: zero for predictions that follow the flow, positive for flicker, blind to occlusions."""

import cv2
import numpy as np
import pytest
import torch

from colorize.flow import warp
from colorize.losses import flow_warp, temporal_loss


def _pair(shift: int = 3):
    """Two predictions (1, 2, 2, H, W), frame 1 = frame 0 moved ``shift`` px right, and the flow 1 -> 0."""
    rng = np.random.default_rng(0)
    first = torch.from_numpy(rng.uniform(-1, 1, (2, 20, 30)).astype(np.float32))
    second = torch.roll(first, shifts=shift, dims=-1)
    flow = torch.zeros(1, 1, 2, 20, 30)
    flow[:, :, 0] = -shift
    valid = torch.ones(1, 1, 1, 20, 30)
    valid[..., :shift] = 0  # these pixels came from outside frame 0
    return torch.stack([first, second])[None], flow, valid


def test_zero_for_a_consistent_pair():
    pred, flow, valid = _pair()
    assert temporal_loss(pred, flow, valid).item() == pytest.approx(0.0, abs=1e-6)


def test_flicker_costs_its_size():
    pred, flow, valid = _pair()
    pred[:, 1] += 0.1  # the whole second frame shifts its color
    assert temporal_loss(pred, flow, valid).item() == pytest.approx(0.1, abs=1e-5)


def test_occluded_pixels_are_ignored():
    pred, flow, valid = _pair()
    pred[:, 1, :, 5:10, 10:20] = 0.9  # new content in frame 1 ...
    assert temporal_loss(pred, flow, valid).item() > 0.05
    valid[..., 5:10, 10:20] = 0  # ... marked occluded costs nothing
    assert temporal_loss(pred, flow, valid).item() == pytest.approx(0.0, abs=1e-6)


def test_flow_warp_matches_cv2_remap():
    rng = np.random.default_rng(1)
    image = rng.uniform(0, 1, (17, 23, 2)).astype(np.float32)
    flow = rng.normal(0, 2, (17, 23, 2)).astype(np.float32)
    expected = warp(image, flow, border=cv2.BORDER_REPLICATE)
    got = flow_warp(torch.from_numpy(image).permute(2, 0, 1)[None], torch.from_numpy(flow).permute(2, 0, 1)[None])
    difference = np.abs(got[0].permute(1, 2, 0).numpy() - expected)
    assert difference.max() < 1e-4  # two exact bilinear samplers


def test_gradient_flows_and_shapes_are_checked():
    pred, flow, valid = _pair()
    pred.requires_grad_(True)
    (pred[:, 1:] * 0 + temporal_loss(pred + 0.01 * torch.arange(2.0).view(1, 2, 1, 1, 1), flow, valid)).sum().backward()
    assert pred.grad is not None
    with pytest.raises(ValueError, match="do not fit"):
        temporal_loss(pred, flow[..., :10], valid)
