"""Whole-video propagation: scene cuts, keyframes anywhere, the backward pass and the blend of both directions."""

import logging

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio

from colorize.color import compose_lab, luminance_to_uint8, resize, rgb_to_lab, rgb_to_luminance
from colorize.propagation import (
    AnchoredPropagator,
    BackwardStore,
    ChainPropagator,
    CopyPropagator,
    ForwardPropagation,
    GrayPropagator,
    Keyframe,
    PropagationConfig,
    PropagationStep,
    Reference,
    ReprojectionConfig,
    SceneCutConfig,
    blend,
    detect_shots,
    make_propagator,
    propagate_backward,
    transfer_chroma,
)
from colorize.propagation.frames import colorize_sequence
from colorize.propagation.video import WARNED_SHOTS

SIZE = (144, 176)  # carphone's own size, the working size of these tests
CUT = 15


def _lum8(frames) -> np.ndarray:
    return np.stack([luminance_to_uint8(rgb_to_luminance(frame)) for frame in frames])


@pytest.fixture(scope="module")
def two_shots(carphone_frames, bikes_frames):
    """15 carphone frames then 15 bikes frames resized to 144x176: one cut, at frame 15."""
    frames = np.concatenate([carphone_frames[:CUT], np.stack([resize(f, SIZE) for f in bikes_frames[:15]])])
    return frames, _lum8(frames)


def _forward(lum8_frames, references, config=None, **kwargs):
    propagation = ForwardPropagation(config or PropagationConfig(), references, **kwargs)
    return propagation, [propagation(lum8) for lum8 in lum8_frames]


def _psnr(truth, output) -> float:
    return np.inf if np.array_equal(truth, output) else peak_signal_noise_ratio(truth, output)


# ---------------------------------------------------------------- configuration and construction
def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="unknown propagation method 'magic'.*anchored"):
        PropagationConfig(method="magic")


@pytest.mark.parametrize("method, cls", [("anchored", AnchoredPropagator), ("chain", ChainPropagator),
                                         ("copy", CopyPropagator), ("gray", GrayPropagator)])
def test_make_propagator(method, cls):
    assert type(make_propagator(PropagationConfig(method=method))) is cls


def test_make_propagator_with_camera_views_wraps_the_configured_flow_propagator(synthetic_video):
    from colorize.propagation import ReprojectionPropagator

    views = dict(enumerate(synthetic_video.views))
    config = PropagationConfig(method="chain", reprojection=ReprojectionConfig(key_scale=30.0))
    forward, backward = make_propagator(config, views), make_propagator(config, views, direction=-1)
    assert type(forward) is ReprojectionPropagator and type(forward.flow) is ChainPropagator
    assert forward.views is views and forward.config.key_scale == 30.0
    assert (forward.direction, backward.direction) == (1, -1)


def test_forward_propagation_needs_a_reference():
    with pytest.raises(ValueError, match="at least one reference"):
        ForwardPropagation(PropagationConfig(), {})


# ---------------------------------------------------------------- scene cuts: never carry colors across
def test_detect_shots_on_two_clips(two_shots):
    assert detect_shots(two_shots[1]) == [0, CUT]


def test_no_color_crosses_a_cut(two_shots, colorize_caplog):
    frames, lum8 = two_shots
    reference = Reference.from_rgb(frames[0], SIZE)
    propagation, steps = _forward(lum8, {0: reference})
    assert propagation.cuts == [CUT]
    message = f"frame {CUT} starts a shot with no keyframe"
    assert any(record.levelno == logging.WARNING and message in record.getMessage()
               for record in colorize_caplog.records)
    # The new shot starts from the global prior of the reference, with the video's white balance kept, not from
    # warped colors.
    expected = transfer_chroma(lum8[CUT], reference.lum8, reference.ab, other_shot=True)
    np.testing.assert_array_equal(steps[CUT].ab, expected)
    assert CUT in propagation.keyframes

    # Whatever happened before the cut has no influence after it: replace frames 1..14 and compare.
    altered = lum8.copy()
    altered[1:CUT] = lum8[0]
    propagation_altered, steps_altered = _forward(altered, {0: reference})
    assert propagation_altered.cuts == [CUT]
    for t in range(CUT, len(lum8)):
        np.testing.assert_array_equal(steps_altered[t].ab, steps[t].ab)


