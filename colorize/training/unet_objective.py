"""What training the colorization U-Net means: build it, compute its losses on a batch, predict, save."""

from pathlib import Path

import torch
from torch import nn

from colorize.losses import ColorizationLoss
from colorize.models.unet_network import UNet
from colorize.training.config import TrainConfig


class UNetObjective:
    """The U-Net of ``config.unet`` trained with the weighted losses of ``config.loss``.

    Batches are dicts from :class:`colorize.datasets.VideoColorizationDataset` with a leading batch axis:
    ``lum`` (B, T, 1, H, W), ``ab`` (B, T, 2, H, W), ...; predictions are (B, T, 2, H, W) ab / 128.
    """

    name = "unet"  # the final model is saved under output_dir/unet

    def __init__(self, config: TrainConfig, perceptual: nn.Module | None = None) -> None:
        self.config = config
        self.criterion = ColorizationLoss(config.loss, perceptual)

    def build(self) -> UNet:
        """A freshly initialised U-Net (seed the RNG first)."""
        return UNet(self.config.unet)

    def to(self, device: torch.device, dtype: torch.dtype = torch.float32) -> None:
        """Move what is not trained (the VGG16 of the perceptual loss) to ``device``."""
        self.criterion.to(device)

    def predict(self, model: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """(B, T, 2, H, W) ab / 128 for the frames of ``batch``; ``model`` may be wrapped (DDP)."""
        unet = model.module if hasattr(model, "module") else model
        lum = batch["lum"]
        batch_size, frames = lum.shape[:2]
        x = unet.make_input(lum.flatten(0, 1), _flat(batch.get("depth")), _flat(batch.get("semantic")))
        return model(x).unflatten(0, (batch_size, frames))

    def losses(self, model: nn.Module, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Each loss in use, unweighted, and ``"total"`` (their weighted sum)."""
        return self.criterion(self.predict(model, batch).float(), batch)

    def save_pretrained(self, model: UNet, path: str | Path) -> None:
        """``path/config.json`` + ``path/model.safetensors`` (:meth:`UNet.save_pretrained`)."""
        model.save_pretrained(path)


def _flat(tensor: torch.Tensor | None) -> torch.Tensor | None:
    return None if tensor is None else tensor.flatten(0, 1)
