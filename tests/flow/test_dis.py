"""DIS optical flow: the convention a[y, x] ≈ b[y + dy, x + dx], checked on a real photo moved by known shifts."""

import numpy as np
import pytest
import skimage.data

from colorize.color import luminance_to_uint8, rgb_to_luminance
from colorize.flow import DISFlow, FlowConfig, compute_flow, resize_flow, warp

DX, DY = 5, 3
MARGIN = 20  # interior: away from the borders, where content enters or leaves the frame


@pytest.fixture(scope="module")
def astronaut_lum8() -> np.ndarray:
    return luminance_to_uint8(rgb_to_luminance(skimage.data.astronaut()))


@pytest.fixture(scope="module")
def shifted_pair(astronaut_lum8):
    """Two 200x200 crops with b[y + DY, x + DX] == a[y, x] exactly (the camera moved up-left)."""
    a = astronaut_lum8[100:300, 100:300]
    b = astronaut_lum8[100 - DY:300 - DY, 100 - DX:300 - DX]
    assert np.array_equal(b[DY:, DX:], a[:-DY, :-DX])
    return a, b


def _interior(x: np.ndarray) -> np.ndarray:
    return x[MARGIN:-MARGIN, MARGIN:-MARGIN]


# ---------------------------------------------------------------- smoke, cardinality, exceptions
@pytest.mark.parametrize("shape", [(32, 48), (144, 176), (61, 37)])
def test_cardinality(shape):
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, shape, dtype=np.uint8)
    flow = compute_flow(a, a)
    assert flow.shape == (*shape, 2) and flow.dtype == np.float32


@pytest.mark.parametrize("preset", ["ultrafast", "medium", "fine"])
@pytest.mark.parametrize("shape", [(8, 40), (12, 300), (24, 160), (300, 8)])
def test_thin_images_are_padded_not_crashed(astronaut_lum8, preset, shape):
    # OpenCV's DIS refuses some of these sizes and crashes the process (segmentation fault) on others.
    height, width = shape
    a = astronaut_lum8[200:200 + height, 100:100 + width]
    b = astronaut_lum8[200 - DY:200 - DY + height, 100 - DX:100 - DX + width]
    flow = compute_flow(a, b, FlowConfig(preset=preset))
    assert flow.shape == (*shape, 2) and np.isfinite(flow).all()


@pytest.mark.parametrize("a_shape, b_shape", [((32, 32), (32, 31)), ((32, 32, 3), (32, 32, 3)), ((32,), (32,))])
def test_rejects_bad_shapes(a_shape, b_shape):
    with pytest.raises(ValueError, match="expected two \\(H, W\\) images of one size"):
        compute_flow(np.zeros(a_shape, np.uint8), np.zeros(b_shape, np.uint8))


def test_unknown_preset_names_choices():
    with pytest.raises(ValueError, match="unknown DIS preset 'slow'.*fast.*fine.*medium.*ultrafast"):
        FlowConfig(preset="slow")


# ---------------------------------------------------------------- the convention, on a known translation
@pytest.mark.parametrize("preset", ["ultrafast", "fast", "medium", "fine"])
def test_recovers_known_translation(shifted_pair, preset):
    a, b = shifted_pair
    flow = compute_flow(a, b, FlowConfig(preset=preset))
    median = np.median(flow.reshape(-1, 2), axis=0)
    np.testing.assert_allclose(median, (DX, DY), atol=0.1)  # measured (4.93-5.00, 2.95-3.05)
    assert np.abs(_interior(flow) - (DX, DY)).mean() < 0.3  # measured 0.09 (medium) to 0.14 (ultrafast)


def test_fine_preset_is_exact_on_a_translation(shifted_pair):
    # Patches matched at full resolution without variational smoothing: 0.0007 px mean error (medium 0.09).
    a, b = shifted_pair
    assert np.abs(_interior(compute_flow(a, b, FlowConfig(preset="fine"))) - (DX, DY)).mean() < 0.01


