"""Edge-aware fill of low-confidence chroma: values kept where confident, holes filled without crossing edges."""

import threading

import cv2
import numpy as np
import pytest
import skimage.data

from colorize.color import luminance_to_uint8, rgb_to_lab
from colorize.propagation.fill import _aligned, edge_aware_fill, smooth_globally

LEFT, RIGHT = (30.0, -10.0), (-20.0, 40.0)


def _two_regions(low: int = 50, high: int = 200, height: int = 40, width: int = 60, edge: int = 30):
    lum8 = np.full((height, width), low, np.uint8)
    lum8[:, edge:] = high
    ab = np.zeros((height, width, 2), np.float32)
    ab[:, :edge], ab[:, edge:] = LEFT, RIGHT
    return lum8, ab


def test_cardinality_and_dtype():
    lum8, ab = _two_regions()
    out = edge_aware_fill(ab.astype(np.float64), np.ones(lum8.shape), lum8)
    assert out.shape == ab.shape and out.dtype == np.float32


def test_full_weight_keeps_values_exactly():
    rng = np.random.default_rng(0)
    lum8, _ = _two_regions()
    ab = rng.normal(0, 30, (*lum8.shape, 2)).astype(np.float32)
    np.testing.assert_array_equal(edge_aware_fill(ab, np.ones(lum8.shape, np.float32), lum8), ab)


# Largest error in the hole, measured by edge contrast (uint8 levels; sigma_color 8): 150 -> 1e-5, 60 -> 0.45,
# 40 -> 4.6, 20 -> 18.9 (of a 50-unit chroma step). Weak edges leak by design.
@pytest.mark.parametrize("low, high, atol", [(50, 200, 0.05), (100, 160, 1.0)])
def test_hole_is_filled_from_its_own_side_of_the_edge(low, high, atol):
    lum8, truth = _two_regions(low, high)
    weight = np.ones(lum8.shape, np.float32)
    weight[10:30, 20:40] = 0.0  # a hole straddling the luminance edge at column 30
    corrupted = truth.copy()
    corrupted[10:30, 20:40] = (100.0, 100.0)  # junk that must not leak
    out = edge_aware_fill(corrupted, weight, lum8)
    np.testing.assert_allclose(out[10:30, 20:30], np.broadcast_to(LEFT, (20, 10, 2)), atol=atol)
    np.testing.assert_allclose(out[10:30, 30:40], np.broadcast_to(RIGHT, (20, 10, 2)), atol=atol)
    np.testing.assert_array_equal(out[weight == 1], truth[weight == 1])


def test_hole_next_to_an_edge_does_not_take_the_nearer_color_across_it():
    # The hole's pixels are 1-10 px from the other region but 10+ px from confident pixels of their own.
    lum8, truth = _two_regions()
    weight = np.ones(lum8.shape, np.float32)
    weight[:, 30:40] = 0.0
    out = edge_aware_fill(truth, weight, lum8)
    np.testing.assert_allclose(out[:, 30:40], np.broadcast_to(RIGHT, (40, 10, 2)), atol=0.5)


def test_half_weight_blends_value_and_fill():
    lum8, truth = _two_regions()
    ab = truth.copy()
    ab[15:25, 5:15] = (0.0, 0.0)  # uncertain pixels holding a wrong value, inside the left region
    weight = np.ones(lum8.shape, np.float32)
    weight[15:25, 5:15] = 0.5
    out = edge_aware_fill(ab, weight, lum8)
    # fill ≈ LEFT there (the confident neighbours), so the result is halfway between 0 and LEFT.
    np.testing.assert_allclose(out[15:25, 5:15], np.broadcast_to(np.array(LEFT) / 2, (10, 10, 2)), atol=1.5)


def test_gain_scales_only_the_fill_and_per_channel():
    lum8, truth = _two_regions()
    weight = np.ones(lum8.shape, np.float32)
    weight[15:25, 5:15] = 0.0  # a hole inside the left region
    weight[15:25, 40:50] = 0.5  # half-sure pixels inside the right one, holding 0
    ab = truth.copy()
    ab[15:25, 40:50] = 0.0
    full = edge_aware_fill(ab, weight, lum8)
    half = edge_aware_fill(ab, weight, lum8, gain=0.5)
    np.testing.assert_allclose(half[15:25, 5:15], 0.5 * full[15:25, 5:15], rtol=1e-6)  # w = 0: gain x fill
    np.testing.assert_allclose(half[15:25, 40:50], np.broadcast_to(np.array(RIGHT) / 4, (10, 10, 2)), atol=1.0)
    np.testing.assert_array_equal(half[weight == 1], truth[weight == 1])
    mixed = edge_aware_fill(ab, weight, lum8, gain=(0.0, 1.0))  # a channel each: neutral a, b as filled
    np.testing.assert_array_equal(mixed[15:25, 5:15, 0], 0.0)
    np.testing.assert_array_equal(mixed[..., 1], full[..., 1])


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea"])
def test_fills_holes_in_real_photos(name):
    lab = rgb_to_lab(getattr(skimage.data, name)())
    lum8, truth = luminance_to_uint8(lab[..., 0]), lab[..., 1:]
    height, width = lum8.shape
    weight = np.ones((height, width), np.float32)
    rng = np.random.default_rng(0)
    for _ in range(40):  # 16x16 holes, 4-8% of the image
        y, x = rng.integers(0, height - 16), rng.integers(0, width - 16)
        weight[y:y + 16, x:x + 16] = 0.0
    corrupted = truth.copy()
    corrupted[weight == 0] = (80.0, -80.0)
    out = edge_aware_fill(corrupted, weight, lum8)
    hole = weight == 0
    # Measured mean |Δab| in the holes: 3.1 / 4.3 / 2.5 vs 11.8 / 28.9 / 15.5 for leaving them gray.
    assert np.abs(out - truth)[hole].mean() < 0.35 * np.abs(truth)[hole].mean()
    np.testing.assert_array_equal(out[~hole], truth[~hole])


