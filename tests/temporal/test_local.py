"""Local flicker: its variance and the warp's, learnt from frame differences, and the Kalman weight they give."""

import numpy as np
import pytest

from colorize.temporal.local import LocalFlicker, kalman_weight


def test_kalman_weight_limits():
    assert kalman_weight(0.0, 2.0) == (0.0, 2.0)  # no flicker: nothing to average away
    assert kalman_weight(5.0, 0.0)[0] == 1.0  # a perfect warp: keep the past
    weights = [kalman_weight(flicker, 1.0)[0] for flicker in (0.5, 2.0, 8.0, 32.0)]
    assert weights == sorted(weights) and 0.0 < weights[0] < weights[-1] < 1.0
    weight, innovation = kalman_weight(4.0, 1.0)
    assert innovation > 4.0 + 1.0  # the measurement noise, the warp's error and the state's own


@pytest.mark.parametrize("flicker_sd, warp_sd", [(3.0, 1.0), (0.0, 1.5)])
def test_variances_from_frame_differences(flicker_sd, warp_sd):
    """d_t = n_t - n_{t-1} + e_t, with n the flicker and e the warp's error, both i.i.d. per pixel and frame."""
    rng = np.random.default_rng(0)
    local = LocalFlicker(memory=60, stride=1)
    noise = flicker_sd * rng.standard_normal((41, 32, 32, 2))
    previous = None
    for t in range(1, 41):
        diff = noise[t] - noise[t - 1] + warp_sd * rng.standard_normal((32, 32, 2))
        local.update(diff, previous, np.ones((32, 32)))
        previous = diff
    # per pixel |n|² has 2 channels: R = 2 flicker_sd², W = 2 warp_sd²
    assert local.flicker_var == pytest.approx(2 * flicker_sd**2, abs=0.1 * (2 * flicker_sd**2) + 0.1)
    assert local.warp_var == pytest.approx(2 * warp_sd**2, rel=0.15)
    assert (local.weight()[0] > 0.5) == (flicker_sd > 0)
