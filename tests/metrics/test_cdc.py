import logging

import cv2
import numpy as np
import pytest
import scipy.stats

from colorize.metrics import ColorDistributionConsistency, color_distribution_consistency


def _tcvc_reference(frames_rgb: np.ndarray, dilations=(1, 2, 4), weights=(1 / 3, 1 / 3, 1 / 3)) -> float:
    """TCVC eval_results.py, restated: cv2.calcHist on BGR frames as cv2.imread gives them, scipy's entropy."""

    def js(p, q):
        m = (p + q) / 2
        return 0.5 * scipy.stats.entropy(p, m) + 0.5 * scipy.stats.entropy(q, m)

    hists = {0: [], 1: [], 2: []}
    for frame in frames_rgb:
        bgr = cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)
        height, width, _ = bgr.shape
        for c in range(3):
            hists[c].append(cv2.calcHist([bgr], [c], None, [256], [0, 256]) / (height * width))
    means = [0.0, 0.0, 0.0]
    for d, w in zip(dilations, weights):
        for c in range(3):
            values = [js(hists[c][i], hists[c][i + d]) for i in range(len(frames_rgb) - d)]
            means[c] += w * np.mean(values)
    return float(np.mean(means))


def test_matches_tcvc_code(helpers):
    for name in ("astronaut", "coffee", "chelsea"):
        clip = helpers.moving_clip(helpers.real_image(name), frames=7, step=(5, 7))
        assert color_distribution_consistency(clip) == pytest.approx(_tcvc_reference(clip), rel=1e-5, abs=1e-9)


def test_identical_frames_give_zero(helpers):
    still = np.repeat(helpers.real_image("coffee")[None, :120, :160], 6, axis=0)
    assert color_distribution_consistency(still) == 0.0


def test_hue_rotated_frame_raises_cdc(clip, helpers):
    flicker = clip.copy()
    flicker[3] = helpers.hue_rotate(clip[3])
    assert color_distribution_consistency(flicker) > color_distribution_consistency(clip) + 0.01


def test_output_equal_to_ground_truth(clip):
    assert color_distribution_consistency(clip.copy()) == color_distribution_consistency(clip)


def test_float_input_rounds_to_uint8(clip):
    assert color_distribution_consistency(clip / 255.0) == pytest.approx(color_distribution_consistency(clip))


def test_per_channel(clip):
    per_rgb = color_distribution_consistency(clip, per_channel=True)
    assert per_rgb.shape == (3,)
    assert per_rgb.mean() == pytest.approx(color_distribution_consistency(clip))


def test_short_clip_uses_available_dilations(clip, caplog):
    short = clip[:3]
    with caplog.at_level(logging.WARNING, logger="colorize.metrics.cdc"):
        value = color_distribution_consistency(short)
    assert "no pairs" in caplog.text
    assert value == pytest.approx(_tcvc_reference(short, (1, 2), (0.5, 0.5)), rel=1e-5)


def test_exceptions(clip):
    with pytest.raises(ValueError, match="at least 2 frames"):
        color_distribution_consistency(clip[:1])
    with pytest.raises(ValueError, match="one weight per dilation"):
        color_distribution_consistency(clip, dilations=(1, 2), weights=(1.0,))


def test_metric_class_averages_clips(clip, helpers):
    other = helpers.moving_clip(helpers.real_image("chelsea"), frames=5, step=(4, 4))
    metric = ColorDistributionConsistency()
    metric.update(clip)
    metric.update(other)
    expected = (_tcvc_reference(clip) + _tcvc_reference(other)) / 2
    assert float(metric.compute()) == pytest.approx(expected, rel=1e-5)