def test_shots_without_keyframe_are_warned_a_few_times_then_counted(two_shots, colorize_caplog):
    # A film has thousands of shots: a warning per shot would bury everything else in the log.
    frames, lum8 = two_shots
    blocks = [lum8[CUT:CUT + 3], lum8[CUT + 3:CUT + 6]] * 5  # ten shots of bikes, none with a keyframe
    starts = list(range(3, 33, 3))
    propagation = ForwardPropagation(PropagationConfig(), {0: Reference.from_rgb(frames[0], SIZE)}, shot_starts=starts)
    for frame in np.concatenate([lum8[:3], *blocks]):
        propagation(frame)
    warnings = list(dict.fromkeys(  # in order, once each (the fixture may see a record twice)
        record.getMessage() for record in colorize_caplog.records
        if record.levelno == logging.WARNING and "starts a shot with no keyframe" in record.getMessage()))
    assert propagation.unkeyed_shots == 10 and propagation.returning_shots == 0
    assert len(warnings) == WARNED_SHOTS
    assert "further such shots are counted" in warnings[-1]


def test_a_shot_that_returns_to_the_keyframe_scene_continues_from_it(two_shots, carphone_frames):
    # Shot / reverse shot: carphone (keyframe 0), bikes, carphone again. The return shows the keyframe's scene, so
    # its colors are carried from the keyframe instead of a global prior.
    frames, lum8 = two_shots
    back = carphone_frames[CUT:2 * CUT]
    sequence = np.concatenate([lum8, _lum8(back)])
    reference = {0: Reference.from_rgb(frames[0], SIZE)}
    config = PropagationConfig()
    propagation, steps = _forward(sequence, reference, config)
    assert propagation.cuts == [CUT, 2 * CUT]
    assert propagation.unkeyed_shots == 1 and propagation.returning_shots == 1
    no_return = PropagationConfig(scene_cut=SceneCutConfig(same_scene_ncc=0.0))
    prior, steps_prior = _forward(sequence, reference, no_return)
    assert prior.unkeyed_shots == 2 and prior.returning_shots == 0
    lum = [rgb_to_lab(frame)[..., 0] for frame in back]
    carried = np.mean([_psnr(t, compose_lab(l, s.ab)) for t, l, s in zip(back, lum, steps[2 * CUT:])])
    from_prior = np.mean([_psnr(t, compose_lab(l, s.ab)) for t, l, s in zip(back, lum, steps_prior[2 * CUT:])])
    assert carried > from_prior + 3.0, (carried, from_prior)


def test_without_cut_detection_colors_do_cross(two_shots):
    # The contrast that makes the test above meaningful: with detection off, frames after 15 depend on 1..14.
    frames, lum8 = two_shots
    reference = Reference.from_rgb(frames[0], SIZE)
    config = PropagationConfig(scene_cut=SceneCutConfig(enabled=False))
    propagation, steps = _forward(lum8, {0: reference}, config)
    assert propagation.cuts == []
    altered = lum8.copy()
    altered[1:CUT] = lum8[0]
    _, steps_altered = _forward(altered, {0: reference}, config)
    assert max(np.abs(steps_altered[t].ab - steps[t].ab).max() for t in range(CUT, len(lum8))) > 1.0  # measured 9.1
    prior = transfer_chroma(lum8[CUT], reference.lum8, reference.ab)
    assert np.abs(steps[CUT].ab - prior).mean() > 1.0  # measured 5.2


def test_known_shot_starts_replace_online_detection(two_shots):
    frames, lum8 = two_shots
    reference = Reference.from_rgb(frames[0], SIZE)
    online, online_steps = _forward(lum8, {0: reference})
    planned, planned_steps = _forward(lum8, {0: reference}, shot_starts=[0, CUT])
    assert planned.cuts == online.cuts == [CUT]
    for a, b in zip(online_steps, planned_steps):
        np.testing.assert_array_equal(a.ab, b.ab)
    # A shot start given by the caller is obeyed even where the detector would see none.
    forced, _ = _forward(lum8[:CUT], {0: reference}, shot_starts=[0, 7])
    assert forced.cuts == [7]


# ---------------------------------------------------------------- keyframes anywhere (colorize_sequence)
@pytest.fixture(scope="module")
def carphone30(carphone_frames):
    frames = carphone_frames[:30]
    return frames, lambda: iter(frames)


