"""Chroma upsampling under full-resolution luminance, plus resize and working_size."""

import cv2
import numpy as np
import pytest
import skimage.data

from colorize.color import resize, rgb_to_lab, upsample_chroma, working_size
from colorize.color.upsample import resize_labels


def _step_scene(edge: int, vertical: bool = False, size: tuple[int, int] = (64, 128)):
    """Full-res L with a sharp step at column ``edge`` and a chroma step at the same place (the truth)."""
    height, width = size
    lum = np.full((height, width), 30.0, np.float32)
    lum[:, edge:] = 70.0
    ab = np.zeros((height, width, 2), np.float32)
    ab[:, :edge] = (40.0, -20.0)
    ab[:, edge:] = (-30.0, 50.0)
    if vertical:
        lum, ab = np.ascontiguousarray(lum.T), np.ascontiguousarray(ab.transpose(1, 0, 2))
    return lum, ab


# ---------------------------------------------------------------- smoke, cardinality
@pytest.mark.parametrize("small, full", [((16, 20), (64, 80)), ((30, 40), (61, 83)), ((8, 8), (9, 9))])
def test_upsample_chroma_cardinality(small, full):
    rng = np.random.default_rng(0)
    ab = rng.normal(0, 20, (*small, 2)).astype(np.float32)
    lum = rng.uniform(0, 100, full).astype(np.float32)
    out = upsample_chroma(ab, lum)
    assert out.shape == (*full, 2) and out.dtype == np.float32
    assert np.isfinite(out).all()


def test_upsample_chroma_same_size_is_identity():
    ab = np.random.default_rng(0).normal(0, 20, (16, 16, 2)).astype(np.float32)
    assert upsample_chroma(ab, np.zeros((16, 16), np.float32)) is ab


def test_constant_chroma_stays_constant_under_a_textured_guide():
    lum = rgb_to_lab(skimage.data.astronaut()[:128, :128])[..., 0]
    ab = np.full((32, 32, 2), (12.5, -7.0), np.float32)
    np.testing.assert_allclose(upsample_chroma(ab, lum), np.broadcast_to((12.5, -7.0), (128, 128, 2)), atol=1e-3)


