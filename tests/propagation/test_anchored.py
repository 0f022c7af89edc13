"""This project's propagator (keyframe chroma through a composed, re-anchored flow map) on real video."""

import numpy as np
import pytest

from colorize.propagation import (
    AnchoredConfig,
    AnchoredPropagator,
    ChainPropagator,
    CopyPropagator,
    GrayPropagator,
    Keyframe,
)

NUM_FRAMES = 40  # carphone frames 0..39, true frame 0 as the keyframe


@pytest.fixture(scope="module")
def results(carphone_lab, run_propagator):
    """(steps, per-frame PSNR of frames 1..39) for the baselines and the anchored propagator with and without fill."""
    propagators = {
        "gray": GrayPropagator(), "copy": CopyPropagator(), "chain": ChainPropagator(),
        "anchored": AnchoredPropagator(), "anchored_fill": AnchoredPropagator(AnchoredConfig(fill=True)),
    }
    return {name: run_propagator(p, carphone_lab, NUM_FRAMES) for name, p in propagators.items()}


def _mean(results, name) -> float:
    return float(results[name][1].mean())


# Mean PSNR (dB) over frames 1..39, measured: gray 26.68, copy 35.51, chain 37.09,
# anchored (default, no fill) 38.68, anchored with the optional edge-aware fill 35.71.
# `benchmarks/propagation.py --clips carphone --width 176 --max-frames 40` prints the same figures.
def test_anchored_beats_copy_and_chain(results):
    anchored = _mean(results, "anchored")
    assert anchored > _mean(results, "chain") + 1.0  # measured +1.59 dB
    assert anchored > _mean(results, "copy") + 2.0  # measured +3.17 dB


@pytest.mark.xfail(strict=True, reason=(
    "known limitation, why fill is off by default: the optional edge-aware fill lowers PSNR on carphone frames "
    "0-39 from 38.53 dB to 35.71 dB; on frame 1 the filled pixels' mean |Δab| rises from 1.52 to 3.61 (filling "
    "even the *true* chroma with those weights gives 3.57): confidences are not calibrated for it"))
def test_fill_does_not_hurt(results):
    assert _mean(results, "anchored_fill") > _mean(results, "anchored") - 0.5


def test_anchored_resists_drift(results):
    # Last five frames (35..39), measured: copy 31.69, chain 35.03, anchored 35.14 dB.
    last = {name: float(results[name][1][-5:].mean()) for name in ("copy", "anchored", "gray")}
    assert last["anchored"] > last["copy"] + 2.5
    assert _mean(results, "anchored") > _mean(results, "gray") + 8.0
    assert _mean(results, "anchored") > _mean(results, "copy") + 2.0


def test_steps_shape_dtype_and_confidence_range(results, carphone_lab):
    steps, _ = results["anchored"]
    assert len(steps) == NUM_FRAMES
    np.testing.assert_array_equal(steps[0].ab, carphone_lab.ab[0])  # reset returns the keyframe
    np.testing.assert_array_equal(steps[0].confidence, 1.0)
    for step in steps:
        assert step.ab.shape == (144, 176, 2) and step.ab.dtype == np.float32
        assert step.confidence.shape == (144, 176) and step.confidence.dtype == np.float32
        assert np.isfinite(step.ab).all()
        assert step.confidence.min() >= 0.0 and step.confidence.max() <= 1.0 + 1e-6
    mean_confidence = np.mean([step.confidence.mean() for step in steps[1:]])
    assert 0.2 < mean_confidence < 0.95  # measured about 0.6: neither saturated nor empty


def test_deterministic(carphone_lab, run_propagator, results):
    again, _ = run_propagator(AnchoredPropagator(), carphone_lab, 8)
    for a, b in zip(results["anchored"][0][:8], again):
        np.testing.assert_array_equal(a.ab, b.ab)
        np.testing.assert_array_equal(a.confidence, b.confidence)


@pytest.mark.parametrize("smooth_radius", [0, 3])
def test_static_frames_keep_the_keyframe_chroma(carphone_lab, smooth_radius):
    # A frame identical to the keyframe gets the keyframe's chroma back: the keyframe explains every pixel,
    # so the output smoothing (default radius 3) leaves its detail alone.
    propagator = AnchoredPropagator(AnchoredConfig(smooth_radius=smooth_radius))
    propagator.reset(Keyframe(0, carphone_lab.lum8[0], carphone_lab.ab[0].copy()))
    for _ in range(3):
        step = propagator.step(carphone_lab.lum8[0])
        np.testing.assert_allclose(step.ab, carphone_lab.ab[0], atol=1e-3 if smooth_radius == 0 else 0.05)
        assert step.confidence.min() > 0.99


def test_output_smoothing_does_not_accumulate(carphone_lab):
    # Where the keyframe is unsure (frame 20 after the camera moved) the output chroma is smoothed, by the
    # same amount every frame instead of more and more: the carried state is never smoothed.
    smoothed, sharp = AnchoredPropagator(), AnchoredPropagator(AnchoredConfig(smooth_radius=0))
    assert smoothed.config.smooth_radius == 3
    runs = []
    for propagator in (smoothed, sharp):
        propagator.reset(Keyframe(0, carphone_lab.lum8[0], carphone_lab.ab[0].copy()))
        runs.append([propagator.step(carphone_lab.lum8[20]).ab for _ in range(3)])
    difference = np.abs(runs[0][2] - runs[1][2]).mean()
    assert 0.2 < difference < 1.0
    # measured: smoothing changes the chroma by 0.51 on average; repeating the frame, by 0.0003 more
    assert np.abs(runs[0][2] - runs[0][1]).mean() < 0.01


def test_reset_starts_over(carphone_lab, run_propagator):
    propagator = AnchoredPropagator()
    run_propagator(propagator, carphone_lab, 5)  # leaves state behind
    again, _ = run_propagator(propagator, carphone_lab, 3)
    fresh, _ = run_propagator(AnchoredPropagator(), carphone_lab, 3)
    for a, b in zip(again, fresh):
        np.testing.assert_array_equal(a.ab, b.ab)


def test_key_flow_every_other_frame(carphone_lab, run_propagator):
    # The flow to the keyframe on frames 1, 3, 5, ... (default): close to every frame on carphone's frames 1-11.
    every, _ = run_propagator(AnchoredPropagator(AnchoredConfig(key_flow_every=1)), carphone_lab, 12)
    other, _ = run_propagator(AnchoredPropagator(), carphone_lab, 12)
    np.testing.assert_array_equal(other[1].ab, every[1].ab)  # frame 1 is anchored in both
    assert np.abs(other[2].ab - every[2].ab).max() > 0  # frame 2 is not (composed map only)
    assert np.abs(other[-1].ab - every[-1].ab).mean() < 0.5
    with pytest.raises(ValueError, match="key_flow_every"):
        AnchoredConfig(key_flow_every=0)
