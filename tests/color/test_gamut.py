"""``compose_lab``: luminance kept, chroma fitted into sRGB through the max-chroma table (bisection for the rest)."""

import warnings

import numpy as np
import pytest
import skimage.color
import skimage.data

from colorize.color import compose_lab, lab_to_linear_rgb, lab_to_rgb, rgb_to_lab
from colorize.color.gamut import (
    _bisect_scale,
    _interpolate,
    _maybe_outside,
    _table_position,
    _two_intervals,
    gamut_fit,
    gamut_scale,
    max_chroma_table,
    out_of_gamut,
    safe_chroma,
)


def _skimage_lab2rgb(lab: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():  # "negative Z values clipped" on out-of-gamut input
        warnings.simplefilter("ignore", UserWarning)
        return skimage.color.lab2rgb(lab)


def test_compose_lab_reproduces_in_gamut_photo(photo):
    lab = rgb_to_lab(photo)
    out = compose_lab(lab[..., 0], lab[..., 1:])
    assert np.abs(out.astype(int) - photo).max() <= 1  # measured 0 on all three photos


def _naive_clip(lum: np.ndarray, ab: np.ndarray) -> np.ndarray:
    """Per-channel clipping of out-of-gamut colors (what compose_lab avoids), via skimage."""
    return np.clip(np.rint(_skimage_lab2rgb(np.dstack([lum, ab])) * 255), 0, 255).astype(np.uint8)


# Measured max |ΔL| with ab doubled: compose_lab 0.285 / 0.288 / 0.239, naive clipping 12.18 / 11.48 / 6.99
# (astronaut / coffee / chelsea). The bound 0.5 allows the uint8 rounding of the output (near black one sRGB step
# moves L by 0.27, so half a step on each channel plus OpenCV's ~1e-3 Lab->RGB error stays under 0.5) and, near
# white, the clip of overshoots under one level (gamut.py's slack above 1).
L_BOUND = 0.5


def test_compose_lab_keeps_luminance_when_chroma_is_exaggerated(photo):
    lab = rgb_to_lab(photo)
    lum, ab = lab[..., 0], 2.0 * lab[..., 1:]
    out = compose_lab(lum, ab)
    error = np.abs(skimage.color.rgb2lab(out)[..., 0] - lum)
    assert error.max() < L_BOUND
    assert error.mean() < 0.1  # measured 0.070 / 0.063 / 0.065
    naive_error = np.abs(skimage.color.rgb2lab(_naive_clip(lum, ab))[..., 0] - lum)
    assert naive_error.max() > 5.0  # the contrast: clipping each channel changes L by whole units


def test_compose_lab_only_desaturates_out_of_gamut_pixels(photo):
    lab = rgb_to_lab(photo)
    lum, ab = lab[..., 0], 2.0 * lab[..., 1:]
    requested = np.dstack([lum, ab])
    linear = lab_to_linear_rgb(requested)
    out_of_gamut = ((linear < -1e-4) | (linear > 1 + 1e-4)).any(axis=-1)
    assert 0.1 < out_of_gamut.mean() < 0.95  # measured 36% / 88% / 23%: the test exercises both paths
    out = compose_lab(lum, ab)
    # In gamut: exactly the requested color (up to rounding).
    expected = np.rint(lab_to_rgb(requested) * 255.0)
    assert np.abs(out[~out_of_gamut].astype(int) - expected[~out_of_gamut]).max() <= 1
    # Out of gamut: less chroma, the hue turned by at most the search window of 4.2 degrees (measured max 7.6 where
    # chroma > 10, the output's uint8 rounding included; 2.9 when the hue was kept).
    got = rgb_to_lab(out)
    chroma_out = np.hypot(got[..., 1], got[..., 2])
    chroma_req = np.hypot(ab[..., 0], ab[..., 1])
    assert (chroma_out[out_of_gamut] <= chroma_req[out_of_gamut] * 1.03 + 0.5).all()
    assert (chroma_out[out_of_gamut] / chroma_req[out_of_gamut]).mean() < 0.9  # measured 0.73 / 0.74 / 0.85
    hue = np.angle((got[..., 1] + 1j * got[..., 2]) * np.conj(ab[..., 0] + 1j * ab[..., 1]), deg=True)
    assert np.abs(hue[out_of_gamut & (chroma_out > 10)]).max() < 9.0


def _random_lab(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(0, 100, count), rng.normal(0, 60, (count, 2))]).astype(np.float32)