@pytest.mark.parametrize("max_side", [None, 320, 160])
def test_reduced_size_fill_keeps_confident_values_and_fills_holes(max_side):
    # The spread may run on a smaller copy (chroma is low-frequency); pixels of weight 1 stay exact either way.
    lab = rgb_to_lab(skimage.data.astronaut())
    lum8, truth = luminance_to_uint8(lab[..., 0]), lab[..., 1:].astype(np.float32)
    weight = np.ones(lum8.shape, np.float32)
    rng = np.random.default_rng(0)
    for _ in range(40):
        y, x = rng.integers(0, 512 - 16, 2)
        weight[y:y + 16, x:x + 16] = 0.0
    corrupted = truth.copy()
    corrupted[weight == 0] = (80.0, -80.0)
    before = corrupted.copy()
    out = edge_aware_fill(corrupted, weight, lum8, max_side=max_side)
    hole = weight == 0
    np.testing.assert_array_equal(corrupted, before)  # the input is not modified
    np.testing.assert_array_equal(out[~hole], truth[~hole])
    # Measured mean |Δab| in the holes: 3.11 at 512 px, 3.84 at 320, 4.35 at 160 (gray: 11.8).
    assert np.abs(out - truth)[hole].mean() < {None: 3.4, 320: 4.2, 160: 4.7}[max_side]


def _photo_and_sums(size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A real photo's uint8 luminance at ``size`` (W, H) and (w · a, w · b, w) with 15 square holes (w = 0)."""
    lab = rgb_to_lab(cv2.resize(skimage.data.astronaut(), size, interpolation=cv2.INTER_AREA))
    lum8, ab = luminance_to_uint8(lab[..., 0]), lab[..., 1:].astype(np.float32)
    weight = np.ones(lum8.shape, np.float32)
    rng = np.random.default_rng(0)
    for _ in range(15):
        y, x = rng.integers(0, size[1] - 10), rng.integers(0, size[0] - 10)
        weight[y:y + 10, x:x + 10] = 0.0
    return lum8, np.dstack([ab * weight[..., None], weight])


@pytest.mark.parametrize("size", [(160, 90), (77, 101)])
def test_smoothing_is_the_same_while_another_thread_runs_opencv(size):
    # OpenCV runs a parallel loop called while another one is running as one stripe: its own smoother then left
    # other rows to its one-by-one code, which rounds differently (0 of 30 calls equal at 160x90 with this busy
    # thread, before the padding).
    lum8, sums = _photo_and_sums(size)
    quiet = smooth_globally(sums, lum8, 200.0, 8.0)
    noise = np.random.default_rng(1).integers(0, 256, (1080, 1920), np.uint8)
    stop = threading.Event()
    busy = threading.Thread(target=lambda: [cv2.GaussianBlur(noise, (31, 31), 5) for _ in iter(stop.is_set, True)])
    busy.start()
    try:
        results = [smooth_globally(sums, lum8, 200.0, 8.0) for _ in range(30)]
    finally:
        stop.set()
        busy.join()
    assert all(np.array_equal(result, quiet) for result in results)


@pytest.mark.parametrize("size", [(160, 90), (160, 68)])
def test_padding_leaves_the_smoothed_values_as_opencv_gives_them(size):
    # The padding is cut off by the guide: the normalised fill differs from OpenCV's own by rounding only
    # (measured: at most 1.1e-5 ab units in the holes, 3.6e-5 anywhere).
    lum8, sums = _photo_and_sums(size)
    ours = smooth_globally(sums, lum8, 400.0, 8.0)
    opencv = cv2.ximgproc.createFastGlobalSmootherFilter(lum8, 400.0, 8.0).filter(sums)
    fill, expected = (s[..., :2] / np.maximum(s[..., 2:], 1e-4) for s in (ours, opencv))
    np.testing.assert_allclose(fill, expected, atol=1e-4)


@pytest.mark.parametrize("stripes", [1, 2, 3, 4, 8, 16])
def test_aligned_length_splits_into_stripes_of_whole_vector_blocks(stripes):
    for size in (1, 5, 68, 90, 101, 160, 360):
        length = _aligned(size, stripes)
        stripe = -(-length // stripes)
        assert length >= size and length % 4 == 0 and stripe % 4 == 0 and length - size < 4 * stripes + 4
