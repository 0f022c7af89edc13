"""Every per-clip metric in one call, sharing the reference flows; what evaluation scripts write per model × clip.

FID is a statistic over all of a model's frames, not per clip: feed :class:`~colorize.metrics.fid.FID` separately.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from colorize.metrics._frames import ArrayLike, as_video, check_same_shape
from colorize.metrics.cdc import color_distribution_consistency
from colorize.metrics.colorfulness import colorfulness
from colorize.metrics.perceptual import LPIPS
from colorize.metrics.psnr import psnr
from colorize.metrics.ssim import ssim
from colorize.metrics.stability import flow_consistency, frame_difference_stability
from colorize.metrics.warp_error import TemporalFlows, compute_temporal_flows, warp_error

NA = "n/a"

# Column order of the per-clip results; "_gt" = the same metric on the ground truth (its natural level / floor).
# cdc_delta = cdc − cdc_gt, signed: > 0 means the output's colors flicker more than the real clip's.
METRIC_NAMES = (
    "psnr", "ssim", "lpips",
    "colorfulness", "colorfulness_gt", "delta_colorfulness",
    "cdc", "cdc_gt", "cdc_delta",
    "warp_error", "warp_error_gt", "flow_consistency", "frame_difference_stability",
)
# True / False: which way is better; None: no direction (a level to compare with the ground truth's, or signed).
HIGHER_IS_BETTER = {
    "psnr": True, "ssim": True, "lpips": False, "colorfulness": None, "colorfulness_gt": None,
    "delta_colorfulness": False, "cdc": False, "cdc_gt": None, "cdc_delta": None, "warp_error": False,
    "warp_error_gt": None, "flow_consistency": True, "frame_difference_stability": True,
}


@dataclass
class VideoMetrics:
    """Scores of one output clip. ``scores[name]`` is a float, or ``"n/a"`` with ``reasons[name]`` saying why.

    ``reasons`` may also annotate a number (e.g. LPIPS from a random trunk in tests).
    """

    scores: dict[str, float | str]
    reasons: dict[str, str] = field(default_factory=dict)
    per_frame: dict[str, np.ndarray] = field(default_factory=dict)  # "psnr", "ssim", "lpips": (T,) values

    def as_row(self) -> dict[str, float | str]:
        """Scores with each n/a spelled ``"n/a (reason)"``: one line per value, for CSV / JSON."""
        return {name: f"{NA} ({self.reasons[name]})" if value == NA and name in self.reasons else value
                for name, value in self.scores.items()}


def evaluate_video(output: ArrayLike, target: ArrayLike | None = None, *,
                   flows: TemporalFlows | ArrayLike | None = None,
                   lpips: LPIPS | str | None = None, reference_frames: Sequence[int] = (),
                   device: str = "cpu") -> VideoMetrics:
    """Score one colorized clip.

    Args:
        output: (T, H, W, 3) RGB frames from the model, uint8 or float in [0, 1].
        target: the ground-truth color clip of the same shape, or None (then the fidelity metrics, ΔCF and the
            ground-truth columns are n/a).
        flows: reference flows for the warp error and flow consistency: :class:`TemporalFlows` (compute once per
            clip with :func:`compute_temporal_flows` and pass to every model), or a reference video to compute
            them from. Default: computed from ``target``; without either, those metrics are n/a.
        lpips: an :class:`~colorize.metrics.perceptual.LPIPS` scorer, or the reason it is unavailable (the
            message of the :class:`~colorize.metrics.weights.MetricUnavailable` raised by ``LPIPS.load``), or
            None when not requested.
        reference_frames: indices of frames the model was given in color (exemplars, keyframes). They are left
            out of the PSNR / SSIM / LPIPS means, where a copied ground-truth frame would score perfectly (PSNR
            ``inf``); ``per_frame`` still holds every frame. Color and temporal metrics use all frames.
        device: where SSIM runs (the slowest metric on CPU); LPIPS runs where its scorer was loaded.

    Returns:
        :class:`VideoMetrics` with every name of :data:`METRIC_NAMES`.
    """
    output = as_video(output, "output")
    if target is not None:
        target = as_video(target, "target")
        check_same_shape(output, target)
    scores: dict[str, float | str] = dict.fromkeys(METRIC_NAMES, NA)
    reasons: dict[str, str] = {}
    per_frame: dict[str, np.ndarray] = {}

    def unavailable(names, reason: str) -> None:
        for name in names:
            scores[name] = NA
            reasons[name] = reason

    # 1. Fidelity to the ground truth
    if target is None:
        unavailable(("psnr", "ssim", "lpips", "colorfulness_gt", "delta_colorfulness", "cdc_gt", "cdc_delta",
                     "warp_error_gt"), "no ground truth")
    else:
        scored = np.ones(len(output), bool)
        scored[[i for i in reference_frames if -len(output) <= i < len(output)]] = False
        per_frame["psnr"] = psnr(output, target, "none")
        per_frame["ssim"] = ssim(output, target, "none", device=device)
        if isinstance(lpips, LPIPS):
            per_frame["lpips"] = lpips(output, target, "none")
            if lpips.random_backbone:
                reasons["lpips"] = "random trunk, test only"
        else:
            unavailable(("lpips",), lpips or "not requested")
        if scored.any():
            for name, values in per_frame.items():
                scores[name] = float(values[scored].mean())
        else:
            unavailable(("psnr", "ssim", "lpips"), "every frame is a reference frame")

    # 2. Color: colorfulness and CDC, for the output and the ground truth
    scores["colorfulness"] = colorfulness(output)
    if target is not None:
        scores["colorfulness_gt"] = colorfulness(target)
        scores["delta_colorfulness"] = abs(scores["colorfulness"] - scores["colorfulness_gt"])
    if len(output) < 2:
        unavailable(("cdc", "cdc_gt", "cdc_delta", "warp_error", "warp_error_gt", "flow_consistency",
                     "frame_difference_stability"), "clip has a single frame")
        return VideoMetrics(scores, reasons, per_frame)
    scores["cdc"] = color_distribution_consistency(output)
    if target is not None:
        scores["cdc_gt"] = color_distribution_consistency(target)
        scores["cdc_delta"] = scores["cdc"] - scores["cdc_gt"]

    # 3. Temporal consistency along the reference motion
    scores["frame_difference_stability"] = frame_difference_stability(output)
    if flows is None and target is not None:
        flows = target
    if flows is None:
        unavailable(("warp_error", "warp_error_gt", "flow_consistency"), "no ground truth or input for flow")
    else:
        if not isinstance(flows, TemporalFlows):
            flows = compute_temporal_flows(flows)
        scores["warp_error"] = warp_error(output, flows)
        scores["flow_consistency"] = flow_consistency(output, flows)
        if target is not None:
            scores["warp_error_gt"] = warp_error(target, flows)
    return VideoMetrics(scores, reasons, per_frame)
