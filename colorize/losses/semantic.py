"""Semantic loss: one color per segment, across the frames of a clip, where segmentation masks exist."""

import torch


def semantic_loss(pred_ab: torch.Tensor, segments: torch.Tensor) -> torch.Tensor:
    """Mean |pred - mean of its segment| over all pixels; a scalar.

    Each sample's segments are pooled over all its frames, so a segment that changes color from frame to frame
    (flicker) or is blotchy within a frame costs more; a segment of one color costs nothing.

    Args:
        pred_ab: (B, T, 2, H, W) predictions, ab / 128.
        segments: (B, T, H, W) int64 segment or class ids >= 0 (the same id in two frames is the same segment).
    """
    batch, frames, channels, height, width = pred_ab.shape
    if segments.shape != (batch, frames, height, width):
        raise ValueError(f"segments {tuple(segments.shape)} do not fit predictions {tuple(pred_ab.shape)}")
    segments = segments.long()
    num_ids = int(segments.max()) + 1
    ids = (segments + num_ids * torch.arange(batch, device=segments.device).view(batch, 1, 1, 1)).reshape(-1)
    values = pred_ab.permute(0, 1, 3, 4, 2).reshape(-1, channels)  # one row per pixel
    sums = values.new_zeros(batch * num_ids, channels).index_add_(0, ids, values)
    counts = values.new_zeros(batch * num_ids).index_add_(0, ids, values.new_ones(len(ids)))
    means = sums / counts.clamp_min(1.0)[:, None]
    return (values - means[ids]).abs().mean()
