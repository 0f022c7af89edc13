"""Global color cast of a frame's chroma (CIE Lab ab, raw scaling) and the filter that steadies it over a shot.

A global cast is one hue rotation and one chroma gain for the whole frame. With ab read as the complex number
``z = a + ib``, a cast multiplies ``z`` by ``gain * exp(i * angle)``; its log, ``ln(gain) + i * angle`` (angle in
radians), adds, so casts are handled here as complex logs ("log-casts").

Per-frame colorizers flicker globally as much as locally: each frame's colors turned and scaled a little. The
stabiliser measures each input frame's cast relative to the previous *input* frame (:func:`estimate_cast`, warped
onto it, on trusted pixels, robust to regions whose colors truly changed) and chains them into the input's cast
since the shot began; :class:`CastTrack` turns that into the output's cast. The output's cast moves as little as
the evidence allows, because a cast step changes every pixel of the frame at once: on a static, colorful shot
even 0.1° of hue jitter per frame shows in the color histograms (CDC, which grows with the total distance the
cast travels, nearly whatever its speed). A causal filter must start a shot at its first frame's own cast and walk
from there; with ``lookahead`` frames seen ahead the shot starts at the mean cast of its first ``lookahead + 1``.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from colorize.color import rotate_chroma

MAX_LOG_GAIN = float(np.log(2.0))  # a measured gain is clipped to [1/2, 2]


def ramp(value: np.ndarray, low: float, high: float) -> np.ndarray:
    """1 below ``low``, 0 above ``high``, linear between (float32, same shape as ``value``)."""
    return np.clip((high - value) / (high - low), 0.0, 1.0).astype(np.float32)


def apply_cast(ab: np.ndarray, log_cast: complex) -> np.ndarray:
    """(..., 2) ab multiplied by the cast ``exp(log_cast)``: turned by ``log_cast.imag`` radians, scaled by
    ``exp(log_cast.real)``; float32."""
    if log_cast == 0:
        return ab
    return rotate_chroma(ab, float(np.rad2deg(log_cast.imag)), float(np.exp(log_cast.real)))


def estimate_cast(ab: np.ndarray, reference: np.ndarray, weight: np.ndarray,
                  tolerance: tuple[float, float] = (3.0, 6.0), chroma_floor: float = 4.0, scale: int = 8,
                  iterations: int = 2, block: int = 4) -> tuple[complex, complex] | None:
    """Log-cast that takes ``reference`` to ``ab`` (both (H, W, 2) ab), from the pixels ``weight`` (H, W) trusts,
    and its uncertainty.

    Computed on ``scale`` x ``scale`` pixel averages. Robust: a first estimate takes the weighted medians of the
    per-cell hue turns and log-gains (so that a region whose colors truly changed, up to half the frame's chroma,
    does not move it); then, ``iterations`` times, cells whose relative residual ``|Δab| / (mean |ab| +
    chroma_floor)`` exceeds ``tolerance`` times the median one lose their weight (ramped from 1 at ``low`` to 0 at
    ``high``) and the cast is re-estimated from the rest: hue from the weighted correlation ``sum(w * z * conj(r))``,
    gain from the ratio of weighted chroma energies (unlike the least-squares gain it is not pulled towards 0 by
    misaligned pixels).

    Returns ``(log_cast, spread)``: ``spread`` is half the difference between the estimates from the two halves
    of a checkerboard of ``block`` x ``block`` cells (of the averages): a global cast is the same in both, so its
    real and imaginary parts squared estimate the variance of the log-gain and of the angle (radians²) that
    noise, misalignment and true local changes leave in ``log_cast``. ``None`` when nothing trusted has color.
    """
    height, width = weight.shape
    size = (max(1, width // scale), max(1, height // scale))
    z, ref = (_complex(cv2.resize(x, size, interpolation=cv2.INTER_AREA)) for x in (ab, reference))
    prior = cv2.resize(weight.astype(np.float32), size, interpolation=cv2.INTER_AREA).astype(np.float64)
    sums = np.stack([np.abs(z) ** 2, np.abs(ref) ** 2, z * np.conj(ref)])  # energies and correlation per cell
    if float((prior * sums[1].real).sum()) < 1e-3 * prior.size:
        return None
    turn, magnitude = np.angle(sums[2]), np.abs(z) * np.abs(ref)
    log_ratio = 0.5 * np.log(np.maximum(sums[0].real, 1e-12) / np.maximum(sums[1].real, 1e-12))
    log_cast = complex(float(np.clip(_weighted_median(log_ratio, prior * sums[1].real), -MAX_LOG_GAIN, MAX_LOG_GAIN)),
                       _weighted_median(turn, prior * magnitude))
    weighted = prior * sums
    for _ in range(iterations):
        undone = z * np.exp(-log_cast)
        residual = np.abs(undone - ref) / (0.5 * (np.abs(undone) + np.abs(ref)) + chroma_floor)
        typical = _weighted_median(residual, prior)
        weighted = prior * ramp(residual / max(typical, 1e-6), *tolerance) * sums
        total = weighted.reshape(3, -1).sum(axis=1)
        if total[1].real < 1e-3 * prior.size:
            return None
        log_cast = _cast_of(total)
    rows, cols = np.indices(prior.shape) // block
    halves = [weighted[:, part].sum(axis=1) for part in ((rows + cols) % 2 == 0, (rows + cols) % 2 == 1)]
    if min(half[1].real for half in halves) < 1e-3 * prior.size / 2:
        return log_cast, 0j
    return log_cast, 0.5 * (_cast_of(halves[0]) - _cast_of(halves[1]))


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value below which half the total weight lies."""
    order = np.argsort(values, axis=None)
    cumulative = np.cumsum(weights.ravel()[order])
    return float(values.ravel()[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def _cast_of(total: np.ndarray) -> complex:
    """Log-cast from summed (|z|², |r|², z conj(r)): the energies' log-ratio / 2 (clipped) + i angle(correlation)."""
    log_gain = 0.5 * np.log(max(float(total[0].real), 1e-12) / float(total[1].real))
    return complex(float(np.clip(log_gain, -MAX_LOG_GAIN, MAX_LOG_GAIN)), float(np.angle(total[2])))


@dataclass
class CastTrack:
    """The input's and the output's global casts over one shot, in log-casts relative to the shot's first frame.

    ``add`` each frame's measured change (in order); ``output_cast`` whenever a frame is due for output, which is
    ``lookahead`` frames after it was added (or when its shot ends). ``start`` at each new shot. Gain (real part)
    and hue (imaginary part) are filtered separately.

    The estimate of the true cast is a Kalman-like running mean of the input's casts: it takes ``1 / n`` of the
    n-th frame of the shot, but never less than ``σ_noise / σ_flicker``, where ``σ_noise`` is the measurement noise
    of a frame-to-frame change (from :func:`estimate_cast`'s spread: it accumulates along the chain, and a slow
    true change looks like it) and ``σ_flicker`` the colorizer's own frame-to-frame cast noise, both learnt from
    the video (``E|change|² = 2 σ_flicker² + σ_noise²``). That share minimises the output's cast error: flicker let
    through against chained noise left in. ``rate`` is its floor.

    The output's cast moves only where the estimate is off by more than ``tolerance`` times its own standard
    error, and then ``smoothing`` of the excess per frame (or the estimate's least share, if larger): a cast
    change moves every pixel of the frame at once, so the output's cast should not wander with the estimate's
    jitter.
    """

    rate: float = 0.01
    smoothing: float = 0.2
    tolerance: float = 1.0
    jump: float = 6.0  # a change this many standard deviations beyond the flicker's is a true one (see jumps)
    memory: int = 30  # frames over which the noise and flicker variances are averaged
    input_cast: complex = 0j  # the newest input frame's cast (log-cast, shot coordinates)
    estimate: complex = 0j  # running estimate of the true cast
    error_var: complex = 1 + 1j  # the estimate's variance, in units of the flicker variance
    output: complex = 0j  # the output's cast, once the shot's first frame was due
    frames: int = 1  # frames the estimate stands for
    started: bool = False  # whether the shot's first frame was output (the output cast exists)
    noise_var: complex = 0j  # running mean of spread² (real: log-gain², imag: radians²); kept across shots
    change_var: complex = 0j  # running mean of change² (same units); kept across shots
    measured: int = 0  # changes averaged into the variances

    def start(self, input_cast: complex = 0j, truth: bool = False) -> None:
        """A new shot, whose first frame has ``input_cast``; ``truth``: that frame's output colors are known
        true (an anchor), so the output's cast is 0 and the estimate counts as settled."""
        self.input_cast = input_cast
        self.estimate = self.output = 0j if truth else input_cast
        self.frames = 1_000_000 if truth else 1
        self.error_var = 0j if truth else 1 + 1j
        self.started = truth

    def jumps(self, change: tuple[complex, complex] | None) -> bool:
        """Whether ``change`` takes the input's cast further from the estimate than ``jump`` standard deviations of
        the flicker (and of the estimate's error) allow: a true change of the colorizer's colors (a scene cut
        that the luminance does not show), to be followed at once with :meth:`start`, not averaged away. Only
        once half of ``memory`` changes were seen: from fewer, the flicker's variance is too uncertain."""
        if change is None or self.measured < self.memory // 2:  # too few changes seen to know the flicker
            return False
        gap = self.input_cast + change[0] - self.estimate
        for value, noise_var, change_var, error_var in zip(_parts(gap), _parts(self.noise_var),
                                                           _parts(self.change_var), _parts(self.error_var)):
            flicker_var = max(0.5 * (change_var - noise_var), 0.0)
            if abs(value) > self.jump * np.sqrt((flicker_var + noise_var) * (1.0 + error_var) + 1e-6):
                return True
        return False

    def add(self, change: tuple[complex, complex] | None) -> complex:
        """The next frame's input cast changed by ``change`` = (log-cast, spread) from :func:`estimate_cast`
        (``None``: not measurable, taken as no change and not counted); returns the frame's input cast."""
        if change is None:
            return self.input_cast
        step, spread = change
        self.input_cast += step
        self.frames += 1
        self.measured += 1
        keep = 1.0 / min(self.measured, self.memory)
        self.noise_var += keep * (_squares(spread) - self.noise_var)
        self.change_var += keep * (_squares(step) - self.change_var)
        parts = [self._update(*part) for part in zip(_parts(self.input_cast), _parts(self.estimate),
                                                     _parts(self.error_var), _parts(self.output),
                                                     _parts(self.noise_var), _parts(self.change_var))]
        self.estimate, self.error_var, self.output = (complex(*values) for values in zip(*parts))
        return self.input_cast

    def _update(self, cast: float, estimate: float, error_var: float, output: float, noise_var: float,
                change_var: float) -> tuple[float, float, float]:
        """One component: the new estimate, its variance (flicker units) and the output's cast."""
        flicker_var = max(0.5 * (change_var - noise_var), 1e-12)
        least = float(np.clip(np.sqrt(noise_var / flicker_var), self.rate, 1.0))
        share = max(1.0 / self.frames, least)
        estimate += share * (cast - estimate)
        error_var = (1.0 - share) ** 2 * error_var + share**2
        if self.started:
            gap = estimate - output
            excess = abs(gap) - self.tolerance * np.sqrt(error_var * flicker_var)
            if excess > 0:  # never slower than the estimate itself (no flicker: the output follows at once)
                output += max(self.smoothing, least) * excess * np.sign(gap)
        return estimate, error_var, output

    def output_cast(self) -> complex:
        """The output's cast for the frame now due (the first one of a shot starts it at the estimate)."""
        if not self.started:
            self.output, self.started = self.estimate, True
        return self.output


def _parts(value: complex) -> tuple[float, float]:
    return value.real, value.imag


def _squares(value: complex) -> complex:
    return complex(value.real ** 2, value.imag ** 2)


def _complex(ab: np.ndarray) -> np.ndarray:
    return ab[..., 0].astype(np.float64) + 1j * ab[..., 1].astype(np.float64)