@pytest.fixture(scope="module")
def sequence_psnr(carphone30):
    """Per-frame PSNR of colorize_sequence on carphone 0..29 for three keyframe layouts, and gray's."""
    frames, open_frames = carphone30
    layouts = {"first": {0: frames[0]}, "both": {0: frames[0], 29: frames[29]}, "last": {29: frames[29]}}
    scores = {}
    for name, references in layouts.items():
        outputs = list(colorize_sequence(open_frames, references, len(frames)))
        assert len(outputs) == len(frames) and outputs[0].shape == (144, 176, 3) and outputs[0].dtype == np.uint8
        scores[name] = np.array([_psnr(truth, out) for truth, out in zip(frames, outputs)])
    labs = [rgb_to_lab(frame) for frame in frames]
    scores["gray"] = np.array([_psnr(frame, compose_lab(lab[..., 0], np.zeros_like(lab[..., 1:])))
                               for frame, lab in zip(frames, labs)])
    return scores


def test_keyframe_frames_are_reproduced_exactly(sequence_psnr):
    assert sequence_psnr["both"][0] == np.inf and sequence_psnr["both"][29] == np.inf
    assert sequence_psnr["last"][29] == np.inf


def test_second_keyframe_improves_frames_near_it(sequence_psnr):
    # Frames 24..28, measured: keyframe 0 only 35.51 dB, keyframes 0 and 29: 37.38 dB.
    only_first, both = sequence_psnr["first"][24:29].mean(), sequence_psnr["both"][24:29].mean()
    assert both > only_first + 1.0
    # Near frame 0 the second keyframe does no harm (measured 36.72 -> 36.87 dB over frames 1..4).
    assert sequence_psnr["both"][1:5].mean() > sequence_psnr["first"][1:5].mean() - 0.3


def test_keyframe_at_the_end_colorizes_earlier_frames_backwards(sequence_psnr):
    # Frames 0..28 from a keyframe at 29 only, measured 36.54 dB; gray 26.69 dB.
    assert sequence_psnr["last"][:29].mean() > sequence_psnr["gray"][:29].mean() + 6.0
    assert sequence_psnr["last"][:5].mean() > sequence_psnr["gray"][:5].mean() + 6.0  # even the farthest frames


# ---------------------------------------------------------------- blend and the backward pass
def _step(value: float, confidence: float, shape=(2, 3)) -> PropagationStep:
    return PropagationStep(np.full((*shape, 2), value, np.float32), np.full(shape, confidence, np.float32))


def test_blend_weights_by_distance():
    forward, backward = _step(10.0, 1.0), _step(-10.0, 1.0)
    # One frame after the left keyframe, nine before the right one: 9:1 for forward.
    np.testing.assert_allclose(blend(forward, backward, to_left=1, to_right=9).ab, 8.0, atol=1e-5)
    np.testing.assert_allclose(blend(forward, backward, to_left=9, to_right=1).ab, -8.0, atol=1e-5)
    np.testing.assert_allclose(blend(forward, backward, to_left=5, to_right=5).ab, 0.0, atol=1e-5)
    out = blend(forward, backward, 1, 9)
    assert out.ab.dtype == np.float32 and out.confidence.dtype == np.float32
    np.testing.assert_allclose(out.confidence, 1.0, atol=1e-6)


def test_blend_weights_by_confidence():
    sure, unsure = _step(10.0, 1.0), _step(-10.0, 0.0)
    # Equal distance: (1.001 * 10 - 0.001 * 10) / 1.002
    np.testing.assert_allclose(blend(sure, unsure, 5, 5).ab, 10.0 * 1.0 / 1.002, rtol=1e-5)
    np.testing.assert_allclose(blend(sure, unsure, 5, 5).confidence, 1.001 / 1.002, rtol=1e-5)
    # Two unsure directions still average by distance (the 1e-3 floor).
    np.testing.assert_allclose(blend(_step(10.0, 0.0), _step(-10.0, 0.0), 1, 3).ab, 5.0, atol=1e-4)


def _keyframes(lum8, ab_values: dict[int, float]) -> dict[int, Keyframe]:
    return {k: Keyframe(k, lum8[k], np.full((*lum8.shape[1:], 2), v, np.float32)) for k, v in ab_values.items()}


