"""Fitting chroma into sRGB without changing L: ``compose_lab``, the last step of every colorization.

A pixel whose requested color is outside sRGB keeps its L; its chroma becomes the nearest one inside (distance in
the ab plane at that L) among the hues within 4.2 degrees of its own (:func:`gamut_fit`), and whatever that leaves
outside is scaled towards gray to the first point on the way from gray where the color leaves sRGB. A camera that
clips a bright saturated color turns its hue a few degrees as well as desaturating it; keeping the hue alone made
such colors flicker between deep and pale as their L moved (robot's yellow, benchmarks/README.md, "Nearest color at
the same L"). The largest chroma inside at each (L, hue) is tabulated once (:func:`max_chroma_table`, 0.3 s) and
looked up with bilinear interpolation; the few pixels the interpolation leaves outside (where the boundary bends
between samples) are finished by bisection.

The sRGB solid is star-shaped around the gray axis except next to its yellow corner (hue about 97-107 degrees, L
90-100): there the colors of one (L, hue) that fit form two intervals, e.g. chroma 0-34 and 70-89 at L 97.3, hue
104.4, with red overshooting 1 by up to 3 % in between. There a requested chroma up to the end of the outer interval
(:func:`hull_chroma_table`) is kept and clipped per channel, which moves L by under 0.46 (uint8 rounding included).
Fitting it down to the first exit instead made camera-clipped yellow lamps flicker between the two intervals as
their L and hue moved a little (benchmarks/README.md, "Yellow highlights").

Which pixels need fitting at all is decided exactly, but only for those whose chroma exceeds what every hue keeps
inside at their L (:func:`safe_chroma`); the others, most of a video's, skip the test (composing a 640x360 frame of
propagated chroma took 4.1 instead of 7.2-7.9 ms, the output unchanged).

The table makes fitting a frame that is largely outside (an untrained model's chroma) 2.5-4x faster than bisection
alone; the timings are in benchmarks/README.md ("Measurements once kept in module docstrings").
"""

import functools
import os

import cv2
import numpy as np

from colorize.color.lab import lab_to_linear_rgb
from colorize.utils.threads import SharedPool

# Frames of more than this many pixels per strip are composed in strips on these threads (NumPy's element-wise
# work runs on one core otherwise).
_STRIP_PIXELS = 1 << 17
_THREADS = min(4, os.cpu_count() or 1)
_STRIPS = SharedPool(_THREADS, "colorize-compose")
# Linear RGB within [-1e-4, 1 + 9e-3] counts as inside. Above 1 the slack is one uint8 level of the output (sRGB
# 1 + 1/255 is linear 1.009), clipped when converted: a saturated color that the input's luminance noise pushes just
# outside keeps its chroma instead of following the boundary, which flickered (robot: warping error 1.47 -> 1.37 x
# the truth's, PSNR +1.2 dB; benchmarks/README.md, "Yellow highlights"). Below 0 it stays tight, where a clip of 1e-3
# would move a dark L by 0.6.
_BELOW, _ABOVE = -1e-4, 1 + 9e-3
_L_STEPS, _HUE_STEPS = 401, 1024  # table rows (L 0, 0.25, ..., 100) and columns (hue, 360 / 1024 degrees each)
_MAX_CHROMA = 200.0  # no sRGB color has a larger chroma (the largest is about 134)
_INSIDE = 0.9999  # the table's limit lies on the boundary: aim 0.01 % inside it (fewer left for bisection)
_BISECTION_STEPS = 12  # for the pixels the table leaves outside: to within 1/4096 of their chroma
# Where the sRGB solid is not star-shaped around gray (the yellow corner; a test scans the table's rays for others):
# table rows from L 50 and columns of hues 85-125 degrees, sampled beyond the first exit every 0.5 chroma.
_NOT_STAR_L = 50.0
_NOT_STAR_HUES = (85.0, 125.0)
_HULL_STEP = 0.5
_NEIGHBOURS = 2
# gamut_fit looks this many table columns (4.2 degrees) either side of the requested hue, every 2nd column (0.7 deg)
_HUE_WINDOW, _HUE_STRIDE = 12, 2


