import numpy as np
import pytest

from colorize.metrics import (
    HIGHER_IS_BETTER,
    METRIC_NAMES,
    color_distribution_consistency,
    colorfulness,
    compute_temporal_flows,
    evaluate_video,
    psnr,
    warp_error,
)
from colorize.metrics._frames import to_luminance


def test_output_identical_to_ground_truth(clip):
    result = evaluate_video(clip.copy(), clip)
    scores = result.scores
    assert set(scores) == set(METRIC_NAMES) == set(HIGHER_IS_BETTER)
    assert scores["psnr"] == np.inf and scores["ssim"] == pytest.approx(1.0, abs=1e-6)
    assert scores["warp_error"] == scores["warp_error_gt"] > 0  # the ground truth's own floor
    assert scores["cdc"] == scores["cdc_gt"] and scores["cdc_delta"] == 0.0
    assert scores["delta_colorfulness"] == 0.0
    assert scores["lpips"] == "n/a" and result.reasons["lpips"] == "not requested"


def test_hue_rotated_frame(clip, helpers):
    output = clip.copy()
    output[3] = helpers.hue_rotate(clip[3])
    scores = evaluate_video(output, clip, reference_frames=[0]).scores
    assert scores["cdc"] > scores["cdc_gt"] and scores["cdc_delta"] > 0
    assert scores["warp_error"] > 10 * scores["warp_error_gt"]
    assert scores["psnr"] == pytest.approx(psnr(output[1:], clip[1:]))  # frame 0 given in color: left out
    assert scores["cdc"] == pytest.approx(color_distribution_consistency(output))


def test_gray_output(clip, helpers):
    result = evaluate_video(helpers.gray(clip), clip, lpips="LPIPS AlexNet weights not found")
    assert result.scores["colorfulness"] == 0.0
    assert result.scores["delta_colorfulness"] == pytest.approx(colorfulness(clip))
    assert result.as_row()["lpips"] == "n/a (LPIPS AlexNet weights not found)"
    assert result.per_frame["psnr"].shape == (len(clip),)


def test_without_ground_truth(clip):
    luma = to_luminance(clip)
    flows = compute_temporal_flows(luma)
    result = evaluate_video(clip, flows=flows)
    assert result.scores["warp_error"] == warp_error(clip, flows)
    for name in ("psnr", "ssim", "lpips", "cdc_gt", "warp_error_gt", "delta_colorfulness"):
        assert result.scores[name] == "n/a" and result.reasons[name] == "no ground truth"
    bare = evaluate_video(clip)
    assert bare.scores["warp_error"] == "n/a" and isinstance(bare.scores["cdc"], float)


def test_single_frame(clip):
    result = evaluate_video(clip[:1], clip[:1])
    assert result.scores["warp_error"] == "n/a" and result.reasons["cdc"] == "clip has a single frame"
    assert result.scores["psnr"] == np.inf


def test_all_reference_frames(clip):
    result = evaluate_video(clip[:2], clip[:2], reference_frames=[0, 1])
    assert result.scores["psnr"] == "n/a" and "reference" in result.reasons["psnr"]
