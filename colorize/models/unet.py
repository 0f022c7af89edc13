"""``unet``: this project's own colorization network (:mod:`colorize.models.unet_network`) from a checkpoint.

The checkpoint is a folder written by ``train_colorization.py`` (``UNet.save_pretrained``: ``config.json`` and
``model.safetensors``), registered with ``register_custom_model({"id": ..., "checkpoint": PATH})``. The built-in
``unet`` entry has no checkpoint: building it says in one line how to train one.
"""

from pathlib import Path

import numpy as np

from colorize.errors import InputError
from colorize.models.base import Colorizer, ColorizerSettings, Conditions, torch_dtype
from colorize.models.loading import MissingWeightsError
from colorize.models.registry import ModelSpec
from colorize.utils.device import resolve_device


class UNetColorizer(Colorizer):
    """A trained :class:`~colorize.models.unet_network.UNet`; depth and semantic maps are used if it was trained
    with them. Runs at the network's working size in the settings' precision (fp16 on CUDA by default), chroma
    upsampled under the full-resolution L."""

    uses = frozenset({"depth", "semantic"})

    def __init__(self, spec: ModelSpec, network, settings: ColorizerSettings) -> None:
        self.name, self.needs = spec.id, spec.needs
        self.network = network
        self.device = str(next(network.parameters()).device)
        self.batch_size = settings.batch_size

    def colorize(self, lum: np.ndarray, conditions: Conditions | None = None) -> np.ndarray:
        """(N, H, W) float32 L in [0, 100] -> (N, H, W, 2) float32 ab in [-128, 127]."""
        conditions = self._check(lum, conditions)
        config = self.network.config
        depth = conditions.depth if config.depth_channel else None
        semantic = conditions.semantic if config.semantic_classes else None
        if config.depth_channel and depth is None or config.semantic_classes and semantic is None:
            raise InputError(f"{self.name} was trained with depth={config.depth_channel} and semantic classes="
                             f"{config.semantic_classes}: pass them in Conditions(depth=..., semantic=...)")
        return self.network.colorize_frames(lum, depth, semantic, batch_size=self.batch_size)

    def memory_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.network.parameters())


def load_unet(spec: ModelSpec, settings: ColorizerSettings) -> Colorizer:
    """The U-Net colorizer from ``spec.weights[0]`` (a folder written by ``UNet.save_pretrained``, or a file in it).

    Raises:
        MissingWeightsError: no checkpoint is registered (the built-in ``unet``).
        InputError: the checkpoint path does not exist.
        ColorizeError: the folder is not a U-Net checkpoint (from :meth:`UNet.from_pretrained`).
    """
    from colorize.models.unet_network import HOW_TO_TRAIN, UNet

    if not spec.weights:
        raise MissingWeightsError(f"{spec.id}: no checkpoint is registered: {HOW_TO_TRAIN}, then "
                                  "register_custom_model({'id': ..., 'checkpoint': PATH})")
    path = Path(spec.weights[0])
    if not path.exists():
        raise InputError(f"{spec.id}: checkpoint not found: {path}")
    if path.is_file():  # a file of the checkpoint (the seed's model_path: .../model.pth): its folder is read
        path = path.parent
    device = resolve_device(settings.device)
    network = UNet.from_pretrained(path, device=device).to(torch_dtype(settings.mixed_precision, device))
    return UNetColorizer(spec, network, settings)