def _first_exit(lab: np.ndarray, steps: int = 2000) -> np.ndarray:
    """(N,) the largest chroma scale below which every scale fits in sRGB, by a dense scan (the reference)."""
    first_out = np.ones(len(lab), np.float32)
    for scale in np.linspace(1.0, 0.0, steps + 1, dtype=np.float32):
        scaled = lab * np.float32((1.0, scale, scale))
        first_out[out_of_gamut(lab_to_linear_rgb(scaled))] = scale
    return np.maximum(first_out - 1.0 / steps, 0.0)


def _grid(lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N,) fractional hue columns and L rows of (N, 3) Lab rows on the tables' grid."""
    return _table_position(np.asarray(lab, np.float32))[1:]


def _near_yellow(lab: np.ndarray) -> np.ndarray:
    """(N,) bool: the rows next to the yellow corner, where the colors that fit form two intervals."""
    return _interpolate(_two_intervals(), *_grid(lab)) > 0


def test_gamut_scale_matches_a_dense_scan():
    lab = _random_lab(20_000)
    lab = lab[out_of_gamut(lab_to_linear_rgb(lab)) & ~_near_yellow(lab)]  # those: see the tests below
    scale = gamut_scale(lab)
    fitted = lab * np.stack([np.ones_like(scale), scale, scale], axis=-1)
    assert not out_of_gamut(lab_to_linear_rgb(fitted)).any()  # every fitted color is inside
    error = (scale - _first_exit(lab)) * np.hypot(lab[:, 1], lab[:, 2])  # in chroma units
    # measured: 99.9 % within -0.12 / +0.09 (the scan's own step is 1/2000 of the chroma)
    assert np.percentile(np.abs(error), 99.9) < 0.3
    assert np.abs(error).mean() < 0.05


# The sRGB primaries and secondaries are corners of the gamut: the largest chroma at their L and hue is their own.
# Measured table / true: red 104.41 / 104.55, green 119.63 / 119.78, blue 132.86 / 133.80, cyan 49.70 / 50.12,
# magenta 115.01 / 115.54 (interpolation cuts a corner, never overshoots). Yellow is left out: at its L (97.1) the
# colors on the way from gray overshoot red by up to 3 %, so the first exit lies at chroma 27 (see the next tests).
@pytest.mark.parametrize("rgb", [(255, 0, 0), (0, 255, 0), (0, 0, 255), (0, 255, 255), (255, 0, 255)])
def test_table_reaches_the_corners_of_srgb(rgb):
    lab = rgb_to_lab(np.array([[rgb]], np.uint8))[0]
    limit = _interpolate(max_chroma_table(), *_grid(lab))[0]
    chroma = np.hypot(lab[0, 1], lab[0, 2])
    assert chroma * 0.99 < limit <= chroma + 0.01


def test_srgb_is_star_shaped_around_gray_except_next_to_yellow():
    # Every second ray of the table, sampled every chroma unit beyond its first exit up to 140: colors fit again
    # only on rays that the yellow-corner table marks (measured: 10 of these rays, at L 93.5-97.5, hue 99-105).
    table = max_chroma_table()[::2, :-1:2]
    lum = np.linspace(0.0, 100.0, 401, dtype=np.float32)[::2, None]
    hue = np.arange(0, 1024, 2, dtype=np.float32)[None, :] * np.float32(2 * np.pi / 1024)
    again = np.zeros(table.shape, bool)
    for chroma in np.arange(1.0, 140.0, dtype=np.float32):
        lab = np.stack(np.broadcast_arrays(lum, chroma * np.cos(hue), chroma * np.sin(hue)), axis=-1)
        fits = ~out_of_gamut(lab_to_linear_rgb(lab.reshape(-1, 3))).reshape(table.shape)
        again |= fits & (chroma > table + 0.5)
    assert 5 < again.sum() < 100  # the yellow corner is found at this sampling
    assert (_two_intervals()[::2, :-1:2][again] > 0).all()


