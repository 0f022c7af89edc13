"""Backward warping against cv2.remap and scipy, and the occlusion / motion-boundary tests of Lai et al. 2018."""

import cv2
import numpy as np
import pytest
import scipy.ndimage
import skimage.data

from colorize.color import luminance_to_uint8, rgb_to_luminance
from colorize.flow import (
    compute_flow,
    motion_boundary_mask,
    occlusion_mask,
    sample,
    sample_together,
    sampling_grid,
    warp,
)


@pytest.fixture(scope="module")
def photo_lum() -> np.ndarray:
    return rgb_to_luminance(skimage.data.astronaut())[:128, :128].copy()


def _smooth_random_flow(shape=(128, 128), sigma=4.0, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    coarse = rng.normal(0, sigma, (8, 8, 2)).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


# ---------------------------------------------------------------- sampling grid, warp
def test_sampling_grid_of_zero_flow_is_the_pixel_grid():
    map_x, map_y = sampling_grid(np.zeros((3, 4, 2), np.float32))
    np.testing.assert_array_equal(map_x, np.tile(np.arange(4), (3, 1)))
    np.testing.assert_array_equal(map_y, np.tile(np.arange(3)[:, None], (1, 4)))
    assert map_x.dtype == np.float32 and map_y.dtype == np.float32


@pytest.mark.parametrize("channels", [None, 3, 4])
def test_warp_matches_direct_cv2_remap(photo_lum, channels):
    image = photo_lum if channels is None else np.dstack([photo_lum + 10 * c for c in range(channels)])
    flow = _smooth_random_flow()
    ys, xs = np.indices(flow.shape[:2], dtype=np.float32)
    reference = cv2.remap(image, xs + flow[..., 0], ys + flow[..., 1], cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)
    out = warp(image, flow)
    assert out.shape == image.shape
    np.testing.assert_array_equal(out, reference)


def test_warp_matches_scipy_map_coordinates(photo_lum):
    # An independent bilinear sampler with replicated borders (scipy's mode="nearest").
    flow = _smooth_random_flow()
    ys, xs = np.indices(flow.shape[:2], dtype=np.float64)
    reference = scipy.ndimage.map_coordinates(photo_lum.astype(np.float64), [ys + flow[..., 1], xs + flow[..., 0]],
                                              order=1, mode="nearest")
    np.testing.assert_allclose(warp(photo_lum, flow), reference, atol=1e-3)  # measured 8e-5 (L units)


def test_integer_flow_is_an_exact_shift(photo_lum):
    flow = np.zeros((128, 128, 2), np.float32)
    flow[...] = (3, -2)  # out[y, x] = image[y - 2, x + 3]
    out = warp(photo_lum, flow)
    np.testing.assert_array_equal(out[2:, :-3], photo_lum[:-2, 3:])
    np.testing.assert_array_equal(out[2:, -1], photo_lum[:-2, -1])  # replicated border column
    np.testing.assert_array_equal(out[0, :-3], photo_lum[0, 3:])  # replicated border row


def test_warp_half_pixel_averages_neighbours():
    image = np.array([[0.0, 10.0, 30.0]], np.float32)
    flow = np.zeros((1, 3, 2), np.float32)
    flow[..., 0] = 0.5
    np.testing.assert_allclose(warp(image, flow), [[5.0, 20.0, 30.0]], atol=1e-4)


def test_warp_border_argument_is_used():
    image = np.full((4, 4), 7.0, np.float32)
    flow = np.full((4, 4, 2), (10.0, 0.0), np.float32)  # every sample is outside, to the right
    np.testing.assert_array_equal(warp(image, flow), 7.0)
    np.testing.assert_array_equal(warp(image, flow, border=cv2.BORDER_CONSTANT), 0.0)


# ---------------------------------------------------------------- sample, sample_together (absolute coordinates)
def _bilinear(image: np.ndarray, coords: np.ndarray) -> np.ndarray:
    """Independent reference: scipy's bilinear sampler with replicated borders, channel by channel."""
    planes = image[..., None] if image.ndim == 2 else image
    sampled = [scipy.ndimage.map_coordinates(planes[..., c].astype(np.float64), [coords[..., 1], coords[..., 0]],
                                             order=1, mode="nearest") for c in range(planes.shape[2])]
    return np.stack(sampled, -1).reshape(coords.shape[:2] + image.shape[2:])


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_warp_and_sample_are_exact_bilinear_for_any_channel_count(channels):
    # Rough planes (noise of +-100) show the 1/32 px rounding of OpenCV's own 2-channel float remap (up to 4 here).
    rng = np.random.default_rng(channels)
    image = rng.uniform(-100, 100, (37, 53, channels)).astype(np.float32).squeeze(-1 if channels == 1 else ())
    flow = rng.normal(0, 3, (37, 53, 2)).astype(np.float32)
    coords = np.dstack(sampling_grid(flow))
    reference = _bilinear(image, coords)
    np.testing.assert_allclose(warp(image, flow), reference, atol=2e-3)  # measured 1e-5
    np.testing.assert_allclose(sample(image, coords), reference, atol=2e-3)
    outside = sample(image, coords + 1000.0, border_value=-7.0)
    np.testing.assert_array_equal(outside, -7.0)  # every channel, not the first alone


def test_sample_together_is_exact_bilinear_for_every_split(photo_lum):
    # Rough chroma-like planes (noise of +-100) would show the 1/32 px rounding of OpenCV's 2-channel remaps.
    rng = np.random.default_rng(0)
    ab = rng.uniform(-100, 100, (128, 128, 2)).astype(np.float32)
    lum = photo_lum.astype(np.float32)
    ys, xs = np.indices((128, 128), dtype=np.float32)
    coords = np.dstack([xs, ys]) + _smooth_random_flow()
    for images in ([ab, lum], [lum, ab], [lum, lum, lum], [ab, ab], [ab]):
        outputs = sample_together(images, coords)
        assert [out.shape for out in outputs] == [image.shape for image in images]
        for image, out in zip(images, outputs):
            np.testing.assert_allclose(out, _bilinear(image, coords), atol=2e-3)  # measured 1e-5 for 1-4 channels
    np.testing.assert_array_equal(sample_together([lum], coords)[0], sample(lum, coords))


def test_sample_together_refuses_more_than_four_channels(photo_lum):
    coords = np.zeros((4, 4, 2), np.float32)
    ab = np.zeros((4, 4, 2), np.float32)
    with pytest.raises(ValueError, match="at most 4 channels"):
        sample_together([ab, ab, ab[..., 0]], coords)


def test_sample_border_value_outside_the_image():
    image = np.full((4, 4), 7.0, np.float32)
    coords = np.full((2, 3, 2), (10.0, 1.0), np.float32)  # to the right of the image
    np.testing.assert_array_equal(sample(image, coords), 7.0)
    np.testing.assert_array_equal(sample(image, coords, border_value=-1000.0), -1000.0)


# ---------------------------------------------------------------- occlusion (forward-backward check)
S, Y0, X0, D = 20, 20, 20, 8  # square size, top-left corner, motion to the right


def _exact_square_flows(size=64):
    """Exact flows for a square moving D px right: frame a -> b (square pixels +D) and b -> a."""
    flow_ab = np.zeros((size, size, 2), np.float32)
    flow_ab[Y0:Y0 + S, X0:X0 + S] = (D, 0)
    flow_ba = np.zeros((size, size, 2), np.float32)
    flow_ba[Y0:Y0 + S, X0 + D:X0 + D + S] = (-D, 0)
    return flow_ab, flow_ba


def test_occlusion_mask_is_exactly_the_covered_strip():
    flow_ab, flow_ba = _exact_square_flows()
    expected = np.zeros((64, 64), bool)
    expected[Y0:Y0 + S, X0 + S:X0 + S + D] = True  # background of a that the square covers in b
    np.testing.assert_array_equal(occlusion_mask(flow_ab, flow_ba), expected)


@pytest.mark.parametrize("vector", [(0.0, 0.0), (3.5, -2.0), (-20.0, 11.0)])
def test_consistent_constant_flow_has_no_occlusion(vector):
    flow = np.full((32, 32, 2), vector, np.float32)
    assert not occlusion_mask(flow, -flow).any()


def test_occlusion_tolerance_scales_with_motion():
    # Mismatch 0.8 px: fails for small motion, passes for large motion (0.01 (|F|² + |B|²) + 0.5 bound).
    small_f = np.full((8, 8, 2), (1.0, 0.0), np.float32)
    assert occlusion_mask(small_f, -small_f + (0.8, 0.0)).all()
    large_f = np.full((8, 8, 2), (10.0, 0.0), np.float32)
    assert not occlusion_mask(large_f, -large_f + (0.8, 0.0)).any()


@pytest.fixture(scope="module")
def moving_square_frames():
    """Real textures: a coffee patch moving D px right over a static astronaut background."""
    background = luminance_to_uint8(rgb_to_luminance(skimage.data.astronaut()))[100:260, 100:260]
    square = luminance_to_uint8(rgb_to_luminance(skimage.data.coffee()))[100:140, 200:240]
    size, y0, x0 = 40, 60, 50
    a, b = background.copy(), background.copy()
    a[y0:y0 + size, x0:x0 + size] = square
    b[y0:y0 + size, x0 + D:x0 + D + size] = square
    occluded = np.zeros(a.shape, bool)
    occluded[y0 + 4:y0 + size - 4, x0 + size:x0 + size + D] = True
    far = np.ones(a.shape, bool)
    far[y0 - 15:y0 + size + 15, x0 - 15:x0 + size + D + 15] = False
    return a, b, occluded, far, (slice(y0 + 5, y0 + size - 5), slice(x0 + 5, x0 + size - 5))


def test_occlusion_mask_on_dis_flow(moving_square_frames):
    a, b, occluded, far, square_inside = moving_square_frames
    flow_ab, flow_ba = compute_flow(a, b), compute_flow(b, a)
    np.testing.assert_allclose(np.median(flow_ab[square_inside].reshape(-1, 2), axis=0), (D, 0), atol=0.3)
    mask = occlusion_mask(flow_ab, flow_ba)
    assert mask[occluded].mean() > 0.4  # measured 0.61
    assert mask[far].mean() < 0.01  # measured 0.0
    assert mask[square_inside].mean() < 0.05  # measured 0.006


# ---------------------------------------------------------------- motion boundaries
def test_motion_boundary_mask_is_exactly_the_square_outline():
    flow_ab, _ = _exact_square_flows()
    # Forward differences: the pixel before each jump fires: column X0-1 and row Y0-1 outside the square,
    # the last column and row of the square inside it.
    expected = np.zeros((64, 64), bool)
    expected[Y0:Y0 + S, X0 - 1] = True
    expected[Y0:Y0 + S, X0 + S - 1] = True
    expected[Y0 - 1, X0:X0 + S] = True
    expected[Y0 + S - 1, X0:X0 + S] = True
    np.testing.assert_array_equal(motion_boundary_mask(flow_ab), expected)


@pytest.mark.parametrize("vector", [(0.0, 0.0), (3.5, -2.0), (40.0, 40.0)])
def test_constant_flow_has_no_motion_boundary(vector):
    assert not motion_boundary_mask(np.full((32, 32, 2), vector, np.float32)).any()


def test_smooth_zoom_is_not_a_motion_boundary():
    ys, xs = np.indices((64, 64), dtype=np.float32)
    zoom = np.dstack([0.02 * (xs - 32), 0.02 * (ys - 32)])  # gradient² 0.0008 < 0.002
    assert not motion_boundary_mask(zoom).any()
    assert motion_boundary_mask(zoom * 3).any()  # 0.0072 > 0.002 + 0.01 |F|² near the centre


def test_motion_boundary_mask_on_dis_flow(moving_square_frames):
    a, b, _, far, _ = moving_square_frames
    mask = motion_boundary_mask(compute_flow(a, b))
    assert mask[far].mean() < 0.01  # measured 0.0007
    assert mask[60:100, 47:53].mean() > 0.4  # left edge of the square, measured 0.67
