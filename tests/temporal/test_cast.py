"""Global cast: estimated exactly on a hand-made cast, robust to a recolored region, and steadied by CastTrack."""

import numpy as np
import pytest

from colorize.color import rotate_chroma
from colorize.temporal.cast import CastTrack, apply_cast, estimate_cast


@pytest.fixture(scope="module")
def chroma() -> np.ndarray:
    """(96, 128, 2) float32 ab: smooth random colors, |ab| about 20-40."""
    rng = np.random.default_rng(0)
    coarse = rng.uniform(-40, 40, (6, 8, 2)).astype(np.float32)
    return np.kron(coarse, np.ones((16, 16, 1), np.float32))


def test_apply_cast_turns_and_scales(chroma):
    out = apply_cast(chroma, complex(np.log(1.1), np.deg2rad(15.0)))
    np.testing.assert_allclose(out, rotate_chroma(chroma, 15.0, 1.1), atol=1e-4)
    assert apply_cast(chroma, 0j) is chroma


@pytest.mark.parametrize("degrees, gain", [(12.0, 0.85), (-19.0, 1.2)])
def test_estimate_recovers_a_hand_made_cast(chroma, degrees, gain):
    log_cast, spread = estimate_cast(rotate_chroma(chroma, degrees, gain), chroma, np.ones(chroma.shape[:2]))
    assert np.rad2deg(log_cast.imag) == pytest.approx(degrees, abs=0.05)
    assert np.exp(log_cast.real) == pytest.approx(gain, abs=1e-3)
    assert abs(spread) < 1e-3  # the same cast everywhere: both halves agree


def test_estimate_ignores_a_recolored_region_and_gray_frames(chroma):
    """A third of the frame turned by 90° besides the global 10°: the estimate still says 10°."""
    changed = rotate_chroma(chroma, 10.0)
    changed[:, :48] = rotate_chroma(changed[:, :48], 90.0)
    log_cast, _ = estimate_cast(changed, chroma, np.ones(chroma.shape[:2]))
    assert np.rad2deg(log_cast.imag) == pytest.approx(10.0, abs=0.1)
    assert estimate_cast(np.zeros_like(chroma), np.zeros_like(chroma), np.ones(chroma.shape[:2])) is None
    assert estimate_cast(chroma, chroma, np.zeros(chroma.shape[:2])) is None  # nothing trusted


def run_track(track: CastTrack, casts: np.ndarray, lookahead: int = 0) -> np.ndarray:
    """The output's cast per frame for input casts (log-casts), spread as measured on clean frames (tiny)."""
    track.start(complex(casts[0]))
    out = [track.output_cast()] if lookahead == 0 else []
    for t in range(1, len(casts)):
        change = (complex(casts[t] - casts[t - 1]), 1e-4 + 1e-4j)
        if track.jumps(change):  # as the stabiliser does (which also outputs what it held with the old cast)
            track.start(track.input_cast + change[0])
        else:
            track.add(change)
        if t >= lookahead:
            out.append(track.output_cast())
    return np.array(out + [track.output_cast()] * lookahead)


def test_track_steadies_flicker_and_lookahead_starts_near_the_mean():
    """I.i.d. casts (hue ±20°, gain ±20%): the output's cast moves far less than the input's, ends near the mean,
    and with lookahead starts near the mean of the first frames instead of frame 0's own cast."""
    rng = np.random.default_rng(2)
    casts = np.log(rng.uniform(0.8, 1.2, 120)) + 1j * np.deg2rad(rng.uniform(-20, 20, 120))
    causal = run_track(CastTrack(), casts)
    ahead = run_track(CastTrack(tolerance=2.0), casts, lookahead=8)
    for out in (causal, ahead):
        travel = np.abs(np.diff(out)).sum()
        assert travel < 0.05 * np.abs(np.diff(casts)).sum()
        assert abs(out[-1] - casts.mean()) < 0.05
    assert abs(ahead[0] - casts[:9].mean()) < 1e-9 and causal[0] == casts[0]


def test_track_follows_true_changes_at_once():
    """A jump far beyond the flicker (none here; then ±2°) is a true change: the output takes it at once."""
    rng = np.random.default_rng(3)
    for flicker in (0.0, np.deg2rad(2.0)):
        casts = np.r_[np.zeros(30), np.full(10, 0.5j)] + 1j * flicker * rng.uniform(-1, 1, 40)
        out = run_track(CastTrack(), casts)
        assert abs(out[30] - casts[30]) < 1e-9 and abs(out[32] - 0.5j) < 0.05


def test_track_anchor_sets_the_truth():
    track = CastTrack()
    track.start(0.2j, truth=True)
    assert track.output_cast() == 0 and track.input_cast == 0.2j
