"""How much local (per-pixel) flicker a colorizer has, learnt from its own output, and the blend weight it calls for.

Once the global cast is taken out, the difference between a frame's chroma and the previous frame's (warped onto
it) is ``d_t = n_t - n_{t-1} + e_t``: ``n`` the colorizer's local flicker (variance ``R`` per frame, independent
from frame to frame), ``e`` the warp's own error (variance ``W``: misalignment, new content). So
``E|d_t|² = 2R + W`` and the covariance of consecutive differences (the previous one warped along) is ``-R``: both
measurable without ground truth. Blending each pixel with the warped previous output is then a Kalman filter of a
state that the warp predicts with error ``W`` from measurements with noise ``R``; its steady-state weight on the
prediction is :func:`kalman_weight`. A colorizer without local flicker (``R = 0``) gets weight 0: blending could
only add the warp's blur and lag. The same filter says how far a measurement may stray from its prediction by
chance (the innovation variance): a pixel whose chroma differs more truly changed color, and is not blended.
"""

from dataclasses import dataclass

import numpy as np


def kalman_weight(flicker_var: float, warp_var: float) -> tuple[float, float]:
    """Steady state of a per-pixel Kalman filter whose predictions gain error variance ``warp_var`` per frame and
    whose measurements have noise variance ``flicker_var`` (both ab units²): the weight (0..1) of the prediction,
    and the variance of a measurement minus its prediction (the innovation) when nothing truly changed."""
    if flicker_var <= 0.0:
        return 0.0, warp_var
    state = (-warp_var + np.sqrt(warp_var**2 + 4.0 * warp_var * flicker_var)) / 2.0  # error of the state, steady
    innovation = state + warp_var + flicker_var
    return float(flicker_var / innovation), float(innovation)


@dataclass
class LocalFlicker:
    """Running estimates of the local flicker variance ``R`` and warp error variance ``W`` (ab units²) of a video.

    ``update(diff, previous, weight)`` per frame with the (H, W, 2) difference ``d_t`` (this frame's chroma minus
    the previous one's, warped, both at the same global cast), ``previous``: the previous frame's ``d``, warped
    onto this frame (None where a shot started), and ``weight`` (H, W) the warp's trust. Every ``stride``-th pixel
    in each direction is used.
    """

    memory: int = 30  # frames over which the variances are averaged
    stride: int = 2
    flicker_var: float = 0.0  # R
    warp_var: float = 0.0  # W
    frames: int = 0

    def update(self, diff: np.ndarray, previous: np.ndarray | None, weight: np.ndarray) -> None:
        if previous is None:
            return
        s = self.stride
        w = weight[::s, ::s]
        total = float(w.sum())
        if total < 1e-3 * w.size:
            return
        d, p = diff[::s, ::s], previous[::s, ::s]
        energy = float((w * (d * d).sum(axis=-1)).sum()) / total
        covariance = float((w * (d * p).sum(axis=-1)).sum()) / total
        flicker = max(-covariance, 0.0)
        self.frames += 1
        keep = 1.0 / min(self.frames, self.memory)
        self.flicker_var += keep * (flicker - self.flicker_var)
        self.warp_var += keep * (max(energy - 2.0 * flicker, 0.0) - self.warp_var)

    def step_var(self) -> float:
        """Expected ``|d_t|²`` (ab units²) where nothing truly changed: ``2R + W``."""
        return max(2.0 * self.flicker_var + self.warp_var, 1e-6)

    def weight(self) -> tuple[float, float]:
        """The blend weight (0..1) these estimates call for, and the innovation variance (ab units²)."""
        return kalman_weight(self.flicker_var, self.warp_var)
