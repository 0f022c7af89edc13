"""CDC, color distribution consistency (Liu et al., TCVC), as defined by ``eval_results.py`` in the TCVC code.

Per RGB channel, each frame's 256-bin histogram over [0, 256) divided by H·W; the Jensen–Shannon divergence
``JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m)``, ``m = (p + q) / 2``, natural log (as ``scipy.stats.entropy``), between
frames t and t + d, averaged over t; the dilations d = 1, 2, 4 combined with weights 1/3 each; the three channel
values averaged. Lower is steadier; 0 for a clip whose frames all share one color histogram. CDC needs no ground
truth: a ground-truth clip's own CDC is the natural level of its motion.

Reference: Y. Liu, H. Zhao, K. C. K. Chan, X. Wang, C. C. Loy, Y. Qiao, C. Dong, "Temporally Consistent Video
Colorization with Deep Feature Propagation and Self-regularization Learning" (TCVC), 2021.
"""

import logging
from collections.abc import Sequence

import numpy as np
from scipy.special import rel_entr

from colorize.metrics._frames import ArrayLike, as_video, to_uint8
from colorize.metrics._metric import _RunningMean

logger = logging.getLogger(__name__)

DILATIONS = (1, 2, 4)
WEIGHTS = (1 / 3, 1 / 3, 1 / 3)


def channel_histograms(video: ArrayLike) -> np.ndarray:
    """(T, 3, 256) float64: per frame and RGB channel, pixel counts of each value 0..255 divided by H·W.

    Float frames in [0, 1] are first rounded to uint8 (``round(255 x)``), as TCVC scores saved 8-bit images.
    """
    frames = to_uint8(as_video(video, "video"))
    count = frames.shape[1] * frames.shape[2]
    hist = np.empty((len(frames), 3, 256))
    for t, frame in enumerate(frames):
        for c in range(3):
            hist[t, c] = np.bincount(frame[..., c].ravel(), minlength=256)
    return hist / count


def js_divergence(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen–Shannon divergence (nats) between distributions along the last axis (each normalised to sum 1)."""
    p = p / p.sum(axis=-1, keepdims=True)
    q = q / q.sum(axis=-1, keepdims=True)
    m = 0.5 * (p + q)
    return 0.5 * rel_entr(p, m).sum(axis=-1) + 0.5 * rel_entr(q, m).sum(axis=-1)


def color_distribution_consistency(video: ArrayLike, dilations: Sequence[int] = DILATIONS,
                                   weights: Sequence[float] = WEIGHTS, per_channel: bool = False
                                   ) -> float | np.ndarray:
    """CDC of one clip (lower is steadier); see the module docstring for the definition.

    Args:
        video: (T, H, W, 3) RGB frames, uint8 or float in [0, 1], T ≥ 2.
        dilations, weights: frame distances and their weights (TCVC: 1, 2, 4 and 1/3 each).
        per_channel: return the (3,) R, G, B values instead of their mean.

    A clip shorter than ``max(dilations) + 1`` frames has no pair for the larger distances; TCVC's code would
    return NaN there. Here those distances are left out and the remaining weights rescaled to sum as before
    (a warning is logged), so clips with T ≥ 5 score exactly as in TCVC.
    """
    if len(dilations) != len(weights) or not dilations:
        raise ValueError(f"need one weight per dilation, got {list(dilations)} and {list(weights)}")
    hist = channel_histograms(video)
    if len(hist) < 2:
        raise ValueError(f"CDC needs at least 2 frames, got {len(hist)}")
    usable = [(d, w) for d, w in zip(dilations, weights) if d < len(hist)]
    if len(usable) < len(dilations):
        logger.warning("CDC: clip of %d frames has no pairs %s frames apart; using dilations %s only", len(hist),
                       [d for d in dilations if d >= len(hist)], [d for d, _ in usable])
    scale = sum(weights) / sum(w for _, w in usable)
    per_rgb = np.zeros(3)
    for d, w in usable:
        per_rgb += scale * w * js_divergence(hist[:-d], hist[d:]).mean(axis=0)  # (T - d, 3) → (3,)
    return per_rgb if per_channel else float(per_rgb.mean())


class ColorDistributionConsistency(_RunningMean):
    """Mean CDC over the clips passed to ``update(video)``, one value per clip, as TCVC averages over videos."""

    higher_is_better = False

    def __init__(self, dilations: Sequence[int] = DILATIONS, weights: Sequence[float] = WEIGHTS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.dilations, self.weights = tuple(dilations), tuple(weights)

    def _scores(self, video: ArrayLike) -> float:
        return color_distribution_consistency(video, self.dilations, self.weights)
