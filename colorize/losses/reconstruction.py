"""Reconstruction loss: L1 or L2 between predicted and true chroma."""

import torch
import torch.nn.functional as F

KINDS = ("l1", "l2")


def reconstruction_loss(pred_ab: torch.Tensor, target_ab: torch.Tensor, kind: str = "l1") -> torch.Tensor:
    """Mean absolute (``"l1"``) or squared (``"l2"``) error of (..., 2, H, W) ab / 128 tensors; a scalar."""
    if kind not in KINDS:
        raise ValueError(f"unknown reconstruction loss {kind!r}; choose one of {KINDS}")
    if pred_ab.shape != target_ab.shape:
        raise ValueError(f"prediction {tuple(pred_ab.shape)} and target {tuple(target_ab.shape)} differ in shape")
    return F.l1_loss(pred_ab, target_ab) if kind == "l1" else F.mse_loss(pred_ab, target_ab)