def compose_lab(lum: np.ndarray, ab: np.ndarray) -> np.ndarray:
    """Combine input luminance (H, W) and predicted chroma (H, W, 2) into (H, W, 3) uint8 RGB.

    Out-of-gamut pixels keep their L and hue: their chroma is scaled towards gray until the color fits in sRGB,
    instead of clipping each channel, which would change L. Large frames are composed in horizontal strips on up to
    four threads.
    """
    if lum.shape != ab.shape[:2] or ab.shape[-1] != 2:
        raise ValueError(f"luminance {lum.shape} and chroma {ab.shape} do not match")
    height, width = lum.shape
    rgb = np.empty((height, width, 3), np.uint8)
    strips = max(1, min(_THREADS, height * width // _STRIP_PIXELS))
    if strips == 1:
        _compose_into(rgb, lum, ab)
    else:
        bounds = np.linspace(0, height, strips + 1).astype(int)

        def compose_strip(top: int, bottom: int) -> None:
            _compose_into(rgb[top:bottom], lum[top:bottom], ab[top:bottom])

        list(_STRIPS.get().map(compose_strip, bounds[:-1], bounds[1:]))
    return rgb


def _compose_into(rgb: np.ndarray, lum: np.ndarray, ab: np.ndarray) -> None:
    lum, ab = np.ascontiguousarray(lum, np.float32), np.ascontiguousarray(ab, np.float32)
    lab = cv2.merge([lum, ab])  # a new array
    rows = lab.reshape(-1, 3)  # a view: written in place
    with np.errstate(over="ignore", invalid="ignore"):  # huge or non-finite chroma (a diverged model) is outside
        maybe = _maybe_outside(lum, ab)  # indices: 2-3x faster than a boolean mask
        outside = maybe[out_of_gamut(lab_to_linear_rgb(rows[maybe]))] if maybe.size else maybe
    if outside.size:
        chosen = rows[outside]
        chosen[~np.isfinite(chosen[:, 1:]).all(axis=1), 1:] = 0.0  # NaN or infinite chroma: no color at all
        rows[outside, 1:] = gamut_fit(chosen)
    srgb = cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)  # in [0, 1] (in gamut now); OpenCV is accurate to ~1e-3
    rgb[...] = cv2.convertScaleAbs(srgb, alpha=255.0)  # x 255, rounded and saturated to uint8


def _maybe_outside(lum: np.ndarray, ab: np.ndarray) -> np.ndarray:
    """Flat indices of the pixels of (H, W) L and (H, W, 2) ab that may lie outside sRGB: those whose chroma exceeds
    what every hue has inside at their L (:func:`safe_chroma`), or is not finite. The others are inside for sure and
    skip the exact test (most pixels of a video: the test on all of them was half the time of composing a frame)."""
    a, b = ab[..., 0], ab[..., 1]
    chroma2 = a * a
    chroma2 += b * b
    row = cv2.convertScaleAbs(np.clip(lum, 0.0, 100.0), alpha=(len(safe_chroma()) - 1) / 100.0)  # rounded uint8
    limit2 = cv2.LUT(row, np.square(safe_chroma()))
    return np.flatnonzero(~(chroma2 <= limit2))  # NaN compares False: tested


@functools.cache
def safe_chroma() -> np.ndarray:
    """(256,) float32: for L rounded to the steps 0, 100/255, ..., 100, a chroma that every hue has inside sRGB at
    every L that rounds there (the table's least over those L and all hues, less 5 % for its interpolation)."""
    table = max_chroma_table()
    steps = 256
    centres = np.arange(steps) * (100.0 / (steps - 1))
    half = 50.0 / (steps - 1)
    per_row = (_L_STEPS - 1) / 100.0
    low = np.clip(np.floor((centres - half) * per_row).astype(int) - 1, 0, _L_STEPS - 1)
    high = np.clip(np.ceil((centres + half) * per_row).astype(int) + 1, 0, _L_STEPS - 1)
    least = table.min(axis=1)
    return np.array([least[lo:hi + 1].min() for lo, hi in zip(low, high)], np.float32) * np.float32(0.95)


def out_of_gamut(linear: np.ndarray) -> np.ndarray:
    """(...) bool: some channel of (..., 3) *linear* RGB ``linear`` is outside [0, 1] (up to the slack above)."""
    flat = np.ascontiguousarray(linear, np.float32).reshape(-1, 1, 3)
    return (cv2.inRange(flat, (_BELOW,) * 3, (_ABOVE,) * 3) == 0).reshape(linear.shape[:-1])


def gamut_fit(lab: np.ndarray) -> np.ndarray:
    """(N, 2) float32 chroma for (N, 3) Lab rows outside sRGB that fits with L kept: the chroma nearest the requested
    one inside the solid's star-shaped hull on the hues within ``_HUE_WINDOW`` table columns of its own, then scaled
    towards gray by bisection where the table's interpolation leaves it outside (as in :func:`gamut_scale`). Never
    farther from the request than :func:`gamut_scale`'s color, which is one of the candidates."""
    lab = np.asarray(lab, np.float32)
    chroma, column, l_row = _table_position(lab)
    offsets = np.arange(-_HUE_WINDOW, _HUE_WINDOW + 1, _HUE_STRIDE, dtype=np.float32)
    columns = (column + np.float32(_HUE_WINDOW))[:, None] + offsets  # on the wrapped table: no modulo needed
    limits = _interpolate(_wrapped_hull_table(), columns.ravel(), np.repeat(l_row, offsets.size))
    limits = limits.reshape(columns.shape) * np.float32(_INSIDE)
    turn = np.cos(offsets * np.float32(2 * np.pi / _HUE_STEPS))  # cosine of the angle to the requested hue
    projection = chroma[:, None] * turn
    along = np.minimum(projection, limits, out=limits)  # the nearest point of each ray's inside part
    projection *= -2.0
    projection += along
    best = np.multiply(projection, along, out=projection).argmin(axis=1)  # the squared distance less chroma²
    chosen = along[np.arange(len(lab)), best]
    column = np.mod(column + offsets[best], np.float32(_HUE_STEPS))
    hue = column * np.float32(2 * np.pi / _HUE_STEPS)
    nearest = np.column_stack([lab[:, 0], chosen * np.cos(hue), chosen * np.sin(hue)])
    return nearest[:, 1:] * _exact_scale(nearest, np.ones(len(lab), np.float32), column, l_row)[:, None]


def gamut_scale(lab: np.ndarray) -> np.ndarray:
    """(N,) float32 factor in [0, 1] for the chroma of each (N, 3) Lab row so that it fits in sRGB with L kept (next
    to the yellow corner: in the solid's star-shaped hull around gray, to be clipped per channel)."""
    lab = np.asarray(lab, np.float32)
    chroma, hue_column, l_row = _table_position(lab)
    limit = _interpolate(hull_chroma_table(), hue_column, l_row)
    scale = np.minimum(limit * np.float32(_INSIDE) / np.maximum(chroma, 1e-6), 1.0)
    return _exact_scale(lab, scale, hue_column, l_row)


def _exact_scale(lab: np.ndarray, scale: np.ndarray, hue_column: np.ndarray, l_row: np.ndarray) -> np.ndarray:
    """``scale`` (N,) where it leaves the (N, 3) Lab row inside sRGB (or next to the yellow corner, to be clipped),
    else found by bisection below it; ``hue_column`` and ``l_row``: the rows' places on the tables' grid."""
    left = np.flatnonzero(out_of_gamut(lab_to_linear_rgb(_scaled(lab, scale))))
    if left.size:  # next to the yellow corner the outer interval is kept (clipped); elsewhere the boundary bends
        two_intervals = _interpolate(_two_intervals(), hue_column[left], l_row[left]) > 0  # between table samples:
        left = left[~two_intervals]
    if left.size:  # those are finished by bisection below the table's guess
        scale[left] = _bisect_scale(lab[left], scale[left])
    return scale


@functools.cache
def max_chroma_table() -> np.ndarray:
    """(401, 1025) float32: the largest chroma inside sRGB at L = 0, 0.25, ..., 100 (rows) and hue 0 to 360 degrees
    in 1024 steps (columns; the last repeats the first, so interpolation wraps around)."""
    lum = np.repeat(np.linspace(0.0, 100.0, _L_STEPS, dtype=np.float32), _HUE_STEPS)
    hue = np.tile(np.arange(_HUE_STEPS, dtype=np.float32) * np.float32(2 * np.pi / _HUE_STEPS), _L_STEPS)
    direction = np.stack([lum, np.cos(hue), np.sin(hue)], axis=-1)
    limit = _bisect_scale(direction * np.float32((1.0, _MAX_CHROMA, _MAX_CHROMA)), np.ones(len(lum), np.float32),
                          steps=24) * _MAX_CHROMA
    table = limit.reshape(_L_STEPS, _HUE_STEPS)
    return np.ascontiguousarray(np.concatenate([table, table[:, :1]], axis=1))


@functools.cache
def hull_chroma_table() -> np.ndarray:
    """(401, 1025) float32 like :func:`max_chroma_table`, but the last chroma inside sRGB on each ray rather than the
    first exit (the boundary of the solid's star-shaped hull around gray, to within ``_HULL_STEP``). The two differ
    only next to the yellow corner, where the colors that fit form two intervals."""
    table = max_chroma_table().copy()
    rows = slice(round(_NOT_STAR_L * (_L_STEPS - 1) / 100), _L_STEPS)
    columns = slice(*(round(hue * _HUE_STEPS / 360) for hue in _NOT_STAR_HUES))
    first = table[rows, columns]
    lum = np.linspace(0.0, 100.0, _L_STEPS, dtype=np.float32)[rows, None]
    hue = np.arange(_HUE_STEPS + 1, dtype=np.float32)[columns] * np.float32(2 * np.pi / _HUE_STEPS)
    last = first.copy()
    for chroma in np.arange(_HULL_STEP, _MAX_CHROMA, _HULL_STEP, dtype=np.float32):
        beyond = chroma > first  # rays that have left sRGB by this chroma
        if not beyond.any():
            continue
        lab = np.stack(np.broadcast_arrays(lum, chroma * np.cos(hue), chroma * np.sin(hue)), axis=-1)
        fits = beyond & ~out_of_gamut(lab_to_linear_rgb(lab.reshape(-1, 3))).reshape(first.shape)
        last[fits] = chroma
    table[rows, columns] = last
    return table


@functools.cache
def _wrapped_hull_table() -> np.ndarray:
    """(401, 1025 + 2 ``_HUE_WINDOW``) float32: :func:`hull_chroma_table` with ``_HUE_WINDOW`` columns of the hues
    across 0 degrees repeated on either side, so column c + ``_HUE_WINDOW`` holds hue column c for every c from
    -``_HUE_WINDOW`` to 1024 + ``_HUE_WINDOW``."""
    table = hull_chroma_table()
    return np.ascontiguousarray(np.concatenate(
        [table[:, _HUE_STEPS - _HUE_WINDOW:_HUE_STEPS], table, table[:, 1:_HUE_WINDOW + 1]], axis=1))


@functools.cache
def _two_intervals() -> np.ndarray:
    """(401, 1025) float32: 1 on the rays whose colors inside sRGB form two intervals and their neighbours (up to
    ``_NEIGHBOURS`` rows and columns away: thinner gaps lie between the table's rays), 0 elsewhere."""
    two = (hull_chroma_table() > max_chroma_table()).astype(np.float32)
    return cv2.dilate(two, np.ones((2 * _NEIGHBOURS + 1,) * 2, np.uint8))


def _bisect_scale(lab: np.ndarray, upper: np.ndarray, steps: int = _BISECTION_STEPS) -> np.ndarray:
    """(N,) chroma scale in [0, ``upper``] (bisection) keeping (N, 3) Lab rows inside sRGB; L is fixed.

    Along nearly every ray from gray the colors that fit form one interval, whose end this finds; where they do not
    (the yellow corner, see the module docstring) it finds one of the exits."""
    lo = np.zeros(len(lab), np.float32)  # chroma scale known to fit (gray)
    hi = np.asarray(upper, np.float32).copy()  # scale known (or taken) not to fit
    for _ in range(steps):
        mid = (lo + hi) / 2
        bad = out_of_gamut(lab_to_linear_rgb(_scaled(lab, mid)))
        hi, lo = np.where(bad, mid, hi), np.where(bad, lo, mid)
    return lo


def _table_position(lab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(N,) chroma, fractional hue column in [0, 1024) and L row of (N, 3) float32 Lab rows on the tables' grid."""
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    column = np.arctan2(lab[:, 2], lab[:, 1]) * np.float32(_HUE_STEPS / (2 * np.pi))
    column[column < 0] += _HUE_STEPS
    return chroma, column, np.clip(lab[:, 0], 0.0, 100.0) * np.float32((_L_STEPS - 1) / 100.0)


def _interpolate(table: np.ndarray, column: np.ndarray, row: np.ndarray) -> np.ndarray:
    """(N,) bilinear samples of ``table`` at (N,) fractional ``column``, ``row``: one ``cv2.remap`` over the points
    laid out as rows of 1024 (remap takes fewer than 32767 rows and columns)."""
    size = len(column)
    padded = -(-size // 1024) * 1024
    maps = [np.pad(values, (0, padded - size)).reshape(-1, 1024) for values in (column, row)]
    return cv2.remap(table, *maps, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).reshape(-1)[:size]


def _scaled(lab: np.ndarray, scale: np.ndarray) -> np.ndarray:
    out = lab.copy()
    out[:, 1:] *= scale[:, None]
    return out
