"""sRGB <-> CIE Lab against scikit-image (kornia's per-op checklist)."""


import numpy as np
import pytest
import skimage.color
import skimage.data

from colorize.color import (
    compose_lab,
    lab_to_linear_rgb,
    lab_to_rgb,
    luminance_to_gray,
    luminance_to_uint8,
    rgb_to_lab,
    rgb_to_luminance,
)

PHOTOS = ("astronaut", "coffee", "chelsea")
GRAY_RAMP = np.repeat(np.arange(256, dtype=np.uint8)[None, :, None], 3, axis=-1)  # (1, 256, 3), R = G = B


@pytest.fixture(scope="module", params=PHOTOS)
def photo(request) -> np.ndarray:
    return getattr(skimage.data, request.param)()


# ---------------------------------------------------------------- smoke and cardinality
@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (48, 64)])
def test_cardinality(shape):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (*shape, 3), dtype=np.uint8)
    lab = rgb_to_lab(rgb)
    assert lab.shape == (*shape, 3) and lab.dtype == np.float32
    assert lab_to_rgb(lab).shape == (*shape, 3) and lab_to_rgb(lab).dtype == np.float32
    assert lab_to_linear_rgb(lab).shape == (*shape, 3)
    lum = rgb_to_luminance(rgb)
    assert lum.shape == shape and lum.dtype == np.float32
    assert luminance_to_uint8(lum).shape == shape and luminance_to_uint8(lum).dtype == np.uint8
    assert luminance_to_gray(lum).shape == shape and luminance_to_gray(lum).dtype == np.uint8
    out = compose_lab(lum, lab[..., 1:])
    assert out.shape == (*shape, 3) and out.dtype == np.uint8


def test_lab_to_linear_rgb_accepts_any_leading_shape():
    lab = np.array([[50.0, 10.0, -20.0], [70.0, -5.0, 30.0]], np.float32)  # (N, 3), not an image
    assert lab_to_linear_rgb(lab).shape == (2, 3)


# ---------------------------------------------------------------- exceptions
@pytest.mark.parametrize("shape", [(8, 8), (8, 8, 4), (8, 8, 1), (2, 8, 8, 3)])
def test_rgb_to_lab_rejects_non_rgb_shapes(shape):
    with pytest.raises(ValueError, match="expected an \\(H, W, 3\\) RGB image"):
        rgb_to_lab(np.zeros(shape, np.uint8))


@pytest.mark.parametrize("lum_shape, ab_shape", [((8, 8), (8, 9, 2)), ((8, 8), (8, 8, 3)), ((8, 8), (8, 8))])
def test_compose_lab_rejects_mismatched_shapes(lum_shape, ab_shape):
    with pytest.raises(ValueError, match="do not match"):
        compose_lab(np.zeros(lum_shape, np.float32), np.zeros(ab_shape, np.float32))


# ---------------------------------------------------------------- unit values vs scikit-image
def test_unit_values_generated_with_skimage():
    # skimage.color.rgb2lab (0.26) of pure red, green, blue, white, black and mid gray.
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0], [128, 128, 128]]], np.uint8)
    expected = np.array([[[53.2406, 80.0923, 67.2028], [87.7351, -86.1830, 83.1797], [32.2957, 79.1856, -107.8573],
                          [100.0, -0.0025, 0.0047], [0.0, 0.0, 0.0], [53.5850, -0.0015, 0.0028]]], np.float32)
    np.testing.assert_allclose(rgb_to_lab(rgb), expected, atol=2e-4)


def test_rgb_to_lab_matches_skimage_on_photos(photo):
    reference = skimage.color.rgb2lab(photo)
    np.testing.assert_allclose(rgb_to_lab(photo), reference, atol=1e-3)  # measured max 1.0e-4
    np.testing.assert_allclose(rgb_to_lab(photo.astype(np.float64) / 255.0), reference, atol=1e-3)


def test_uint8_table_agrees_with_float_path(photo):
    # uint8 input goes through a 256-entry gamma table, float through the formula: same numbers.
    np.testing.assert_allclose(rgb_to_lab(photo), rgb_to_lab(photo.astype(np.float32) / 255.0), atol=1e-4)


