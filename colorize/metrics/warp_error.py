"""Warping error of Lai et al. 2018, as their official evaluation code computes it.

Flows come from a *reference* video, the ground truth or the input, never from the output being scored (so a
model cannot lower its error by distorting the motion). For each pair (t, t + 1):

1. F = flow t → t + 1 and B = flow t + 1 → t, DIS on the reference luminance (``colorize.flow``);
2. a pixel of frame t is left out when the forward–backward check fails,
   ``|F + B(x+F)|² > 0.01 (|F|² + |B(x+F)|²) + 0.5``, or it lies on a motion boundary,
   ``|∇u|² + |∇v|² > 0.01 |F|² + 0.002`` (:func:`colorize.flow.occlusion_mask`,
   :func:`colorize.flow.motion_boundary_mask`);
3. output frame t + 1 is warped to t bilinearly (edge pixels replicated, as their ``Resample2d``);
4. E_t = squared difference to output frame t on [0, 1] RGB, averaged over the valid pixels *and* the three
   channels (their code divides the RGB sum by the count of the 3-channel mask). Some papers sum over RGB
   instead, which is 3× larger.

The clip's error is the mean of E_t over pairs; a pair with no valid pixel counts as 0, as in their code. Lai et
al. and later papers often print it × 10³ or × 10⁴; this module returns the raw value.

Reference: W.-S. Lai, J.-B. Huang, O. Wang, E. Shechtman, E. Yumer, M.-H. Yang, "Learning Blind Video Temporal
Consistency", ECCV 2018 (code: ``evaluate_WarpError.py``, ``utils.detect_occlusion``).
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from colorize.flow import DISFlow, FlowConfig, motion_boundary_mask, occlusion_mask, warp
from colorize.io import scratch_array
from colorize.metrics._frames import ArrayLike, as_video, reduce, to_float, to_luminance
from colorize.metrics._metric import _RunningMean
from colorize.utils.progress import progress


@dataclass
class TemporalFlows:
    """Flows between consecutive reference frames and where they can be trusted. One entry per pair (t, t+1).

    ``forward[t]``: (H, W, 2) float32 flow t → t + 1 in the ``colorize.flow`` convention (``warp(frame[t+1],
    forward[t]) ≈ frame[t]``). ``valid[t]``: (H, W) bool, True where pixel t passes both of Lai et al.'s checks.
    """

    forward: Sequence[np.ndarray]  # a list, or one (T - 1, H, W, 2) array (memory-mapped with ``scratch``)
    valid: Sequence[np.ndarray]

    def __len__(self) -> int:
        return len(self.forward)

    @property
    def shape(self) -> tuple[int, int]:
        return self.forward[0].shape[:2]

    def check(self, video: np.ndarray) -> None:
        if len(video) != len(self) + 1 or video.shape[1:3] != self.shape:
            raise ValueError(f"flows are for {len(self) + 1} frames of {self.shape}, "
                             f"video has {len(video)} frames of {video.shape[1:3]}")


def compute_temporal_flows(reference: ArrayLike, config: FlowConfig | None = None,
                           estimator: DISFlow | None = None, scratch: str | os.PathLike | None = None) -> TemporalFlows:
    """Forward / backward DIS flow between consecutive frames of ``reference`` and Lai et al.'s validity masks.

    Args:
        reference: the ground-truth (T, H, W, 3) RGB or input (T, H, W) luminance video, uint8 or float in
            [0, 1]; T ≥ 2. Flow is estimated on its luminance.
        config: DIS settings (ignored when ``estimator`` is given).
        estimator: a :class:`~colorize.flow.DISFlow` to reuse.
        scratch: an existing folder the caller removes when done: the flows are kept there in memory-mapped files
            (``flow.npy``, ``valid.npy``; 9 bytes per pixel and pair), not in RAM. For long clips.
    """
    luma = to_luminance(as_video(reference, "reference", channels=None))
    if len(luma) < 2:
        raise ValueError(f"temporal metrics need at least 2 frames, got {len(luma)}")
    estimator = estimator or DISFlow(config)
    pairs, shape = len(luma) - 1, luma.shape[1:3]
    if scratch is None:
        forward, valid = [None] * pairs, [None] * pairs
    else:
        forward = scratch_array(Path(scratch) / "flow.npy", np.float32, (pairs, *shape, 2))
        valid = scratch_array(Path(scratch) / "valid.npy", np.bool_, (pairs, *shape))
    for t in progress(range(pairs), desc="flow", unit="pair", leave=False):
        flow_fw = estimator(luma[t], luma[t + 1])
        flow_bw = estimator(luma[t + 1], luma[t])
        forward[t], valid[t] = flow_fw, ~(occlusion_mask(flow_fw, flow_bw) | motion_boundary_mask(flow_fw))
    return TemporalFlows(forward, valid)


def resolve_flows(video: np.ndarray, flows: "TemporalFlows | ArrayLike") -> TemporalFlows:
    """``flows`` if already computed (checked against ``video``), else flows computed from that reference video."""
    if not isinstance(flows, TemporalFlows):
        flows = compute_temporal_flows(flows)
    flows.check(video)
    return flows


def warped_pairs(video: np.ndarray, flows: TemporalFlows):
    """Yield (frame t, frame t + 1 warped to t, valid mask) as float32 [0, 1] RGB for each pair."""
    for t in range(len(flows)):
        current = to_float(video[t], np.float32)
        following = warp(to_float(video[t + 1], np.float32), flows.forward[t])
        yield current, following, flows.valid[t]


def warp_error(video: ArrayLike, flows: "TemporalFlows | ArrayLike", reduction: str = "mean") -> float | np.ndarray:
    """Lai et al.'s warping error of ``video`` (lower is steadier); see the module docstring.

    Args:
        video: the (T, H, W, 3) RGB frames to score, uint8 or float in [0, 1], T ≥ 2.
        flows: :class:`TemporalFlows` from :func:`compute_temporal_flows` (compute them once per clip and share
            them between models), or the reference video to compute them from.
        reduction: ``"mean"`` over frame pairs, or ``"none"`` for the (T − 1,) per-pair values.

    Returns:
        Mean squared [0, 1] difference per valid pixel and channel (mean over RGB, not the sum: × 3 for the sum).
        The ground truth scored with its own flows gives the floor a perfect colorizer would reach.
    """
    video = as_video(video, "video")
    flows = resolve_flows(video, flows)
    errors = np.zeros(len(flows))
    for t, (current, following, valid) in enumerate(warped_pairs(video, flows)):
        count = int(valid.sum())
        if count:
            errors[t] = float(np.square(following - current, dtype=np.float64)[valid].sum()) / (3 * count)
    return reduce(errors, reduction)


class WarpError(_RunningMean):
    """Mean warping error over the clips passed to ``update(video, flows)``, one value per clip (as Lai et al.)."""

    higher_is_better = False

    def _scores(self, video: ArrayLike, flows: "TemporalFlows | ArrayLike") -> float:
        return warp_error(video, flows)
