"""Optical flow (DIS), warping and sampling. See :mod:`colorize.flow.dis` for the flow convention."""

from colorize.flow.dis import DISFlow, FlowConfig, compute_flow, resize_flow
from colorize.flow.warp import motion_boundary_mask, occlusion_mask, sample, sample_together, sampling_grid, warp

__all__ = [
    "DISFlow", "FlowConfig", "compute_flow", "resize_flow",
    "warp", "sample", "sample_together", "sampling_grid", "occlusion_mask", "motion_boundary_mask",
]