def test_rgb_to_luminance_matches_skimage_l(photo):
    np.testing.assert_allclose(rgb_to_luminance(photo), skimage.color.rgb2lab(photo)[..., 0], atol=1e-3)


def test_lab_to_rgb_matches_skimage_on_photos(photo):
    lab = skimage.color.rgb2lab(photo)
    np.testing.assert_allclose(lab_to_rgb(lab), skimage.color.lab2rgb(lab), atol=1e-3)  # measured 5e-7


def test_lab_to_linear_rgb_is_unclipped_and_matches_skimage_xyz():
    # Saturated colors outside sRGB: the linear result leaves [0, 1] instead of being clipped.
    lab = np.array([[[50.0, 100.0, 0.0], [60.0, -100.0, 0.0], [40.0, 0.0, -100.0], [95.0, 0.0, 60.0]]], np.float32)
    linear = lab_to_linear_rgb(lab)
    assert ((linear < 0) | (linear > 1)).any(axis=-1).all()
    reference = skimage.color.lab2xyz(lab) @ skimage.color.colorconv.rgb_from_xyz.T
    np.testing.assert_allclose(linear, reference, atol=1e-3)
    assert lab_to_rgb(lab).min() >= 0.0 and lab_to_rgb(lab).max() <= 1.0


# ---------------------------------------------------------------- forth and back
def test_forth_and_back_is_exact_on_uint8(photo):
    back = np.rint(lab_to_rgb(rgb_to_lab(photo)) * 255.0)
    np.testing.assert_array_equal(back, photo)  # measured max error 1.5e-4 of a uint8 step before rounding


def test_forth_and_back_on_random_lab_in_gamut():
    rng = np.random.default_rng(0)
    rgb = rng.random((32, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(lab_to_rgb(rgb_to_lab(rgb)), rgb, atol=1e-4)


def test_gray_input_has_no_chroma():
    lab = rgb_to_lab(GRAY_RAMP)
    # Not exactly 0: the D65 white (0.95047, 1, 1.08883) and the row sums of the sRGB matrix differ in the
    # 5th digit, as in skimage, whose own |ab| for gray is the same size.
    assert np.abs(lab[..., 1:]).max() < 0.01
    assert np.abs(skimage.color.rgb2lab(GRAY_RAMP)[..., 1:]).max() < 0.01
    assert (np.diff(lab[0, :, 0]) > 0).all()  # L strictly increasing with the gray level


def test_luminance_of_2d_gray_equals_rgb_gray():
    gray2d = GRAY_RAMP[..., 0]
    np.testing.assert_allclose(rgb_to_luminance(gray2d), rgb_to_luminance(GRAY_RAMP), atol=1e-5)
    np.testing.assert_allclose(rgb_to_luminance(gray2d), rgb_to_lab(GRAY_RAMP)[..., 0], atol=1e-4)


def test_luminance_discards_color():
    # Pure red and a gray of the same luminance have the same L; their RGB are far apart.
    red = np.array([[[255, 0, 0]]], np.uint8)
    lum_red = float(rgb_to_luminance(red)[0, 0])
    gray = luminance_to_gray(np.array([[lum_red]], np.float32))
    assert abs(float(rgb_to_luminance(gray)[0, 0]) - lum_red) < 0.3  # one uint8 gray step is ~0.4 L here


def test_luminance_to_gray_round_trips_every_gray_level():
    levels = GRAY_RAMP[..., 0]
    np.testing.assert_array_equal(luminance_to_gray(rgb_to_luminance(levels)), levels)


def test_luminance_to_uint8_scale_and_clipping():
    lum = np.array([[-5.0, 0.0, 40.0, 100.0, 120.0]], np.float32)
    np.testing.assert_array_equal(luminance_to_uint8(lum), [[0, 0, 102, 255, 255]])


def test_rotate_chroma():
    from colorize.color import rotate_chroma

    ab = np.array([[10.0, 0.0], [0.0, -4.0]], np.float32)
    np.testing.assert_allclose(rotate_chroma(ab, 90.0, 0.5), [[0.0, 5.0], [2.0, 0.0]], atol=1e-6)
    assert rotate_chroma(ab, 30.0).dtype == np.float32
