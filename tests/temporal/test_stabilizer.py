"""TemporalStabilizer on real frames: global and local flicker fall, true color changes are followed within 3 frames,
cuts reset, anchors hold, lookahead outputs every frame once and in order."""

import cv2
import numpy as np
import pytest

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_lab, rotate_chroma
from colorize.metrics import color_distribution_consistency, compute_temporal_flows, psnr, warp_error
from colorize.temporal import StabilizerConfig, TemporalStabilizer, stabilize_sequence

RECOLOURED = (slice(40, 100), slice(50, 130))  # a region of carphone's frames (144x176)


@pytest.fixture(scope="module")
def clip(carphone_frames):
    """40 carphone frames: (truth RGB, L, uint8 L, true ab) and seeded per-frame global flicker (hue ±20°, gain
    0.8..1.2: angles, gains)."""
    truth = np.asarray(carphone_frames[:40])
    lab = np.stack([rgb_to_lab(frame) for frame in truth])
    rng = np.random.default_rng(0)
    angles, gains = rng.uniform(-20, 20, len(truth)), rng.uniform(0.8, 1.2, len(truth))
    return truth, lab[..., 0], np.stack([luminance_to_uint8(lum) for lum in lab[..., 0]]), lab[..., 1:], angles, gains


def flickered(ab: np.ndarray, angles: np.ndarray, gains: np.ndarray) -> np.ndarray:
    return np.stack([rotate_chroma(frame, a, g) for frame, a, g in zip(ab, angles, gains, strict=True)])


