"""Two temporal-stability scores in [0, 1], higher is steadier.

Both are simple L1 quantities on [0, 1] RGB, reported next to the warping error and CDC as easy-to-read summaries:

- **frame-difference stability** ``S_fd = 1 − mean_t mean_{x,c} |O_{t+1}(x) − O_t(x)|``: no motion compensation,
  so camera or object motion lowers it for the ground truth too (compare with the ground truth's own value);
- **optical-flow consistency** ``S_of = 1 − mean_t mean_{x ∈ V_t, c} |W_t(O_{t+1})(x) − O_t(x)|``: the same after
  warping frame t + 1 to t with the reference flow, over the pixels V_t that pass Lai et al.'s occlusion and
  motion-boundary checks (the L1 counterpart of :func:`~colorize.metrics.warp_error.warp_error`; a pair with no
  valid pixel counts as a perfect 1).

Both are 1 for a static clip of identical frames and 0 only if every pixel flips between 0 and 1.
"""

import numpy as np

from colorize.metrics._frames import ArrayLike, as_video, reduce, to_float
from colorize.metrics._metric import _RunningMean
from colorize.metrics.warp_error import TemporalFlows, resolve_flows, warped_pairs


def frame_difference_stability(video: ArrayLike, reduction: str = "mean") -> float | np.ndarray:
    """``1 − mean |O_{t+1} − O_t|`` over pixels and RGB channels on [0, 1], per pair (see the module docstring).

    Args:
        video: (T, H, W, 3) RGB, uint8 or float in [0, 1], T ≥ 2.
        reduction: ``"mean"`` over frame pairs, or ``"none"`` for the (T − 1,) per-pair values.
    """
    video = as_video(video, "video")
    if len(video) < 2:
        raise ValueError(f"temporal metrics need at least 2 frames, got {len(video)}")
    scores = np.empty(len(video) - 1)
    for t in range(len(video) - 1):
        difference = np.abs(to_float(video[t + 1], np.float32) - to_float(video[t], np.float32))
        scores[t] = 1.0 - float(difference.mean(dtype=np.float64))
    return reduce(scores, reduction)


def flow_consistency(video: ArrayLike, flows: "TemporalFlows | ArrayLike", reduction: str = "mean"
                     ) -> float | np.ndarray:
    """``1 − mean |W(O_{t+1}) − O_t|`` over valid pixels and RGB channels on [0, 1], per pair (module docstring).

    Args:
        video: (T, H, W, 3) RGB, uint8 or float in [0, 1], T ≥ 2.
        flows: :class:`~colorize.metrics.warp_error.TemporalFlows` of the reference clip, or the reference video.
        reduction: ``"mean"`` over frame pairs, or ``"none"`` for the (T − 1,) per-pair values.
    """
    video = as_video(video, "video")
    flows = resolve_flows(video, flows)
    scores = np.ones(len(flows))
    for t, (current, following, valid) in enumerate(warped_pairs(video, flows)):
        if valid.any():
            scores[t] = 1.0 - float(np.abs(following - current)[valid].mean(dtype=np.float64))
    return reduce(scores, reduction)


class FrameDifferenceStability(_RunningMean):
    """Mean :func:`frame_difference_stability` over the clips passed to ``update(video)``."""

    higher_is_better = True

    def _scores(self, video: ArrayLike) -> float:
        return frame_difference_stability(video)


class FlowConsistency(_RunningMean):
    """Mean :func:`flow_consistency` over the clips passed to ``update(video, flows)``."""

    higher_is_better = True

    def _scores(self, video: ArrayLike, flows: "TemporalFlows | ArrayLike") -> float:
        return flow_consistency(video, flows)
