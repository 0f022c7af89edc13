"""Reconstruction loss on hand-made tensors."""

import pytest
import torch

from colorize.losses import reconstruction_loss


def test_known_values():
    target = torch.zeros(1, 2, 2, 2, 2)
    pred = target.clone()
    assert reconstruction_loss(pred, target).item() == 0.0
    pred[..., 0, 0] = 0.5  # 4 of 16 values off by 0.5
    assert reconstruction_loss(pred, target, "l1").item() == pytest.approx(0.125)
    assert reconstruction_loss(pred, target, "l2").item() == pytest.approx(0.0625)


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        reconstruction_loss(torch.zeros(2, 2), torch.zeros(2, 2), "l3")
    with pytest.raises(ValueError, match="differ in shape"):
        reconstruction_loss(torch.zeros(2, 2), torch.zeros(2, 3))
