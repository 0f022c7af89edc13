"""Semantic loss: one color per segment across a clip."""

import pytest
import torch

from colorize.losses import semantic_loss


def test_uniform_segments_cost_nothing():
    segments = torch.zeros(2, 3, 4, 4, dtype=torch.int64)
    segments[..., 2:] = 1
    pred = torch.zeros(2, 3, 2, 4, 4)
    pred[:, :, 0, :, 2:] = 0.5  # segment 1 has another color than segment 0, but one color throughout
    pred[1] -= 0.3  # and the second sample has other colors again
    assert semantic_loss(pred, segments).item() == pytest.approx(0.0, abs=1e-7)


def test_flicker_inside_a_segment():
    segments = torch.zeros(1, 2, 4, 4, dtype=torch.int64)
    pred = torch.zeros(1, 2, 2, 4, 4)
    pred[:, 1] = 0.2  # frame 1 of the one segment changes color: mean 0.1, every value 0.1 away
    assert semantic_loss(pred, segments).item() == pytest.approx(0.1)


def test_shape_check():
    with pytest.raises(ValueError, match="do not fit"):
        semantic_loss(torch.zeros(1, 2, 2, 4, 4), torch.zeros(1, 2, 4, 5, dtype=torch.int64))
