"""The weighted total and its config."""

import pytest
import torch

from colorize.losses import ColorizationLoss, LossConfig


def _batch():
    ab = torch.zeros(1, 2, 2, 8, 8)
    return {"ab": ab, "lum": torch.full((1, 2, 1, 8, 8), 0.5), "flow": torch.zeros(1, 1, 2, 8, 8),
            "flow_valid": torch.ones(1, 1, 1, 8, 8), "semantic": torch.zeros(1, 2, 8, 8, dtype=torch.int64)}


def test_total_is_the_weighted_sum():
    pred = torch.zeros(1, 2, 2, 8, 8)
    pred[:, 1] = 0.2  # off by 0.2 in frame 1 only: L1 0.1, flicker 0.2, segment spread 0.1
    losses = ColorizationLoss(LossConfig(reconstruction=2.0, temporal=0.5, semantic=3.0))(pred, _batch())
    assert losses["reconstruction"].item() == pytest.approx(0.1)
    assert losses["temporal"].item() == pytest.approx(0.2)
    assert losses["semantic"].item() == pytest.approx(0.1)
    assert losses["total"].item() == pytest.approx(2.0 * 0.1 + 0.5 * 0.2 + 3.0 * 0.1)


def test_zero_weight_losses_are_not_computed():
    losses = ColorizationLoss(LossConfig())(torch.zeros(1, 2, 2, 8, 8), {"ab": torch.zeros(1, 2, 2, 8, 8)})
    assert set(losses) == {"reconstruction", "total"}


def test_config_checks():
    with pytest.raises(ValueError, match="at least one"):
        LossConfig(reconstruction=0.0)
    with pytest.raises(ValueError, match="reconstruction_kind"):
        LossConfig(reconstruction_kind="huber")
    with pytest.raises(ValueError, match="needs clips"):
        ColorizationLoss(LossConfig(temporal=1.0))(torch.zeros(1, 1, 2, 4, 4), {"ab": torch.zeros(1, 1, 2, 4, 4)})
