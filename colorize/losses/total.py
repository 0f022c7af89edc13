"""The training objective: ``total = Σ weight_i · loss_i`` with the weights of :class:`LossConfig` (from the YAML)."""

from dataclasses import dataclass

import torch
from torch import nn

from colorize.losses.perceptual import PerceptualLoss
from colorize.losses.reconstruction import KINDS, reconstruction_loss
from colorize.losses.semantic import semantic_loss
from colorize.losses.temporal import temporal_loss


@dataclass
class LossConfig:
    reconstruction: float = 1.0  # weight of the L1/L2 loss on ab / 128
    reconstruction_kind: str = "l1"  # l1 | l2
    perceptual: float = 0.0  # weight of the VGG16 feature loss (needs vgg16-397923af.pth on disk)
    perceptual_weights: str | None = None  # that file or its folder; default: the torch hub checkpoints folder
    temporal: float = 0.0  # weight of the flow-warped consistency of consecutive predictions (clip_length >= 2)
    semantic: float = 0.0  # weight of the per-segment color consistency (needs data.include_semantic)

    def __post_init__(self) -> None:
        if self.reconstruction_kind not in KINDS:
            raise ValueError(f"unknown reconstruction_kind {self.reconstruction_kind!r}; choose one of {KINDS}")
        weights = (self.reconstruction, self.perceptual, self.temporal, self.semantic)
        if min(weights) < 0 or max(weights) == 0:
            raise ValueError("loss weights must be >= 0 and at least one of them > 0")

    def weights(self) -> dict[str, float]:
        """The losses in use, name -> weight (zero-weight losses are not computed)."""
        all_weights = {"reconstruction": self.reconstruction, "perceptual": self.perceptual,
                       "temporal": self.temporal, "semantic": self.semantic}
        return {name: weight for name, weight in all_weights.items() if weight > 0}


class ColorizationLoss(nn.Module):
    """Weighted sum of the losses of ``config``; ``perceptual`` overrides the VGG16 loss (tests pass a random one)."""

    def __init__(self, config: LossConfig | None = None, perceptual: PerceptualLoss | None = None) -> None:
        super().__init__()
        self.config = config or LossConfig()
        self.perceptual = None
        if self.config.perceptual > 0:
            self.perceptual = perceptual or PerceptualLoss.load(self.config.perceptual_weights)

    def forward(self, pred_ab: torch.Tensor, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Each weighted loss, unweighted, plus ``"total"``.

        ``pred_ab`` (B, T, 2, H, W) ab / 128; ``batch`` holds ``ab`` (B, T, 2, H, W), ``lum`` (B, T, 1, H, W) L / 100,
        and for the temporal and semantic losses ``flow``/``flow_valid`` and ``semantic`` (see
        :class:`colorize.datasets.VideoColorizationDataset`).
        """
        target = batch["ab"]
        losses = {}
        for name in self.config.weights():
            if name == "reconstruction":
                losses[name] = reconstruction_loss(pred_ab, target, self.config.reconstruction_kind)
            elif name == "perceptual":
                losses[name] = self.perceptual(pred_ab.flatten(0, 1), target.flatten(0, 1), batch["lum"].flatten(0, 1))
            elif name == "temporal":
                _require(batch, ("flow", "flow_valid"), "the temporal loss needs clips of >= 2 frames with flows")
                losses[name] = temporal_loss(pred_ab, batch["flow"], batch["flow_valid"])
            else:
                _require(batch, ("semantic",), "the semantic loss needs data.include_semantic: true")
                losses[name] = semantic_loss(pred_ab, batch["semantic"])
        weights = self.config.weights()
        losses["total"] = sum(weights[name] * value for name, value in losses.items())
        return losses


def _require(batch: dict[str, torch.Tensor], keys: tuple[str, ...], why: str) -> None:
    missing = [key for key in keys if key not in batch]
    if missing:
        raise ValueError(f"batch has no {', '.join(missing)}: {why}")
