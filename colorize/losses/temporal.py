"""Temporal loss: consecutive predictions must agree where the optical flow links them (Lai et al., ECCV 2018).

Flows follow colorize's convention (:mod:`colorize.flow.dis`): ``flow[t]`` goes from frame t+1 to frame t, so
``flow_warp(pred[t], flow[t])`` lines prediction t up with frame t+1. They are computed on the input luminance, with
a validity mask that is False where the forward-backward check fails (occlusions) or the flow leaves the frame.
"""

import torch
import torch.nn.functional as F


def flow_warp(image: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Sample (N, C, H, W) ``image`` at ``x + flow(x)``; ``flow`` (N, 2, H, W) in pixels, (dx, dy).

    Bilinear, border values repeated: the torch twin of :func:`colorize.flow.warp` (``cv2.remap``), differentiable.
    """
    height, width = image.shape[-2:]
    ys, xs = torch.meshgrid(torch.arange(height, dtype=flow.dtype, device=flow.device),
                            torch.arange(width, dtype=flow.dtype, device=flow.device), indexing="ij")
    grid_x = (xs + flow[:, 0]) * (2.0 / max(width - 1, 1)) - 1.0
    grid_y = (ys + flow[:, 1]) * (2.0 / max(height - 1, 1)) - 1.0
    grid = torch.stack([grid_x, grid_y], dim=-1).to(image.dtype)
    return F.grid_sample(image, grid, mode="bilinear", padding_mode="border", align_corners=True)


def temporal_loss(pred_ab: torch.Tensor, flow: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Masked mean |pred[t+1] - warp(pred[t])| over consecutive frames; a scalar (0 when nothing is valid).

    Args:
        pred_ab: (B, T, 2, H, W) predictions, ab / 128.
        flow: (B, T-1, 2, H, W) float32 pixels, frame t+1 -> frame t.
        valid: (B, T-1, 1, H, W), 1 where the flow is trusted, 0 at occlusions (those pixels are ignored).
    """
    batch, frames, channels, height, width = pred_ab.shape
    if flow.shape != (batch, frames - 1, 2, height, width) or valid.shape != (batch, frames - 1, 1, height, width):
        raise ValueError(f"flow {tuple(flow.shape)} / mask {tuple(valid.shape)} do not fit predictions "
                         f"{tuple(pred_ab.shape)}")
    previous = pred_ab[:, :-1].reshape(-1, channels, height, width)
    warped = flow_warp(previous, flow.reshape(-1, 2, height, width)).reshape(batch, frames - 1, channels, height, width)
    mask = valid.to(pred_ab.dtype)
    difference = (pred_ab[:, 1:] - warped).abs() * mask
    return difference.sum() / (mask.sum() * channels).clamp_min(1.0)
