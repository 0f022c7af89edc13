"""Colorfulness (Hasler & Süsstrunk 2003) and its difference to the ground truth (ΔCF).

Reference: D. Hasler, S. Süsstrunk, "Measuring colorfulness in natural images", Proc. SPIE 5007, Human Vision
and Electronic Imaging VIII, 2003.
"""

import numpy as np

from colorize.metrics._frames import ArrayLike, as_video, reduce, to_float
from colorize.metrics._metric import _RunningMean


def colorfulness(frames: ArrayLike, reduction: str = "mean", absolute: bool = True) -> float | np.ndarray:
    """Hasler–Süsstrunk colorfulness per frame, on the 0–255 RGB scale (higher is more colorful; gray is 0).

    ``rg = R − G``, ``yb = (R + G) / 2 − B``; ``σ = sqrt(σ_rg² + σ_yb²)``, ``μ = sqrt(μ_rg² + μ_yb²)`` (population
    statistics over the frame's pixels); ``CF = σ + 0.3 μ``.

    Args:
        frames: an RGB frame (H, W, 3) or video (T, H, W, 3), uint8 or float in [0, 1] (multiplied by 255).
        reduction: ``"mean"`` over frames, or ``"none"`` for the (T,) per-frame values.
        absolute: True (default) takes σ and μ over ``|rg|`` and ``|yb|``, the form of the widely copied
            implementation that colorization papers report; False uses the signed ``rg``, ``yb`` as written in
            the paper. Both give 0 on gray frames; on color frames the absolute form has the larger μ and the
            smaller σ.
    """
    video = as_video(frames, "frames")
    values = np.empty(len(video))
    for index, frame in enumerate(video):  # one frame at a time: float64 copies of whole clips get large
        rgb = to_float(frame) * 255.0
        rg = rgb[..., 0] - rgb[..., 1]
        yb = 0.5 * (rgb[..., 0] + rgb[..., 1]) - rgb[..., 2]
        if absolute:
            rg, yb = np.abs(rg), np.abs(yb)
        sigma = np.sqrt(rg.var() + yb.var())
        mu = np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)
        values[index] = sigma + 0.3 * mu
    return reduce(values, reduction)


def delta_colorfulness(output: ArrayLike, target: ArrayLike, absolute: bool = True) -> float:
    """ΔCF = ``|mean_t CF(output_t) − mean_t CF(target_t)|`` for one clip (0 is best).

    The difference of the clip means, not the mean of per-frame differences, as papers compute ΔCF from the
    average colorfulness of each set. The two videos may differ in length and size.
    """
    return abs(colorfulness(output, "mean", absolute) - colorfulness(target, "mean", absolute))


class Colorfulness(_RunningMean):
    """Mean colorfulness over every frame passed to ``update(frames)`` (see :func:`colorfulness`)."""

    higher_is_better = None  # closer to the ground truth's level is better, not higher

    def __init__(self, absolute: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.absolute = absolute

    def _scores(self, frames: ArrayLike) -> np.ndarray:
        return colorfulness(frames, "none", self.absolute)
