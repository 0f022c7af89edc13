"""TemporalStabilizer: flicker on real frames falls, a true colour change is followed, cuts reset, anchors hold."""

import numpy as np
import pytest

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_lab, rotate_chroma
from colorize.metrics import compute_temporal_flows, psnr, warp_error
from colorize.temporal import StabilizerConfig, TemporalStabilizer, stabilize_sequence


@pytest.fixture(scope="module")
def clip(carphone_frames):
    """40 carphone frames: (truth RGB, L, uint8 L, true ab)."""
    truth = np.asarray(carphone_frames[:40])
    lab = np.stack([rgb_to_lab(frame) for frame in truth])
    return truth, lab[..., 0], np.stack([luminance_to_uint8(lum) for lum in lab[..., 0]]), lab[..., 1:]


def test_flicker_falls(clip):
    truth, lum, lum8, true_ab = clip
    rng = np.random.default_rng(0)
    flicker = np.stack([rotate_chroma(ab, rng.uniform(-20, 20), rng.uniform(0.8, 1.2)) for ab in true_ab])
    stable = np.stack(list(stabilize_sequence(lum8, flicker)))
    flows = compute_temporal_flows(truth)
    before, after = (np.stack([compose_lab(frame, ab) for frame, ab in zip(lum, chroma, strict=True)])
                     for chroma in (flicker, stable))
    assert warp_error(after, flows) < min(0.7 * warp_error(before, flows), 1.2 * warp_error(truth, flows))
    assert psnr(after, truth) > psnr(before, truth) + 2.0  # 40 frames at 176x144; the benchmark: +7 to +8 dB


def test_true_colour_change_is_followed_within_3_frames(clip):
    _, _, lum8, true_ab = clip
    changed = true_ab.copy()
    region = (slice(40, 100), slice(50, 130))
    changed[20:, region[0], region[1]] = rotate_chroma(changed[20:, region[0], region[1]], 120.0)
    stabilizer = TemporalStabilizer()
    out = [stabilizer.step(lum, ab) for lum, ab in zip(lum8, changed, strict=True)]
    old_to_new = np.linalg.norm(changed[22][region] - true_ab[22][region], axis=-1).mean()
    error = np.linalg.norm(out[22][region] - changed[22][region], axis=-1).mean()
    assert old_to_new > 10.0 and error < 0.2 * old_to_new
    steady = np.linalg.norm(out[10] - true_ab[10], axis=-1).mean()  # no change: the previous frame is kept
    assert stabilizer.last_weight.max() > 0.5 and steady < 2.0


def test_scene_cut_resets_and_keyframe_anchors(bikes_frames):
    frames = np.asarray(bikes_frames[25:35, ::2, ::2])  # cut at frame 30 of the clip: index 5 here
    lab = np.stack([rgb_to_lab(frame) for frame in frames])
    lum8 = [luminance_to_uint8(lum) for lum in lab[..., 0]]
    anchor = np.full((*lum8[0].shape, 2), 30.0, np.float32)
    stabilizer = TemporalStabilizer(StabilizerConfig(temporal_weight=1.0))
    out = [stabilizer.step(lum, ab, anchor if t == 0 else None) for t, (lum, ab) in enumerate(zip(lum8, lab[..., 1:]))]
    assert stabilizer.cuts == [5]
    np.testing.assert_array_equal(out[0], anchor)
    np.testing.assert_array_equal(out[5], lab[5, ..., 1:])  # the new shot's own colours, nothing carried over


def test_bad_config_and_input():
    with pytest.raises(ValueError, match="temporal_weight"):
        StabilizerConfig(temporal_weight=1.5)
    with pytest.raises(ValueError, match="expected"):
        TemporalStabilizer().step(np.zeros((4, 4), np.float32), np.zeros((4, 4, 2), np.float32))
