"""Online scene-cut detection on the bundled clips (carphone: no cut; bikes: cuts at 30 and 76)."""

import numpy as np
import pytest

from colorize.color import luminance_to_uint8, resize, rgb_to_luminance
from colorize.flow import DISFlow
from colorize.propagation import SceneCutConfig, SceneCutDetector, detect_shots
from colorize.propagation.scenecut import MATCH_FLOW, _features, local_correlation, scene_match


def _lum8(frames) -> list[np.ndarray]:
    return [luminance_to_uint8(rgb_to_luminance(frame)) for frame in frames]


@pytest.fixture(scope="module")
def carphone_lum8(carphone_frames):
    return _lum8(carphone_frames)


@pytest.fixture(scope="module")
def bikes_lum8(bikes_frames):
    return _lum8(bikes_frames)


def _cuts(frames, config=None) -> list[int]:
    detector = SceneCutDetector(config)
    return [t for t, lum8 in enumerate(frames) if detector.update(lum8)]


def test_no_cut_inside_carphone(carphone_lum8):
    assert len(carphone_lum8) == 120
    assert _cuts(carphone_lum8) == []
    # Margins, measured: largest histogram distance 0.029 (threshold 0.15), thumbnail difference 6.4 (30).
    features = [_features(lum8) for lum8 in carphone_lum8]
    histogram = max(0.5 * np.abs(b[0] - a[0]).sum() for a, b in zip(features, features[1:]))
    difference = max(np.abs(b[1] - a[1]).mean() for a, b in zip(features, features[1:]))
    assert histogram < 0.15 / 3 and difference < 30.0 / 3


def test_bikes_cuts_at_30_and_76(bikes_lum8):
    assert _cuts(bikes_lum8) == [30, 76]
    assert detect_shots(bikes_lum8) == [0, 30, 76]


def test_disabled_detector_never_cuts(bikes_lum8):
    config = SceneCutConfig(enabled=False)
    assert _cuts(bikes_lum8, config) == []
    assert detect_shots(bikes_lum8, config) == [0]


def test_first_frame_and_reset(bikes_lum8):
    detector = SceneCutDetector()
    assert detector.update(bikes_lum8[29]) is False  # nothing to compare with
    assert detector.update(bikes_lum8[30]) is True
    detector.reset()
    assert detector.update(bikes_lum8[29]) is False  # the previous frame was forgotten


def test_cut_between_two_clips(carphone_lum8, bikes_frames):
    other = luminance_to_uint8(rgb_to_luminance(resize(bikes_frames[0], (144, 176))))
    assert _cuts([carphone_lum8[0], carphone_lum8[1], other, other]) == [2]


def test_needs_both_histogram_and_thumbnail_change(carphone_lum8):
    frame = carphone_lum8[0]
    # Same histogram, very different layout (like fast motion): no cut.
    mirrored = np.ascontiguousarray(frame[:, ::-1])
    assert _cuts([frame, mirrored]) == []
    _, thumb_a = _features(frame)
    _, thumb_b = _features(mirrored)
    assert np.abs(thumb_a - thumb_b).mean() > 30.0  # the thumbnail test alone would fire
    # Same layout, shifted histogram (an exposure change of 20 levels): no cut.
    brighter = np.clip(frame.astype(int) + 20, 0, 255).astype(np.uint8)
    assert _cuts([frame, brighter]) == []
    hist_a, _ = _features(frame)
    hist_b, _ = _features(brighter)
    assert 0.5 * np.abs(hist_a - hist_b).sum() > 0.15  # the histogram test alone would fire


def test_thresholds_are_configurable(bikes_lum8):
    # The cut at 76 has a thumbnail difference of 53 levels, the one at 30 of 86 (measured).
    assert _cuts(bikes_lum8, SceneCutConfig(difference_threshold=60.0)) == [30]


def test_a_sudden_change_of_light_in_one_shot_is_no_cut(carphone_lum8):
    # The light goes down to 40 % from frame 10 on: histogram and thumbnail both change like at a cut...
    darker = [frame if t < 10 else (frame * 0.4).astype(np.uint8) for t, frame in enumerate(carphone_lum8[:20])]
    assert _cuts(darker, SceneCutConfig(same_scene_ncc=0.0)) == [10]  # the two cheap tests alone
    # ... but the flow check finds the previous frame's scene in it: no cut.
    assert _cuts(darker) == []


def test_glare_into_the_lens_is_no_cut(carphone_lum8):
    # From frame 10 on, veiling glare from the right edge: a blend toward white, up to 80 %.
    height, width = carphone_lum8[0].shape
    y, x = np.mgrid[0:height, 0:width]
    veil = 0.8 * np.exp(-((x - width) ** 2 + (y - height / 2) ** 2) / (2 * (width / 2) ** 2))
    glare = [frame if t < 10 else ((1 - veil) * frame + veil * 255).astype(np.uint8)
             for t, frame in enumerate(carphone_lum8[:20])]
    # Both cheap tests fire, and the whole-frame correlation falls under its threshold (0.78, measured)...
    assert _cuts(glare, SceneCutConfig(same_scene_local_ncc=1.01)) == [10]
    # ... but window by window the previous frame's scene is still there (0.95): no cut.
    assert _cuts(glare) == []


def test_local_correlation_ignores_a_smooth_gain_and_offset(carphone_lum8):
    frame = carphone_lum8[0].astype(np.float32)
    height, width = frame.shape
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    gain, offset = 1.0 - 0.6 * x / width, 120.0 * y / height  # contrast falls to 40 % across, light rises downward
    changed = gain * frame + offset
    whole = np.corrcoef(frame.ravel(), changed.ravel())[0, 1]
    assert whole < 0.7 and local_correlation(frame, changed, 2.0) > 0.97
    other = np.ascontiguousarray(frame[::-1, ::-1])  # the same texture, elsewhere
    assert abs(local_correlation(frame, other, 2.0)) < 0.2


def test_the_flow_check_keeps_real_cuts(bikes_lum8, carphone_lum8, bikes_frames):
    assert _cuts(bikes_lum8, SceneCutConfig(same_scene_ncc=0.0)) == _cuts(bikes_lum8) == [30, 76]
    other = luminance_to_uint8(rgb_to_luminance(resize(bikes_frames[0], (144, 176))))
    assert _cuts([carphone_lum8[0], carphone_lum8[1], other]) == [2]


def test_scene_match_scores(carphone_lum8, bikes_lum8):
    flow = DISFlow(MATCH_FLOW)  # the detector's own
    same = scene_match(carphone_lum8[40], carphone_lum8[0], flow)  # one shot, 40 frames apart
    assert same.correlation > 0.9 and same.local_correlation > 0.8 and same.consistent > 0.5
    shot_2 = resize(bikes_lum8[30], bikes_lum8[0].shape)
    different = scene_match(shot_2, bikes_lum8[0], flow)  # across bikes' first cut
    assert different.correlation < 0.5 and different.local_correlation < 0.5 and different.consistent < 0.1