def test_a_chroma_between_the_two_intervals_is_kept():
    # On the ray at L 97.3, hue 104.4 chroma 0-34 and 70-89 fit. A camera-clipped yellow lamp lies there; fitted down
    # to the first exit its chroma jumped between about 34 and 70 as L and hue moved a little (the video flickered).
    hue = np.radians(104.4)
    chroma = np.array([30.0, 50.0, 60.0, 75.0, 120.0], np.float32)
    lum = np.full((1, len(chroma)), 97.3, np.float32)
    got = rgb_to_lab(compose_lab(lum, np.stack([chroma * np.cos(hue), chroma * np.sin(hue)], axis=-1)[None]))[0]
    # measured 29.9, 49.9, 60.0, 74.9, 94.4 (120 is beyond the outer interval, whose end is 89.2 on this hue and
    # farther on a hue within the search window)
    np.testing.assert_allclose(np.hypot(got[:, 1], got[:, 2]), [30.0, 50.0, 60.0, 75.0, 94.4], atol=1.0)
    assert np.abs(got[:, 0] - 97.3).max() < L_BOUND


def test_clipping_next_to_yellow_keeps_luminance():
    # The kept colors are clipped per channel: over random colors around the yellow corner L moves by under L_BOUND
    # (measured 0.457, rounding to uint8 included).
    rng = np.random.default_rng(0)
    count = 200_000
    hue = np.radians(rng.uniform(85.0, 125.0, count))
    chroma = rng.uniform(0.0, 130.0, count)
    lum = rng.uniform(85.0, 100.0, count).astype(np.float32).reshape(400, 500)
    ab = np.stack([chroma * np.cos(hue), chroma * np.sin(hue)], axis=-1).astype(np.float32).reshape(400, 500, 2)
    assert np.abs(rgb_to_lab(compose_lab(lum, ab))[..., 0] - lum).max() < L_BOUND


def test_strips_compose_like_one_piece():
    lab = _random_lab(720 * 1280, seed=1).reshape(720, 1280, 3)  # large enough for the strip threads
    whole = compose_lab(lab[..., 0], lab[..., 1:])
    for top, bottom in ((0, 100), (100, 405), (405, 720)):  # small pieces, composed on this thread
        np.testing.assert_array_equal(compose_lab(lab[top:bottom, :, 0], lab[top:bottom, :, 1:]), whole[top:bottom])


def test_non_finite_chroma_becomes_gray_with_its_luminance():
    lum = np.full((2, 3), 50.0, np.float32)
    ab = np.zeros((2, 3, 2), np.float32)
    ab[0] = [(np.nan, 0.0), (np.inf, 1.0), (-np.inf, np.nan)]  # what a diverged model may give
    ab[1] = [(1e30, 0.0), (0.0, -1e30), (20.0, 10.0)]  # huge but finite: scaled into the gamut
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy overflow warnings reach the user
        out = compose_lab(lum, ab)
    gray = compose_lab(lum[:1, :1], np.zeros((1, 1, 2), np.float32))[0, 0]
    assert (out[0] == gray).all()  # L 50 gray: (119, 119, 119)
    np.testing.assert_allclose(skimage.color.rgb2lab(out)[..., 0], 50.0, atol=L_BOUND)
    assert (out[1, 2].max() - out[1, 2].min()) > 10  # the in-gamut color is kept


def test_safe_chroma_is_inside_at_every_hue():
    # The pre-test that lets most pixels skip the exact gamut test: at the safe chroma of each L step, every hue
    # (and every L that rounds to that step) is inside sRGB. Measured: the safe chroma peaks at 35.9 (L about 67).
    lum = np.linspace(0.0, 100.0, 1021, dtype=np.float32)
    hue = np.linspace(0.0, 2 * np.pi, 720, endpoint=False, dtype=np.float32)
    chroma = safe_chroma()[np.rint(lum * 2.55).astype(int)]
    lab = np.stack(np.broadcast_arrays(lum[:, None], (chroma[:, None] * np.cos(hue)), chroma[:, None] * np.sin(hue)),
                   axis=-1).reshape(-1, 3)
    assert not out_of_gamut(lab_to_linear_rgb(lab)).any()
    assert 30.0 < safe_chroma().max() < 40.0 and safe_chroma()[0] < 1.0


