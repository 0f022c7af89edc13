"""Training losses on predicted chroma (ab / 128): reconstruction, perceptual (VGG16), temporal, semantic."""

from colorize.losses.perceptual import VGG16_WEIGHTS, PerceptualLoss, vgg16_trunk
from colorize.losses.reconstruction import reconstruction_loss
from colorize.losses.semantic import semantic_loss
from colorize.losses.temporal import flow_warp, temporal_loss
from colorize.losses.total import ColorizationLoss, LossConfig

__all__ = [
    "reconstruction_loss", "PerceptualLoss", "vgg16_trunk", "VGG16_WEIGHTS", "temporal_loss", "flow_warp",
    "semantic_loss", "ColorizationLoss", "LossConfig",
]