def compose(lum: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    return np.stack([compose_lab(frame, ab) for frame, ab in zip(lum, chroma, strict=True)])


@pytest.mark.parametrize("lookahead", [0, 8])
def test_global_flicker_falls(clip, lookahead):
    truth, lum, lum8, true_ab, angles, gains = clip
    flicker = flickered(true_ab, angles, gains)
    stable = np.stack(list(stabilize_sequence(lum8, flicker, StabilizerConfig(lookahead=lookahead))))
    flows = compute_temporal_flows(truth)
    before, after = compose(lum, flicker), compose(lum, stable)
    assert warp_error(after, flows) < min(0.7 * warp_error(before, flows), 1.2 * warp_error(truth, flows))
    # frame by frame, the output's cast walks from frame 0's own flicker to the shot's mean
    assert color_distribution_consistency(after) < (1.1 if lookahead else 1.2) * color_distribution_consistency(truth)
    # 40 frames at 176x144; on the whole clips at 640 px the benchmark gives +6 to +15 dB
    assert psnr(after, truth) > psnr(before, truth) + (3.0 if lookahead else 2.0)


def test_lookahead_starts_a_shot_at_its_mean_cast(clip):
    """Frame 0's own flicker (here 4°, x0.91) is what a causal stabiliser starts from; with lookahead the output
    starts near the mean of the first frames' casts, nearer the truth."""
    _, _, lum8, true_ab, angles, gains = clip
    flicker = flickered(true_ab, angles, gains)
    errors = [np.linalg.norm(next(stabilize_sequence(lum8, flicker, StabilizerConfig(lookahead=n))) - true_ab[0],
                             axis=-1).mean() for n in (0, 8)]
    assert errors[1] < 0.5 * errors[0]


def follow_share(out: np.ndarray, old: np.ndarray, new: np.ndarray) -> float:
    """Share of the change from ``old`` to ``new`` colors (H, W, 2) still missing in ``out``: mean projection of
    ``out - new`` onto ``old - new`` over the mean squared change (0: all followed, 1: nothing)."""
    change = old - new
    return float(((out - new) * change).sum(-1).mean() / (change * change).sum(-1).mean())


@pytest.mark.parametrize("degrees", [120.0, 45.0])
@pytest.mark.parametrize("lookahead", [0, 8])
def test_true_color_change_is_followed_within_3_frames(clip, degrees, lookahead):
    """An object recolored at frame 20 (then flickered like the rest): at frame 22 the output has followed at
    least 90% of the change and is within 1 ab unit of a control run whose object had the new colors all along."""
    _, _, lum8, true_ab, angles, gains = clip
    config = StabilizerConfig(lookahead=lookahead)
    runs = {}
    for start in (20, 0):  # the event, then the control
        changed = true_ab.copy()
        changed[start:, RECOLOURED[0], RECOLOURED[1]] = rotate_chroma(changed[start:, RECOLOURED[0], RECOLOURED[1]],
                                                                      degrees)
        runs[start] = changed, np.stack(list(stabilize_sequence(lum8, flickered(changed, angles, gains), config)))
    (new, out), (_, control) = runs[20], runs[0]
    old = true_ab[22][RECOLOURED]
    assert np.linalg.norm(old - new[22][RECOLOURED], axis=-1).mean() > 8.0  # a real change
    assert follow_share(out[22][RECOLOURED], old, new[22][RECOLOURED]) < \
        follow_share(control[22][RECOLOURED], old, new[22][RECOLOURED]) + 0.1
    errors = [np.linalg.norm(run[22][RECOLOURED] - new[22][RECOLOURED], axis=-1).mean() for run in (out, control)]
    assert errors[0] < errors[1] + 1.0


def test_local_flicker_turns_blending_on_and_falls(clip):
    """Smooth random chroma noise per frame (local flicker, 4 ab units) turns the per-pixel blending on, and the
    output keeps less than the input of it; global flicker alone hardly needs blending once its cast is out (what
    is left is the clip's own chroma noise)."""
    _, _, lum8, true_ab, angles, gains = clip
    rng = np.random.default_rng(1)
    noise = np.stack([cv2.resize(rng.standard_normal((7, 8, 2)).astype(np.float32), (176, 144),
                                 interpolation=cv2.INTER_CUBIC) for _ in true_ab])
    weights = []
    for amplitude in (0.0, 4.0):
        chroma = flickered(true_ab, angles, gains) + amplitude * noise
        stabilizer = TemporalStabilizer()
        out = np.stack([stabilizer.step(frame, ab) for frame, ab in zip(lum8, chroma, strict=True)])
        weights.append(float(stabilizer.last_weight.max()))
    assert weights[0] < 0.3 and weights[1] > max(0.5, 2 * weights[0])
    # the frame-to-frame change of the error: the local noise the output keeps, against what the input has
    kept = np.linalg.norm(np.diff(out[10:] - true_ab[10:], axis=0), axis=-1).mean()
    given = np.linalg.norm(np.diff(4.0 * noise[10:], axis=0), axis=-1).mean()
    assert kept < 0.7 * given


def test_scene_cut_resets_and_keyframe_anchors(bikes_frames):
    frames = np.asarray(bikes_frames[25:35, ::2, ::2])  # cut at frame 30 of the clip: index 5 here
    lab = np.stack([rgb_to_lab(frame) for frame in frames])
    lum8 = [luminance_to_uint8(lum) for lum in lab[..., 0]]
    anchor = np.full((*lum8[0].shape, 2), 30.0, np.float32)
    stabilizer = TemporalStabilizer(StabilizerConfig(temporal_weight=1.0))
    out = [stabilizer.step(lum, ab, anchor if t == 0 else None) for t, (lum, ab) in enumerate(zip(lum8, lab[..., 1:]))]
    assert stabilizer.cuts == [5]
    np.testing.assert_array_equal(out[0], anchor)
    np.testing.assert_allclose(out[5], lab[5, ..., 1:], atol=1e-4)  # the new shot's own colors, nothing carried


def test_lookahead_outputs_every_frame_once_in_order(clip):
    _, _, lum8, true_ab, _, _ = clip
    stabilizer = TemporalStabilizer(StabilizerConfig(lookahead=5))
    counts = [len(stabilizer.push(lum, ab)) for lum, ab in zip(lum8[:12], true_ab[:12], strict=True)]
    assert counts == [0] * 5 + [1] * 7 and len(stabilizer.flush()) == 5 and stabilizer.flush() == []
    with pytest.raises(ValueError, match="lookahead=5"):
        stabilizer.step(lum8[0], true_ab[0])
    same = list(stabilize_sequence(lum8[:12], true_ab[:12], StabilizerConfig(lookahead=5)))
    assert len(same) == 12  # the true colors (no flicker) come back nearly as they are
    assert max(np.abs(a - b).mean() for a, b in zip(same, true_ab[:12], strict=True)) < 0.5


def test_bad_config_and_input():
    with pytest.raises(ValueError, match="temporal_weight"):
        StabilizerConfig(temporal_weight=1.5)
    with pytest.raises(ValueError, match="lookahead"):
        StabilizerConfig(lookahead=-1)
    with pytest.raises(ValueError, match="cast_tolerance"):
        StabilizerConfig(cast_tolerance=-1.0)
    with pytest.raises(ValueError, match="expected"):
        TemporalStabilizer().step(np.zeros((4, 4), np.float32), np.zeros((4, 4, 2), np.float32))


def test_large_frames_are_stabilised_at_max_side(clip):
    """Frames over ``max_side`` are stabilised on a smaller copy; the correction comes back at full size onto each
    frame's own chroma, anchors come back exact, and frames within ``max_side`` are untouched by the setting."""
    _, _, lum8, true_ab, angles, gains = clip
    flicker = flickered(true_ab, angles, gains).astype(np.float32)
    anchors = {0: true_ab[0]}
    runs = {side: np.stack(list(stabilize_sequence(lum8, flicker, StabilizerConfig(lookahead=4, max_side=side),
                                                   anchors)))
            for side in (None, 176, 88)}
    np.testing.assert_array_equal(runs[176], runs[None])  # 176x144 is within 176: the same computation
    assert runs[88].shape == flicker.shape and runs[88].dtype == np.float32
    np.testing.assert_array_equal(runs[88][0], true_ab[0].astype(np.float32))
    errors = {side: np.abs(run - true_ab).mean() for side, run in runs.items()}
    # Measured mean |Δab| to the true colors: input 1.28, full size 0.10, half size 0.26; the outputs 0.21 apart.
    # (bigbuckbunny 1280x720 at 640 against full size: 0.372 vs 0.354, input 4.26; 18 vs 57 ms a frame.)
    assert errors[88] < 0.25 * np.abs(flicker - true_ab).mean()
    assert np.abs(runs[88] - runs[None]).mean() < 0.3
