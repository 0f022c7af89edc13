"""Side-by-side panels, contact sheets and the choice of sheet frames."""

import numpy as np
import pytest
import skimage.data

from colorize.viz import contact_sheet, label, sheet_indices, side_by_side


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return skimage.data.chelsea()  # (300, 451, 3)


def test_label_draws_text_in_the_top_left_corner_only(photo):
    out = label(photo, "colorized")
    assert out.shape == photo.shape and out.dtype == np.uint8
    changed = np.argwhere((out != photo).any(axis=-1))
    assert len(changed) > 100
    assert changed[:, 0].max() < 60 and changed[:, 1].max() < photo.shape[1] // 2
    assert not np.array_equal(out, photo) and np.array_equal(photo, skimage.data.chelsea())  # input untouched


@pytest.mark.parametrize("background", [0, 128, 255])
def test_label_is_legible_on_any_content(background):
    # White strokes on a box darkened to 35 %: on black, mid-gray and white alike, many pixels are near white and the
    # box around them is dark, so the text stands out by well over 100 levels whatever OpenCV renders the font with.
    image = np.full((60, 200, 3), background, np.uint8)
    out = label(image, "input")
    changed = np.any(out != image, axis=-1)
    rows, cols = np.nonzero(changed)
    region = out[rows.min():rows.max() + 1, cols.min():cols.max() + 1].min(axis=-1)
    text, box = region >= 200, region <= round(0.35 * background) + 1
    assert text.sum() > 20 and box.sum() > 100
    assert region.shape[0] < 40 and region.shape[1] < 120  # a corner label, not a banner
    np.testing.assert_array_equal(out[rows.max() + 1:], image[rows.max() + 1:])  # nothing drawn below the label


def test_side_by_side_shape_and_layout(photo):
    gray = photo.mean(axis=-1).astype(np.uint8)
    out = side_by_side([("input", gray), ("colorized", photo), ("ground truth", photo)], gap=4)
    height, width = photo.shape[:2]
    assert out.shape == (height, 3 * width + 2 * 4, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[:, width:width + 4], 0)  # black gaps
    np.testing.assert_array_equal(out[:, 2 * width + 4:2 * width + 8], 0)
    # Panels land in order; below the label each is the image itself (the gray one repeated to RGB).
    np.testing.assert_array_equal(out[80:, :width], np.repeat(gray[80:, :, None], 3, axis=-1))
    np.testing.assert_array_equal(out[80:, width + 4:2 * width + 4], photo[80:])
    np.testing.assert_array_equal(out[:60, width + 4:2 * width + 4], label(photo, "colorized")[:60])


def test_side_by_side_labels_differ(photo):
    out = side_by_side([("input", photo), ("colorized", photo)], gap=0)
    width = photo.shape[1]
    assert not np.array_equal(out[:60, :width], out[:60, width:])  # different text on the same picture


def test_contact_sheet_stacks_rows(photo):
    rows = [photo, photo[::-1].copy(), 255 - photo]
    out = contact_sheet(rows, max_width=1600, gap=4)
    height, width = photo.shape[:2]
    assert out.shape == (3 * height + 2 * 4, width, 3)
    np.testing.assert_array_equal(out[:height], photo)  # no downscale when narrow enough
    np.testing.assert_array_equal(out[height:height + 4], 0)
    np.testing.assert_array_equal(out[2 * (height + 4):], 255 - photo)


def test_contact_sheet_downscales_wide_rows(photo):
    wide = np.concatenate([photo] * 4, axis=1)  # (300, 1804, 3)
    out = contact_sheet([wide, wide], max_width=902, gap=2)
    assert out.shape == (2 * 150 + 2, 902, 3)
    # Area averaging: the scaled row's mean color matches the original's.
    np.testing.assert_allclose(out[:150].reshape(-1, 3).mean(0), wide.reshape(-1, 3).mean(0), atol=1.0)


@pytest.mark.parametrize("num_frames, count, expected", [
    (100, 6, [0, 20, 40, 59, 79, 99]),
    (7, 6, [0, 1, 2, 4, 5, 6]),
    (10, 2, [0, 9]),
    (6, 6, [0, 1, 2, 3, 4, 5]),
    (5, 6, [0, 1, 2, 3, 4]),  # fewer frames than rows: all of them
    (1, 1, [0]),
    (0, 6, []),
])
def test_sheet_indices(num_frames, count, expected):
    assert sheet_indices(num_frames, count) == expected


@pytest.mark.parametrize("num_frames", [2, 13, 250, 1001])
def test_sheet_indices_spread_evenly_including_first_and_last(num_frames):
    indices = sheet_indices(num_frames, 6)
    assert indices[0] == 0 and indices[-1] == num_frames - 1
    assert indices == sorted(set(indices)) and len(indices) == min(6, num_frames)
    gaps = np.diff(indices)
    assert gaps.max() - gaps.min() <= 1  # even spacing up to rounding


def test_sheet_indices_single_row():
    assert sheet_indices(10, 1) == [5]  # one row: the middle frame
    assert sheet_indices(10, 0) == []
