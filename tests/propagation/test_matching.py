"""Patch error (luminance + gradients over a window) and its confidence mapping."""

import cv2
import numpy as np
import pytest
import scipy.ndimage
import skimage.data

from colorize.color import luminance_to_uint8, rgb_to_luminance
from colorize.propagation.matching import (
    IDENTITY,
    Exposure,
    confidence,
    dead_band,
    expose,
    fit_exposure,
    follow_exposure,
    patch_error,
    structure,
)


@pytest.fixture(scope="module")
def lum() -> np.ndarray:
    """Astronaut luminance on the uint8 scale, float32 (what the propagators compare)."""
    return luminance_to_uint8(rgb_to_luminance(skimage.data.astronaut())).astype(np.float32)


def _reference_patch_error(a: np.ndarray, b: np.ndarray, radius: int) -> np.ndarray:
    """Same definition written with numpy/scipy: central differences and a box mean, mirrored borders."""
    def grad_x(image):
        padded = np.pad(image.astype(np.float64), 1, mode="reflect")
        return padded[1:-1, 2:] - padded[1:-1, :-2]

    def grad_y(image):
        padded = np.pad(image.astype(np.float64), 1, mode="reflect")
        return padded[2:, 1:-1] - padded[:-2, 1:-1]

    diff = np.abs(a - b) + np.abs(grad_x(a) - grad_x(b)) + np.abs(grad_y(a) - grad_y(b))
    return scipy.ndimage.uniform_filter(diff, 2 * radius + 1, mode="mirror")


@pytest.mark.parametrize("radius", [1, 3, 5])
def test_patch_error_matches_reference(radius):
    rng = np.random.default_rng(radius)
    a = rng.uniform(0, 255, (20, 30)).astype(np.float32)
    b = rng.uniform(0, 255, (20, 30)).astype(np.float32)
    out = patch_error(a, b, radius)
    assert out.shape == (20, 30) and out.dtype == np.float32
    np.testing.assert_allclose(out, _reference_patch_error(a, b, radius), atol=1e-3)  # measured 1.5e-5


def test_identical_patches_have_zero_error(lum):
    assert np.array_equal(patch_error(lum, lum.copy()), np.zeros_like(lum))


def test_error_grows_with_misalignment(lum):
    a = lum[100:300, 100:300]
    errors = [float(patch_error(a, lum[100:300, 100 + s:300 + s]).mean()) for s in range(6)]
    # measured 0, 33.1, 51.7, 60.0, 64.8, 68.8 uint8 levels for shifts of 0..5 px
    assert errors[0] == 0.0
    assert all(later > earlier for earlier, later in zip(errors, errors[1:]))
    assert errors[1] > 20.0
    vertical = [float(patch_error(a, lum[100 + s:300 + s, 100:300]).mean()) for s in range(4)]
    assert all(later > earlier for earlier, later in zip(vertical, vertical[1:]))


def test_brightness_offset_costs_only_the_offset(lum):
    # Gradients ignore a constant offset: the error is exactly the offset.
    np.testing.assert_allclose(patch_error(lum, lum + 10.0), 10.0, atol=1e-3)


def test_texture_mismatch_is_penalised_beyond_brightness(lum):
    a = lum[100:300, 100:300]
    smooth = cv2.blur(a, (7, 7))  # same local brightness, texture removed
    # measured 38.0 vs 11.5 for the value term alone
    assert patch_error(a, smooth).mean() > 2.0 * np.abs(a - smooth).mean()


def test_confidence_values():
    error = np.array([0.0, 5.0, 10.0, 20.0, 1e4], np.float32)
    np.testing.assert_allclose(confidence(error, 10.0), [1.0, np.exp(-0.25), np.exp(-1.0), np.exp(-4.0), 0.0],
                               rtol=1e-6, atol=1e-12)
    assert confidence(error, 10.0).dtype == np.float32
    assert (np.diff(confidence(error, 3.0)) <= 0).all()  # decreasing in the error


def test_fit_exposure_recovers_gain_and_offset_despite_moved_content(lum):
    frame = 0.8 * lum + 12.0
    rng = np.random.default_rng(0)
    frame[100:200, 150:400] = rng.uniform(0, 255, (100, 250))  # 10 % of the frame is something else
    gain, offset, correlation, share = fit_exposure(frame.astype(np.float32), lum)
    assert gain == pytest.approx(0.8, abs=0.005) and offset == pytest.approx(12.0, abs=0.5)
    # Measured: 0.7979 and 12.14 here; with 19 % of the frame replaced, 0.785 and 13.6 (one refit only).
    assert correlation > 0.99 and 0.85 < share < 0.95  # the replaced tenth is left out


