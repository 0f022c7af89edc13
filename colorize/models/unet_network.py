"""A small U-Net that predicts Lab chroma from luminance (plus optional depth and semantic channels).

Inputs and outputs are normalised: L / 100 in [0, 1], depth at any scale (normalised per frame inside), semantic as
class ids (one-hot inside); the output is ab / 128 in (-1, 1). The default size (16 base channels, 3 downsamplings,
about 0.5 M parameters) trains on a CPU in minutes. Saved as a folder with ``config.json`` and
``model.safetensors`` (:meth:`UNet.save_pretrained` / :meth:`UNet.from_pretrained`).
"""

import dataclasses
import json
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from colorize.color import resize, upsample_chroma, working_size
from colorize.color.upsample import resize_labels
from colorize.config import from_dict
from colorize.errors import ColorizeError
from colorize.io import atomic_dir
from colorize.models.registry import UNET_MODEL_TYPE

logger = logging.getLogger(__name__)

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
MODEL_TYPE = UNET_MODEL_TYPE  # written into config.json, checked on loading
AB_SCALE = 128.0  # the network's output times this is ab in raw Lab units
HOW_TO_TRAIN = ("train one with `python train_colorization.py --config configs/training/custom_unet.yaml` or fit one "
                "to a video with `python train_colorization.py --fit-video VIDEO --keyframes DIR`")


@dataclass
class UNetConfig:
    base_channels: int = 16  # channels of the first level; doubled at each downsampling
    levels: int = 3  # number of 2x downsamplings
    depth_channel: bool = False  # one more input channel: depth (larger is farther, any scale)
    semantic_classes: int = 0  # > 0: class-id maps as that many one-hot input channels
    max_side: int = 256  # colorize_frames runs with the longer side at most this many pixels

    def __post_init__(self) -> None:
        if self.base_channels < 1 or self.levels < 1 or self.max_side < 16 or self.semantic_classes < 0:
            raise ValueError("base_channels and levels must be >= 1, max_side >= 16, semantic_classes >= 0")

    @property
    def in_channels(self) -> int:
        return 1 + int(self.depth_channel) + self.semantic_classes