@pytest.mark.parametrize("stride", [7, 8])
def test_patch_stride_overrides_the_preset(shifted_pair, stride):
    assert DISFlow(FlowConfig(preset="fine", patch_stride=stride))._dis.getPatchStride() == stride
    assert DISFlow(FlowConfig(preset="fine"))._dis.getPatchStride() == 6
    a, b = shifted_pair  # sparser patches still recover a translation
    flow = compute_flow(a, b, FlowConfig(preset="fine", patch_stride=stride))
    assert np.abs(_interior(flow) - (DX, DY)).mean() < 0.01  # measured 0.0005 (7), 0.0009 (8)


def test_patch_stride_below_one_is_refused():
    with pytest.raises(ValueError, match="patch_stride must be at least 1, got 0"):
        FlowConfig(patch_stride=0)


def test_reverse_flow_is_opposite(shifted_pair):
    a, b = shifted_pair
    np.testing.assert_allclose(np.median(compute_flow(b, a).reshape(-1, 2), axis=0), (-DX, -DY), atol=0.1)


def test_warp_with_flow_aligns_b_to_a(shifted_pair):
    a, b = shifted_pair
    flow = compute_flow(a, b)
    aligned = warp(b.astype(np.float32), flow)
    residual = np.abs(_interior(aligned) - _interior(a)).mean()
    unaligned = np.abs(_interior(b.astype(np.float32)) - _interior(a)).mean()
    assert residual < 2.0  # measured 0.86 uint8 levels
    assert unaligned > 10 * residual  # measured 27.4: the test can tell aligned from not


def test_max_side_flow_is_in_full_resolution_pixels(astronaut_lum8):
    a = astronaut_lum8
    b = np.roll(a, (6, 10), axis=(0, 1))  # b[y + 6, x + 10] == a[y, x]
    flow = compute_flow(a, b, FlowConfig(max_side=128))  # computed at 128x128, vectors scaled back x4
    assert flow.shape == (512, 512, 2)
    np.testing.assert_allclose(np.median(flow.reshape(-1, 2), axis=0), (10, 6), atol=0.3)  # measured (10.12, 5.98)


def test_float_input_is_rounded_to_uint8(shifted_pair):
    a, b = shifted_pair
    np.testing.assert_array_equal(compute_flow(a.astype(np.float32) + 0.2, b.astype(np.float64) - 0.2),
                                  compute_flow(a, b))


def test_reused_estimator_is_deterministic(shifted_pair):
    a, b = shifted_pair
    dis = DISFlow()
    first = dis(a, b)
    dis(b, a)  # state from another call must not leak
    np.testing.assert_array_equal(dis(a, b), first)


# ---------------------------------------------------------------- resize_flow
def test_resize_flow_scales_vectors_per_axis():
    flow = np.broadcast_to(np.array((1.0, 2.0), np.float32), (10, 20, 2)).copy()
    out = resize_flow(flow, (20, 60))  # x3 in width, x2 in height
    assert out.shape == (20, 60, 2)
    np.testing.assert_allclose(out[..., 0], 3.0, atol=1e-6)
    np.testing.assert_allclose(out[..., 1], 4.0, atol=1e-6)
    assert flow[0, 0, 0] == 1.0  # input untouched


def _affine_flow(height: int, width: int) -> np.ndarray:
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    return np.dstack([0.1 * xs + 1.0, -0.05 * ys + 2.0])


def test_resize_flow_of_an_affine_field():
    # A pixel centre X of the (64, 64) result sits at x = (X + 0.5) / 2 - 0.5 of the (32, 32) source, and the
    # vector is doubled: out(X, Y) = 2 * flow(x, y). Bilinear interpolation is exact for an affine field.
    out = resize_flow(_affine_flow(32, 32), (64, 64))
    ys, xs = np.mgrid[0:64, 0:64].astype(np.float32)
    expected = 2.0 * np.dstack([0.1 * ((xs + 0.5) / 2 - 0.5) + 1.0, -0.05 * ((ys + 0.5) / 2 - 0.5) + 2.0])
    np.testing.assert_allclose(out[1:-1, 1:-1], expected[1:-1, 1:-1], atol=1e-4)


def test_resize_flow_forth_and_back():
    flow = _affine_flow(32, 48)
    back = resize_flow(resize_flow(flow, (64, 96)), (32, 48))
    np.testing.assert_allclose(back[1:-1, 1:-1], flow[1:-1, 1:-1], atol=1e-4)
