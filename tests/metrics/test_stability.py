import numpy as np
import pytest
import torch
import torch.nn.functional as F

from colorize.metrics import (
    FlowConsistency,
    FrameDifferenceStability,
    compute_temporal_flows,
    flow_consistency,
    frame_difference_stability,
)


def _warp_reference(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """Bilinear backward warp with clamped coordinates, via grid_sample (independent of cv2.remap)."""
    height, width = flow.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    grid = np.stack([2 * (xs + flow[..., 0]) / (width - 1) - 1, 2 * (ys + flow[..., 1]) / (height - 1) - 1], -1)
    tensor = torch.from_numpy(image.astype(np.float64)).permute(2, 0, 1)[None]
    out = F.grid_sample(tensor, torch.from_numpy(grid[None]), mode="bilinear", padding_mode="border",
                        align_corners=True)
    return out[0].permute(1, 2, 0).numpy()


def test_frame_difference_hand_made():
    video = np.zeros((3, 4, 4, 3))
    video[1] = 1.0  # every value flips 0 → 1 → 0
    np.testing.assert_allclose(frame_difference_stability(video, reduction="none"), [0.0, 0.0])
    still = np.full((4, 8, 8, 3), 0.3)
    assert frame_difference_stability(still) == 1.0
    still[2, ..., 0] += 0.1  # red flicker on one frame: |Δ| = 0.1 on one channel of three, in two pairs
    np.testing.assert_allclose(frame_difference_stability(still, reduction="none"), [1, 1 - 0.1 / 3, 1 - 0.1 / 3])


def test_frame_difference_numpy_reference(clip):
    expected = [1 - np.abs(clip[t + 1] / 255.0 - clip[t] / 255.0).mean() for t in range(len(clip) - 1)]
    np.testing.assert_allclose(frame_difference_stability(clip, reduction="none"), expected, rtol=1e-6)


def test_flow_consistency_reference(clip, helpers):
    output = clip.copy()
    output[4] = helpers.hue_rotate(clip[4])
    flows = compute_temporal_flows(clip)
    expected = []
    for t, (flow, valid) in enumerate(zip(flows.forward, flows.valid)):
        diff = np.abs(_warp_reference(output[t + 1] / 255.0, flow.astype(np.float64)) - output[t] / 255.0)
        expected.append(1 - diff[valid].mean())
    np.testing.assert_allclose(flow_consistency(output, flows, reduction="none"), expected, rtol=1e-5)


def test_flow_consistency_sees_through_motion(clip, helpers):
    flows = compute_temporal_flows(clip)
    assert flow_consistency(clip, flows) > 0.98  # the pan is compensated
    assert frame_difference_stability(clip) < flow_consistency(clip, flows)  # but not by the frame difference
    flicker = clip.copy()
    flicker[3] = helpers.hue_rotate(clip[3])
    assert flow_consistency(flicker, flows) < flow_consistency(clip, flows) - 0.01
    assert 0.0 <= flow_consistency(flicker, flows) <= 1.0


def test_flow_consistency_still_flicker():
    still = np.full((3, 16, 16, 3), 0.4)
    flicker = still.copy()
    flicker[1, ..., 2] = 0.7
    assert flow_consistency(flicker, still) == pytest.approx(1 - 0.3 / 3)
    assert flow_consistency(still, still) == 1.0


def test_metric_classes(clip, helpers):
    other = helpers.moving_clip(helpers.real_image("chelsea"), frames=3)
    flows_a, flows_b = compute_temporal_flows(clip), compute_temporal_flows(other)
    fd, fc = FrameDifferenceStability(), FlowConsistency()
    for video, flows in ((clip, flows_a), (other, flows_b)):
        fd.update(video)
        fc.update(video, flows)
    expected_fd = (frame_difference_stability(clip) + frame_difference_stability(other)) / 2
    expected_fc = (flow_consistency(clip, flows_a) + flow_consistency(other, flows_b)) / 2
    assert float(fd.compute()) == pytest.approx(expected_fd)
    assert float(fc.compute()) == pytest.approx(expected_fc)
