"""The naive baselines every evaluation compares against: gray, copy, chain."""

import numpy as np
import pytest

from colorize.flow import compute_flow, warp
from colorize.propagation import ChainPropagator, CopyPropagator, GrayPropagator, Keyframe


@pytest.fixture(scope="module")
def scores(carphone_lab, run_propagator):
    """Per-frame PSNR (frames 1..19) of each baseline on carphone's first 20 frames, and the steps."""
    return {name: run_propagator(cls(), carphone_lab, 20)
            for name, cls in (("gray", GrayPropagator), ("copy", CopyPropagator), ("chain", ChainPropagator))}


def test_gray_gives_zero_chroma_and_confidence(scores):
    steps, _ = scores["gray"]
    for step in steps:
        assert step.ab.shape == (144, 176, 2) and step.ab.dtype == np.float32
        assert not step.ab.any() and not step.confidence.any()


def test_copy_returns_reference_chroma_everywhere(scores, carphone_lab):
    steps, _ = scores["copy"]
    for step in steps:
        np.testing.assert_array_equal(step.ab, carphone_lab.ab[0])
        np.testing.assert_array_equal(step.confidence, 1.0)


def test_chain_first_step_is_the_flow_warp_of_the_keyframe(carphone_lab):
    lum8, ab = carphone_lab.lum8, carphone_lab.ab
    propagator = ChainPropagator()
    propagator.reset(Keyframe(0, lum8[0], ab[0].copy()))
    step = propagator.step(lum8[1])
    np.testing.assert_array_equal(step.ab, warp(ab[0], compute_flow(lum8[1], lum8[0])))
    assert step.ab.shape == (144, 176, 2)


def test_ranking_on_carphone(scores):
    # Mean PSNR over frames 1..19, measured: gray 26.73, copy 36.80, chain 38.53 dB.
    gray, copy, chain = (scores[name][1].mean() for name in ("gray", "copy", "chain"))
    assert copy > gray + 8.0
    assert chain > copy + 0.8
    # Copy drifts as the scene moves; chain follows it: the gap widens towards the end (measured 0.47 dB).
    assert scores["chain"][1][-5:].mean() - scores["copy"][1][-5:].mean() > 0.2
    assert scores["copy"][1][0] > scores["copy"][1][-1] + 3.0  # copy loses 7.6 dB from frame 1 to 19


def test_chain_is_deterministic(carphone_lab, run_propagator):
    first, _ = run_propagator(ChainPropagator(), carphone_lab, 6)
    second, _ = run_propagator(ChainPropagator(), carphone_lab, 6)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.ab, b.ab)
