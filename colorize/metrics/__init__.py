"""Evaluation metrics: fidelity (PSNR, SSIM, LPIPS, FID), color (colorfulness, CDC), temporal consistency
(warping error, flow consistency, frame-difference stability) and run-time cost.

Frames are RGB (H, W, 3) and videos (T, H, W, 3), uint8 or float in [0, 1]. Each metric is a function; the
video-level ones also come as a torchmetrics ``Metric`` that averages over the clips passed to ``update``.
Learned metrics (LPIPS, FID) never download weights: when missing they raise :class:`MetricUnavailable`.
"""

from colorize.metrics.cdc import ColorDistributionConsistency, color_distribution_consistency
from colorize.metrics.colorfulness import Colorfulness, colorfulness, delta_colorfulness
from colorize.metrics.cost import CostMeter, CostReport
from colorize.metrics.fid import FID
from colorize.metrics.perceptual import LPIPS
from colorize.metrics.psnr import psnr
from colorize.metrics.ssim import ssim
from colorize.metrics.stability import (
    FlowConsistency,
    FrameDifferenceStability,
    flow_consistency,
    frame_difference_stability,
)
from colorize.metrics.video_metrics import HIGHER_IS_BETTER, METRIC_NAMES, VideoMetrics, evaluate_video
from colorize.metrics.warp_error import TemporalFlows, WarpError, compute_temporal_flows, warp_error
from colorize.metrics.weights import MetricUnavailable, find_weights

__all__ = [
    "psnr", "ssim", "LPIPS", "FID",
    "colorfulness", "delta_colorfulness", "Colorfulness",
    "color_distribution_consistency", "ColorDistributionConsistency",
    "TemporalFlows", "compute_temporal_flows", "warp_error", "WarpError",
    "flow_consistency", "FlowConsistency", "frame_difference_stability", "FrameDifferenceStability",
    "CostMeter", "CostReport",
    "evaluate_video", "VideoMetrics", "METRIC_NAMES", "HIGHER_IS_BETTER",
    "MetricUnavailable", "find_weights",
]