def _block(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two 3x3 convolutions, each with GroupNorm and SiLU."""
    groups = math.gcd(8, out_channels)
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.GroupNorm(groups, out_channels), nn.SiLU(),
        nn.Conv2d(out_channels, out_channels, 3, padding=1), nn.GroupNorm(groups, out_channels), nn.SiLU(),
    )


class UNet(nn.Module):
    """Encoder-decoder with skip connections: (B, C_in, H, W) -> (B, 2, H, W) ab / 128 (tanh, so in (-1, 1)).

    ``C_in`` is :attr:`UNetConfig.in_channels`; build the input with :meth:`make_input`. Any H, W works: the input
    is padded to a multiple of ``2 ** levels`` and the output cropped back.
    """

    def __init__(self, config: UNetConfig | None = None) -> None:
        super().__init__()
        self.config = config or UNetConfig()
        widths = [self.config.base_channels * 2**level for level in range(self.config.levels + 1)]
        self.encoders = nn.ModuleList([_block(self.config.in_channels, widths[0])])
        self.encoders.extend(_block(widths[i], widths[i + 1]) for i in range(self.config.levels))
        self.decoders = nn.ModuleList(_block(widths[i + 1] + widths[i], widths[i])
                                      for i in reversed(range(self.config.levels)))
        self.head = nn.Conv2d(widths[0], 2, 1)

    def make_input(self, lum: torch.Tensor, depth: torch.Tensor | None = None,
                   semantic: torch.Tensor | None = None) -> torch.Tensor:
        """Stack the input channels; returns (B, C_in, H, W) float32.

        ``lum`` (B, 1, H, W) L / 100; ``depth`` (B, 1, H, W) any scale, brought to [0, 1] per frame (min-max);
        ``semantic`` (B, H, W) integer class ids in [0, semantic_classes) (larger ids are clamped).
        """
        channels = [lum]
        if self.config.depth_channel:
            if depth is None:
                raise ValueError("this U-Net takes a depth channel: pass depth")
            low = depth.amin(dim=(1, 2, 3), keepdim=True)
            high = depth.amax(dim=(1, 2, 3), keepdim=True)
            channels.append(((depth - low) / (high - low).clamp_min(1e-6)).to(lum.dtype))
        if self.config.semantic_classes:
            if semantic is None:
                raise ValueError("this U-Net takes semantic classes: pass semantic")
            ids = semantic.long().clamp(0, self.config.semantic_classes - 1)
            channels.append(F.one_hot(ids, self.config.semantic_classes).permute(0, 3, 1, 2).to(lum.dtype))
        return torch.cat(channels, dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        height, width = x.shape[-2:]
        multiple = 2**self.config.levels
        x = F.pad(x, (0, -width % multiple, 0, -height % multiple), mode="replicate")
        x = torch.cat([x[:, :1] * 2.0 - 1.0, x[:, 1:]], dim=1)  # L / 100 -> [-1, 1]
        skips = []
        for level, encoder in enumerate(self.encoders):
            x = encoder(x if level == 0 else F.avg_pool2d(x, 2))
            skips.append(x)
        for decoder, skip in zip(self.decoders, reversed(skips[:-1]), strict=True):
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = decoder(torch.cat([x, skip], dim=1))
        return torch.tanh(self.head(x))[..., :height, :width]

    @torch.no_grad()
    def colorize_frames(self, lum: np.ndarray, depth: np.ndarray | None = None, semantic: np.ndarray | None = None,
                        batch_size: int = 8) -> np.ndarray:
        """(N, H, W) float32 L in [0, 100], any resolution -> (N, H, W, 2) float32 ab in raw Lab units.

        Runs at the working size (longer side at most ``config.max_side``); the chroma is upsampled under the
        full-resolution L. ``depth`` (N, H, W) and ``semantic`` (N, H, W) class ids when the model takes them.
        """
        if lum.ndim != 3:
            raise ValueError(f"expected (N, H, W) luminance, got shape {lum.shape}")
        size = working_size(*lum.shape[1:], self.config.max_side)
        weight = next(self.parameters())
        was_training = self.training
        self.eval()
        out = np.empty((*lum.shape, 2), np.float32)
        for start in range(0, len(lum), batch_size):
            part = slice(start, start + batch_size)
            x = self.make_input(_stack(lum[part] / np.float32(100.0), size, resize)[:, None].float(),
                                None if depth is None else _stack(depth[part], size, resize)[:, None].float(),
                                None if semantic is None else _stack(semantic[part], size, resize_labels).long())
            ab = (self(x.to(weight.device, weight.dtype)) * AB_SCALE).permute(0, 2, 3, 1).float().cpu().numpy()
            for offset, (frame_ab, frame_lum) in enumerate(zip(ab, lum[part], strict=True)):
                out[start + offset] = upsample_chroma(frame_ab, frame_lum)
        self.train(was_training)
        return out

    def save_pretrained(self, path: str | os.PathLike, overwrite: bool = True) -> Path:
        """Write ``path/config.json`` and ``path/model.safetensors`` (all or nothing). Returns ``path``."""
        from safetensors.torch import save_file

        path = Path(path)
        with atomic_dir(path, overwrite=overwrite) as tmp:
            config = {"model_type": MODEL_TYPE, **dataclasses.asdict(self.config)}
            (tmp / CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n")
            save_file({name: tensor.detach().cpu().contiguous() for name, tensor in self.state_dict().items()},
                      str(tmp / WEIGHTS_NAME))
        return path

    @classmethod
    def from_pretrained(cls, path: str | os.PathLike, device: str | torch.device = "cpu") -> "UNet":
        """Load a folder written by :meth:`save_pretrained`, strictly (every weight present and of its shape)."""
        from safetensors.torch import load_file

        path = Path(path)
        missing = [name for name in (CONFIG_NAME, WEIGHTS_NAME) if not (path / name).is_file()]
        if missing:
            raise ColorizeError(f"no U-Net checkpoint at {path} ({' and '.join(missing)} missing); {HOW_TO_TRAIN}")
        data = json.loads((path / CONFIG_NAME).read_text())
        if data.pop("model_type", None) != MODEL_TYPE:
            raise ColorizeError(f"{path / CONFIG_NAME} is not a colorize U-Net config (model_type {MODEL_TYPE})")
        model = cls(from_dict(UNetConfig, data, where=str(path / CONFIG_NAME)))
        try:
            model.load_state_dict(load_file(str(path / WEIGHTS_NAME)), strict=True)
        except RuntimeError as err:
            raise ColorizeError(f"{path / WEIGHTS_NAME} does not fit its config: {str(err).splitlines()[0]}") from None
        return model.to(device).eval()


def _stack(frames: np.ndarray, size: tuple[int, int], fit) -> torch.Tensor:
    """(n, h, w) tensor of ``fit(frame, size)`` for each (H, W) frame."""
    return torch.from_numpy(np.stack([fit(frame, size) for frame in frames]))
