import numpy as np
import pytest
import torch
import torch.nn.functional as F

from colorize.flow import DISFlow, FlowConfig
from colorize.metrics import TemporalFlows, WarpError, compute_temporal_flows, warp_error
from colorize.metrics._frames import to_luminance


def _resample(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """Lai et al.'s Resample2d restated with grid_sample: bilinear, coordinates clamped to the border."""
    height, width = flow.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    grid_x = 2 * (xs + flow[..., 0]) / (width - 1) - 1
    grid_y = 2 * (ys + flow[..., 1]) / (height - 1) - 1
    grid = torch.from_numpy(np.stack([grid_x, grid_y], -1)[None])
    tensor = torch.from_numpy(np.ascontiguousarray(np.atleast_3d(image), dtype=np.float64)).permute(2, 0, 1)[None]
    out = F.grid_sample(tensor, grid, mode="bilinear", padding_mode="border", align_corners=True)
    return out[0].permute(1, 2, 0).numpy()


def _detect_occlusion(fw_flow: np.ndarray, bw_flow: np.ndarray) -> np.ndarray:
    """utils.detect_occlusion of Lai et al., which their code calls as detect_occlusion(bw_flow, fw_flow)."""
    fw_flow_w = _resample(fw_flow, bw_flow)
    mag = lambda f: f[..., 0] ** 2 + f[..., 1] ** 2  # noqa: E731
    mask1 = mag(fw_flow_w + bw_flow) > 0.01 * (mag(fw_flow_w) + mag(bw_flow)) + 0.5
    du, dv = np.zeros_like(bw_flow), np.zeros_like(bw_flow)
    du[:, :-1] = bw_flow[:, :-1] - bw_flow[:, 1:]
    dv[:-1, :] = bw_flow[:-1, :] - bw_flow[1:, :]
    mask2 = (du[..., 0] ** 2 + dv[..., 0] ** 2 + du[..., 1] ** 2 + dv[..., 1] ** 2) > 0.01 * mag(bw_flow) + 0.002
    return (mask1 | mask2).astype(np.float64)


def _lai_reference(video: np.ndarray, reference: np.ndarray) -> float:
    """evaluate_WarpError.py restated: 3-channel non-occlusion mask, error sum / mask sum, mean over pairs."""
    dis = DISFlow(FlowConfig())
    luma = to_luminance(reference)
    err = 0.0
    for t in range(1, len(video)):
        fw = dis(luma[t - 1], luma[t]).astype(np.float64)
        bw = dis(luma[t], luma[t - 1]).astype(np.float64)
        occ = _detect_occlusion(bw, fw)
        noc_mask = np.repeat(1 - occ[..., None], 3, axis=-1)
        img1, img2 = video[t - 1] / 255.0, video[t] / 255.0
        diff = (_resample(img2, fw) - img1) * noc_mask
        n = noc_mask.sum()
        if n == 0:
            n = diff.size
        err += np.square(diff).sum() / n
    return err / (len(video) - 1)


def test_matches_lai_code_on_real_motion(clip, helpers):
    output = clip.copy()
    output[2] = helpers.hue_rotate(clip[2], 0.15)
    flows = compute_temporal_flows(clip)
    assert warp_error(output, flows) == pytest.approx(_lai_reference(output, clip), rel=1e-4)
    assert warp_error(clip, flows) == pytest.approx(_lai_reference(clip, clip), rel=1e-4, abs=1e-7)


def test_flows_from_video_or_luminance(clip):
    flows = compute_temporal_flows(clip)
    assert warp_error(clip, clip) == warp_error(clip, flows)
    assert warp_error(clip, to_luminance(clip)) == warp_error(clip, flows)  # the gray input gives the same flow
    assert len(flows) == len(clip) - 1 and flows.shape == clip.shape[1:3]


def test_flows_kept_on_disk_are_the_same(clip, tmp_path, helpers):
    output = clip.copy()
    output[2] = helpers.hue_rotate(clip[2], 0.15)
    in_memory, on_disk = compute_temporal_flows(clip), compute_temporal_flows(clip, scratch=tmp_path)
    assert isinstance(on_disk.forward, np.memmap) and (tmp_path / "flow.npy").stat().st_size > 0
    assert all(np.array_equal(a, b) for a, b in zip(in_memory.forward, on_disk.forward))
    assert all(np.array_equal(a, b) for a, b in zip(in_memory.valid, on_disk.valid))
    assert warp_error(output, on_disk) == warp_error(output, in_memory) > 0


def test_pan_is_followed(clip):
    flows = compute_temporal_flows(clip)  # window moves (2, 3) px per frame: content moves (-3, -2)
    for flow, valid in zip(flows.forward, flows.valid):
        assert valid.mean() > 0.8
        np.testing.assert_allclose(np.median(flow[valid], axis=0), (-3, -2), atol=0.25)
    assert warp_error(clip, flows) < 2e-3  # the ground truth's own floor: interpolation and flow errors only


def test_identical_output_gives_ground_truth_floor(clip):
    flows = compute_temporal_flows(clip)
    assert warp_error(clip.copy(), flows) == warp_error(clip, flows)


def test_hue_rotated_frame_raises_error(clip, helpers):
    flows = compute_temporal_flows(clip)
    flicker = clip.copy()
    flicker[3] = helpers.hue_rotate(clip[3])
    per_pair = warp_error(flicker, flows, reduction="none")
    floor = warp_error(clip, flows, reduction="none")
    assert per_pair[2] > 10 * floor[2] and per_pair[3] > 10 * floor[3]  # the pairs touching frame 3
    np.testing.assert_allclose(per_pair[[0, 1, 4]], floor[[0, 1, 4]])


def test_mean_over_channels_not_sum():
    still = np.full((5, 32, 40, 3), 0.5)
    flicker = still.copy()
    flicker[1::2, ..., 0] += 0.1  # red channel only, every other frame
    flows = compute_temporal_flows(still)
    assert all(v.all() for v in flows.valid) and all(not f.any() for f in flows.forward)
    assert warp_error(flicker, flows) == pytest.approx(0.1 ** 2 / 3)  # summed over RGB it would be 0.01
    assert warp_error(still, flows) == 0.0


def test_pair_without_valid_pixels_counts_zero():
    video = np.random.default_rng(0).random((3, 16, 16, 3))
    flows = TemporalFlows([np.zeros((16, 16, 2), np.float32)] * 2, [np.zeros((16, 16), bool)] * 2)
    np.testing.assert_array_equal(warp_error(video, flows, reduction="none"), [0.0, 0.0])


def test_exceptions(clip):
    flows = compute_temporal_flows(clip)
    with pytest.raises(ValueError, match="flows are for"):
        warp_error(clip[:4], flows)
    with pytest.raises(ValueError, match="at least 2 frames"):
        compute_temporal_flows(clip[:1])


def test_metric_class_averages_clips(clip, helpers):
    other = helpers.moving_clip(helpers.real_image("coffee"), frames=4, step=(1, 4))
    flows_a, flows_b = compute_temporal_flows(clip), compute_temporal_flows(other)
    metric = WarpError()
    metric.update(clip, flows_a)
    metric.update(other, flows_b)
    expected = (warp_error(clip, flows_a) + warp_error(other, flows_b)) / 2
    assert float(metric.compute()) == pytest.approx(expected)
