"""Perceptual loss: distance between VGG16 features of the predicted and the true color image (Johnson et al. 2016).

The VGG16 trunk needs torchvision's ImageNet checkpoint ``vgg16-397923af.pth``. Nothing is downloaded: the file is
read from the torch hub cache (``$TORCH_HOME/hub/checkpoints``, default ``~/.cache/torch/hub/checkpoints``) or
from ``loss.perceptual_weights``; without it :meth:`PerceptualLoss.load` raises a one-line error. It is never
replaced by random weights; set ``loss.perceptual: 0`` to train without it.
"""

import os

import torch
import torch.nn.functional as F
from torch import nn

from colorize.color.lab_torch import lab_to_rgb_torch
from colorize.errors import ColorizeError

VGG16_WEIGHTS = "vgg16-397923af.pth"  # torchvision's VGG16_Weights.IMAGENET1K_V1 file name
FEATURE_LAYERS = (3, 8, 15)  # relu1_2, relu2_2, relu3_3 in torchvision's vgg16().features
_MEAN = (0.485, 0.456, 0.406)  # ImageNet normalisation of the VGG input
_STD = (0.229, 0.224, 0.225)


def vgg16_trunk() -> nn.Sequential:
    """torchvision's VGG16 ``features`` up to relu3_3, randomly initialised (load weights into it)."""
    from torchvision.models.vgg import cfgs, make_layers

    return make_layers(cfgs["D"])[: FEATURE_LAYERS[-1] + 1]


class PerceptualLoss(nn.Module):
    """Mean L1 distance of VGG16 features (relu1_2, relu2_2, relu3_3) of two colorings of one luminance.

    ``trunk`` is :func:`vgg16_trunk` with weights loaded (:meth:`load`); it is frozen.
    """

    def __init__(self, trunk: nn.Sequential) -> None:
        super().__init__()
        self.trunk = trunk.eval().requires_grad_(False)
        self.register_buffer("mean", torch.tensor(_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(_STD).view(1, 3, 1, 1))

    @classmethod
    def load(cls, weights: str | os.PathLike | None = None) -> "PerceptualLoss":
        """The loss with ImageNet VGG16 weights: ``weights`` is the .pth file or its folder (default: hub cache)."""
        from colorize.metrics.weights import MetricUnavailable, find_weights

        try:
            path = find_weights(VGG16_WEIGHTS, weights, what="perceptual loss VGG16")
        except MetricUnavailable as err:
            raise ColorizeError(f"{err} (loss.perceptual_weights), or set loss.perceptual: 0") from None
        state = torch.load(path, map_location="cpu", weights_only=True)
        trunk = vgg16_trunk()
        wanted = {name: f"features.{name}" for name in trunk.state_dict()}
        missing = [source for source in wanted.values() if source not in state]
        if missing:
            raise ColorizeError(f"{path} is not torchvision's VGG16 checkpoint (no {missing[0]})")
        trunk.load_state_dict({name: state[source] for name, source in wanted.items()}, strict=True)
        return cls(trunk)

    def features(self, rgb: torch.Tensor) -> list[torch.Tensor]:
        """(N, 3, H, W) sRGB in [0, 1] -> the feature maps of :data:`FEATURE_LAYERS`."""
        x = (rgb - self.mean) / self.std
        out = []
        for index, layer in enumerate(self.trunk):
            x = layer(x)
            if index in FEATURE_LAYERS:
                out.append(x)
        return out

    def forward(self, pred_ab: torch.Tensor, target_ab: torch.Tensor, lum: torch.Tensor) -> torch.Tensor:
        """Scalar loss. ``pred_ab``/``target_ab`` (N, 2, H, W) ab / 128; ``lum`` (N, 1, H, W) L / 100, shared."""
        lab_pred = torch.cat([lum * 100.0, pred_ab * 128.0], dim=1).float()
        lab_target = torch.cat([lum * 100.0, target_ab * 128.0], dim=1).float()
        pairs = zip(self.features(lab_to_rgb_torch(lab_pred)), self.features(lab_to_rgb_torch(lab_target)), strict=True)
        return sum(F.l1_loss(a, b) for a, b in pairs)
