"""FID plumbing. The Inception weights (and torch-fidelity) are not available offline: a small seeded feature
network stands in, and the Fréchet distance is checked against scipy."""

import importlib.util

import numpy as np
import pytest
import scipy.linalg
import torch

from colorize.metrics import FID, MetricUnavailable
from colorize.metrics.fid import INCEPTION_WEIGHTS


class TinyFeatures(torch.nn.Module):
    """(B, 3, H, W) uint8 → (B, 6) pooled features of a fixed random conv layer."""

    num_features = 6

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, self.num_features, 5, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.conv(x.float() / 255.0)).mean(dim=(2, 3))


def _frechet(a: np.ndarray, b: np.ndarray) -> float:
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(cov_a @ cov_b).real
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))


def _features(network, video):
    with torch.no_grad():
        return network(torch.from_numpy(video).permute(0, 3, 1, 2)).double().numpy()


def test_unavailable_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(MetricUnavailable) as info:
        FID.load()
    if importlib.util.find_spec("torch_fidelity") is None:
        assert "torch-fidelity" in str(info.value)
    else:
        assert INCEPTION_WEIGHTS in str(info.value)


def test_matches_scipy_frechet_distance(helpers):
    real = np.concatenate([helpers.moving_clip(helpers.real_image(n), frames=12, step=(3, 3), size=(64, 64))
                           for n in ("astronaut", "coffee")])
    fake = np.stack([helpers.hue_rotate(f, 0.05 * (i % 5)) for i, f in enumerate(real)])
    network = TinyFeatures()
    fid = FID.with_features(network)
    assert fid.custom_features and "test only" in fid.description
    fid.update(fake[:10], real[:7], batch_size=4)  # batches and uneven calls accumulate
    fid.update(fake[10:] / 255.0, real[7:])
    assert fid.num_frames == (24, 24)
    expected = _frechet(_features(network, fake), _features(network, real))
    assert fid.compute() == pytest.approx(expected, rel=1e-3, abs=1e-6)
    fid.reset()
    fid.update(real, real)
    assert fid.compute() == pytest.approx(0.0, abs=1e-6)


def test_needs_two_frames(clip):
    fid = FID.with_features(TinyFeatures())
    fid.update(clip[:1], clip)
    with pytest.raises(ValueError, match="at least 2 frames"):
        fid.compute()