def test_only_pixels_the_pre_test_flags_can_be_outside(photo):
    # Chroma exaggerated x1.5 (many pixels outside) plus non-finite values: every pixel outside sRGB by the exact test
    # is among those the pre-test sends to it.
    lab = rgb_to_lab(photo)
    lum, ab = lab[..., 0], lab[..., 1:] * np.float32(1.5)
    ab[0, :4, 0] = [np.nan, np.inf, -np.inf, 1e30]
    with np.errstate(over="ignore", invalid="ignore"):
        exact = np.flatnonzero(out_of_gamut(lab_to_linear_rgb(np.dstack([lum, ab]))))
        maybe = _maybe_outside(lum, np.ascontiguousarray(ab))
    assert exact.size > 100 and np.isin(exact, maybe).all()


def test_gamut_fit_is_never_farther_than_scaling_towards_gray():
    lab = _random_lab(20_000, seed=1)
    lab = lab[out_of_gamut(lab_to_linear_rgb(lab)) & ~_near_yellow(lab)]
    fitted = gamut_fit(lab)
    fitted_lab = np.column_stack([lab[:, 0], fitted])
    outside = out_of_gamut(lab_to_linear_rgb(fitted_lab))
    assert outside.sum() < 10 and _near_yellow(fitted_lab[outside]).all()  # measured 8: kept there, to be clipped
    nearest = np.hypot(*(fitted - lab[:, 1:]).T)
    scaled = np.hypot(*(lab[:, 1:] * (gamut_scale(lab)[:, None] - 1.0)).T)
    assert (nearest <= scaled + 1e-3).all()
    assert (nearest < scaled - 1.0).mean() > 0.2  # measured 0.44: often much nearer


def test_gamut_fit_finds_the_nearest_color_of_a_dense_search():
    # Reference: every hue within the window at 1/8 of a table column, each ray's first exit by bisection, and the
    # nearest point of its inside part.
    lab = _random_lab(3_000, seed=2)
    lab = lab[out_of_gamut(lab_to_linear_rgb(lab)) & ~_near_yellow(lab)]
    chroma, hue = np.hypot(lab[:, 1], lab[:, 2]), np.arctan2(lab[:, 2], lab[:, 1])
    best = np.full(len(lab), np.inf, np.float32)
    for turn in np.radians(np.linspace(-12 * 360 / 1024, 12 * 360 / 1024, 12 * 8 * 2 + 1)):
        ray = np.column_stack([lab[:, 0], np.cos(hue + turn) * chroma, np.sin(hue + turn) * chroma]).astype(np.float32)
        limit = _bisect_scale(ray, np.ones(len(lab), np.float32), steps=20) * chroma
        along = np.clip(chroma * np.cos(turn), 0.0, limit)
        best = np.minimum(best, np.sqrt(chroma**2 + along**2 - 2 * chroma * along * np.cos(turn)))
    excess = np.hypot(*(gamut_fit(lab) - lab[:, 1:]).T) - best  # chroma units: the table's interpolation
    assert np.quantile(excess, 0.99) < 0.5 and excess.max() < 1.5 and excess.min() > -0.2  # measured 0.38, 1.09, -0.00


def test_a_bright_yellow_keeps_its_saturation():
    # robot's yellow parts at frame 45: the chroma carried from frame 0 (a 4.6, b 84) is outside sRGB at the frame's
    # L 87, where the camera shows a 1, b 85. Scaled towards gray it became b 58; the nearest color keeps b 84.
    fitted = gamut_fit(np.array([[87.0, 4.6, 84.0]], np.float32))[0]
    assert fitted[1] > 83.0 and abs(fitted[0]) < 2.0  # measured a -1.6, b 83.9