def test_fit_exposure_ignores_samples_outside_the_keyframe(lum):
    source = lum.copy()
    source[:, :256] = -1000.0  # the left half maps outside the keyframe
    gain, offset, _, share = fit_exposure((1.25 * lum - 20.0).astype(np.float32), source)
    assert share > 0.95 and gain == pytest.approx(1.25, abs=0.005) and offset == pytest.approx(-20.0, abs=0.5)


def test_fit_exposure_is_the_identity_without_a_correspondence(lum):
    rng = np.random.default_rng(1)
    unrelated = rng.permutation(lum.ravel()).reshape(lum.shape)  # same histogram, no correspondence
    assert fit_exposure(unrelated, lum) == IDENTITY
    outside = np.full_like(lum, -1000.0)
    outside[:40, :40] = lum[:40, :40]  # 100 samples at stride 4: too few
    assert fit_exposure(lum, outside) == IDENTITY


def test_fit_exposure_clips_the_gain(lum):
    assert fit_exposure((3.0 * lum).astype(np.float32), lum).gain == 2.0


def test_follow_exposure_moves_at_most_two_levels_a_step_toward_a_trusted_fit():
    darker = Exposure(gain=0.9, offset=-10.0, correlation=0.95, share=0.8)  # -35.5 levels at L 255
    applied, path = IDENTITY, []
    for _ in range(30):
        applied = follow_exposure(applied, darker)
        path.append(applied.gain * 255 + applied.offset - 255)
    steps = -np.diff([0.0] + path)
    np.testing.assert_allclose(steps[:17], 2.0, atol=1e-9)  # 2 levels a step at L 255, the line's end that moves most
    assert (applied.gain, applied.offset) == pytest.approx((0.9, -10.0))  # reached after 18 steps, then held there


def test_follow_exposure_holds_where_the_fit_is_not_trusted():
    applied = Exposure(gain=0.95, offset=3.0, correlation=0.97, share=0.9)
    for weak in (Exposure(0.7, -30.0, correlation=0.85, share=0.9), Exposure(0.7, -30.0, correlation=0.97, share=0.4),
                 IDENTITY):
        assert follow_exposure(applied, weak) == applied


def test_dead_band_drops_small_brightness_changes_and_ramps_to_the_whole_change():
    def shift(exposure):  # brightness change at mid-grey, uint8 levels
        return exposure.gain * 128 + exposure.offset - 128

    darker = Exposure(gain=0.9, offset=3.8, correlation=0.95, share=0.8)  # -9.0 at mid-grey, halfway up the ramp
    assert shift(darker) == pytest.approx(-9.0)
    assert shift(dead_band(darker, 6.0)) == pytest.approx(-4.5)  # gain - 1 and offset scaled by (9 - 6) / 6
    assert dead_band(darker, 6.0).gain == pytest.approx(0.95)
    assert dead_band(darker, 10.0) == IDENTITY  # inside the band
    assert dead_band(darker, 4.5) == darker  # 9 levels is twice the band: applied whole
    assert dead_band(darker, 0.0) == darker
    # Continuous at both ends of the ramp (no jump in the comparisons as the followed change crosses them).
    for edge in (6.0, 12.0):
        below, above = (dead_band(Exposure(1.0, edge + d, 0.95, 0.8), 6.0) for d in (-1e-6, 1e-6))
        assert abs(shift(above) - shift(below)) < 1e-4


def test_expose_maps_values_and_scales_gradients(lum):
    exposure = Exposure(gain=0.8, offset=12.0)
    seen = expose(structure(lum), exposure)
    np.testing.assert_allclose(seen[0], 0.8 * lum + 12.0, rtol=1e-6)
    for mapped, plain in zip(seen[1:], structure(lum)[1:]):
        np.testing.assert_allclose(mapped, 0.8 * plain, rtol=1e-6)
    # A frame under that exposure matches the exposed source (errors only from float rounding), not the plain one.
    frame = (0.8 * lum + 12.0).astype(np.float32)
    assert patch_error(frame, expose(lum, exposure)).max() < 1e-3 < patch_error(frame, lum).min()
    assert expose(lum, IDENTITY) is lum