def test_propagate_backward_covers_frames_before_each_keyframe_in_its_shot(tmp_path, carphone_frames):
    lum8 = _lum8(carphone_frames[:12])
    config = PropagationConfig(method="copy")
    store = BackwardStore(tmp_path, len(lum8), SIZE)
    propagate_backward(lum8, _keyframes(lum8, {3: 5.0, 9: -7.0}), [0, 6], store, config)
    # Keyframe 3 (shot 0..5): frames 0..2. Keyframe 9 (shot 6..): frames 6..8, not back into shot 0..5.
    np.testing.assert_array_equal(np.flatnonzero(store.has), [0, 1, 2, 6, 7, 8])
    for t, value in ((0, 5.0), (2, 5.0), (6, -7.0), (8, -7.0)):
        np.testing.assert_array_equal(store[t].ab, value)
        np.testing.assert_array_equal(store[t].confidence, 1.0)


def test_propagate_backward_stops_at_the_previous_keyframe(tmp_path, carphone_frames):
    lum8 = _lum8(carphone_frames[:10])
    store = BackwardStore(tmp_path, len(lum8), SIZE)
    propagate_backward(lum8, _keyframes(lum8, {0: 1.0, 4: 2.0, 9: 3.0}), [0], store, PropagationConfig(method="copy"))
    np.testing.assert_array_equal(np.flatnonzero(store.has), [1, 2, 3, 5, 6, 7, 8])
    assert store[3].ab[0, 0, 0] == 2.0 and store[5].ab[0, 0, 0] == 3.0


def test_backward_pass_with_camera_views_reprojects_backwards(tmp_path, synthetic_video):
    """A keyframe at frame 10 with views: the store holds what a backward ReprojectionPropagator gives, step by step,
    and not what flow alone gives."""
    from colorize.propagation import ReprojectionPropagator

    labs = [rgb_to_lab(frame) for frame in synthetic_video.rgb[:11]]
    lum8 = np.stack([luminance_to_uint8(lab[..., 0]) for lab in labs])
    keyframe = Keyframe(10, lum8[10], labs[10][..., 1:].copy())
    views = dict(enumerate(synthetic_video.views))
    store = BackwardStore(tmp_path, 11, (120, 160))
    (tmp_path / "flow").mkdir()
    flow_store = BackwardStore(tmp_path / "flow", 11, (120, 160))
    propagate_backward(lum8, {10: keyframe}, [0], store, PropagationConfig(), views)
    propagate_backward(lum8, {10: keyframe}, [0], flow_store, PropagationConfig())
    manual = ReprojectionPropagator(views, direction=-1)
    manual.reset(keyframe)
    for t in range(9, -1, -1):
        np.testing.assert_allclose(store[t].ab, manual.step(lum8[t]).ab, atol=0.07)  # float16 in the store
    assert np.abs(store[0].ab - flow_store[0].ab).max() > 5.0  # where the reprojection was trusted over the flow


def test_backward_store_round_trip_in_float16(tmp_path):
    store = BackwardStore(tmp_path, 3, (4, 5))
    rng = np.random.default_rng(0)
    step = PropagationStep(rng.normal(0, 40, (4, 5, 2)).astype(np.float32), rng.random((4, 5)).astype(np.float32))
    store[1] = step
    assert list(store.has) == [False, True, False]
    back = store[1]
    assert back.ab.dtype == np.float32
    np.testing.assert_allclose(back.ab, step.ab, atol=0.07)  # float16 spacing is 1/32 between 32 and 64
    np.testing.assert_allclose(back.confidence, step.confidence, atol=5e-4)
    assert (tmp_path / "backward_ab.npy").is_file()


def test_forward_and_backward_are_blended_between_keyframes(tmp_path, carphone_frames):
    # Copy propagation makes the directions easy to tell apart: forward carries 10, backward -10.
    lum8 = _lum8(carphone_frames[:11])
    config = PropagationConfig(method="copy")
    references = {k: Reference(lum8[k], np.full((*SIZE, 2), v, np.float32)) for k, v in ((0, 10.0), (10, -10.0))}
    keyframes = _keyframes(lum8, {0: 10.0, 10: -10.0})
    store = BackwardStore(tmp_path, len(lum8), SIZE)
    propagate_backward(lum8, keyframes, [0], store, config)
    _, steps = _forward(lum8, references, config, shot_starts=[0], backward=store, keyframes=keyframes)
    values = [float(step.ab[0, 0, 0]) for step in steps]
    # Frame t: (10 (10 - t) - 10 t) / 10, i.e. 10, 8, 6, ..., -10.
    np.testing.assert_allclose(values, np.linspace(10.0, -10.0, 11), atol=1e-4)