# ---------------------------------------------------------------- color edges follow luminance edges
@pytest.mark.parametrize("factor", [2, 4])
@pytest.mark.parametrize("edge", [61, 62, 63])  # not on the low-resolution grid
@pytest.mark.parametrize("vertical", [False, True])
def test_chroma_edge_follows_luminance_edge_better_than_bilinear(factor, edge, vertical):
    lum, truth = _step_scene(edge, vertical)
    height, width = lum.shape
    small = cv2.resize(truth, (width // factor, height // factor), interpolation=cv2.INTER_AREA)
    guided = upsample_chroma(small, lum, "guided")
    bilinear = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    if vertical:  # compare along columns as rows
        truth, guided, bilinear = (x.transpose(1, 0, 2) for x in (truth, guided, bilinear))

    # Error on the two pixels that touch the edge. Measured guided / bilinear: 6.4-10.8 / 17.5-26.3 (x2),
    # 14.9-17.0 / 28.4-30.6 (x4), i.e. ratios 0.37-0.56.
    near = slice(edge - 1, edge + 1)
    error_guided = np.abs(guided - truth)[:, near].mean()
    error_bilinear = np.abs(bilinear - truth)[:, near].mean()
    assert error_guided < 0.65 * error_bilinear

    # Share of the whole chroma step taken between the two pixels of the luminance edge (truth: 1).
    # Measured guided 0.51-0.82, bilinear 0.13-0.50.
    def concentration(x):
        return np.abs(x[:, edge] - x[:, edge - 1]).mean() / np.abs(truth[:, edge] - truth[:, edge - 1]).mean()

    assert concentration(guided) > 0.45
    assert concentration(guided) > 1.5 * concentration(bilinear)
    # Far from the edge both are exact.
    np.testing.assert_allclose(guided[:, : edge - 16], truth[:, : edge - 16], atol=0.05)
    np.testing.assert_allclose(guided[:, edge + 16:], truth[:, edge + 16:], atol=0.05)


def test_guided_output_stays_within_input_chroma_range():
    # No ringing far beyond the two colors of the step (a linear model per window could overshoot).
    lum, truth = _step_scene(62)
    small = cv2.resize(truth, (32, 16), interpolation=cv2.INTER_AREA)
    out = upsample_chroma(small, lum, "guided")
    assert out[..., 0].min() > -30.0 - 1.0 and out[..., 0].max() < 40.0 + 1.0
    assert out[..., 1].min() > -20.0 - 1.0 and out[..., 1].max() < 50.0 + 1.0


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea"])
def test_bilinear_default_has_lower_mean_error_than_guided_on_photos(name):
    # Why bilinear is the default: averaged over a real photo, the guided filter copies luminance texture into
    # the chroma. Mean |Δab| after 4x reduction, measured: astronaut 1.63 / 1.94, coffee 1.77 / 2.00,
    # chelsea 0.94 / 1.13 (bilinear / guided).
    lab = rgb_to_lab(getattr(skimage.data, name)())
    height, width = lab.shape[:2]
    small = cv2.resize(lab[..., 1:], (width // 4, height // 4), interpolation=cv2.INTER_AREA)
    error = {m: np.abs(upsample_chroma(small, lab[..., 0], m) - lab[..., 1:]).mean() for m in ("bilinear", "guided")}
    assert error["bilinear"] < 0.95 * error["guided"]
    np.testing.assert_array_equal(upsample_chroma(small, lab[..., 0]), upsample_chroma(small, lab[..., 0], "bilinear"))


def test_unknown_upsampling_is_rejected():
    with pytest.raises(ValueError, match="unknown chroma upsampling"):
        upsample_chroma(np.zeros((4, 4, 2), np.float32), np.zeros((8, 8), np.float32), "nearest")


# ---------------------------------------------------------------- resize, working_size
def test_resize_shrinks_by_area_averaging():
    image = np.arange(4 * 6, dtype=np.float32).reshape(4, 6)
    expected = image.reshape(2, 2, 3, 2).mean(axis=(1, 3))  # means of the 2x2 blocks
    np.testing.assert_allclose(resize(image, (2, 3)), expected, atol=1e-5)


def test_resize_enlarges_bicubic_and_keeps_equal_size():
    image = skimage.data.coffee()[:40, :60]
    np.testing.assert_array_equal(resize(image, (80, 120)), cv2.resize(image, (120, 80), interpolation=cv2.INTER_CUBIC))
    assert resize(image, (40, 60)) is image
    assert resize(image, (20, 90)).shape == (20, 90, 3)  # fewer pixels in total: area


@pytest.mark.parametrize("height, width, max_side, expected", [
    (272, 640, 320, (136, 320)),  # bikes at half size
    (144, 176, 640, (144, 176)),  # never upscaled
    (720, 1280, 640, (360, 640)),  # bigbuckbunny
    (10, 2000, 640, (16, 640)),  # a side never goes under 16
    (640, 480, 640, (640, 480)),  # exactly the limit
])
def test_working_size(height, width, max_side, expected):
    assert working_size(height, width, max_side) == expected


def test_resize_labels_keeps_ids():
    labels = np.repeat(np.repeat(np.arange(6, dtype=np.int64).reshape(2, 3), 4, axis=0), 4, axis=1)  # 8x12 blocks
    small = resize_labels(labels, (2, 3))
    np.testing.assert_array_equal(small, np.arange(6).reshape(2, 3))
    assert small.dtype == np.int64
    big = resize_labels(small, (8, 12))
    np.testing.assert_array_equal(big, labels)
    assert resize_labels(labels, (8, 12)) is labels
