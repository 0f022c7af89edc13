"""Training settings: one dataclass per section of ``configs/training/*.yaml``; unknown keys are errors.

``load_train_config(path_or_dict)`` gives a :class:`TrainConfig`; :func:`colorize.config.from_dict` does the
checking, so a bad key or value fails at start with one line naming it.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from colorize.choices import PRECISIONS
from colorize.config import ConfigError, from_dict, load_config
from colorize.datasets import LAYOUTS, AugmentConfig
from colorize.losses import LossConfig
from colorize.models.unet_network import UNetConfig

MODELS = ("unet", "controlnet")
SCHEDULERS = ("constant", "cosine")


@dataclass
class DataConfig:
    layout: str = "frames"  # frames | videos | davis (see colorize.datasets.sources)
    train_dir: str = "data/train"
    val_dir: str | None = "data/val"  # null: no validation
    clip_length: int = 2  # consecutive frames per sample (>= 2 for the temporal loss)
    stride: int = 1  # a sample starts every `stride` frames
    include_depth: bool = False  # read depth/ maps (frames layout)
    include_semantic: bool = False  # read semantic/ maps (frames layout)
    max_side: int = 256  # frames are resized so their longer side is at most this many pixels
    val_samples: int = 16  # validation uses this many samples, evenly spaced over the validation set
    augment: AugmentConfig = field(default_factory=AugmentConfig)

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, got {self.layout!r}")


@dataclass
class TrainingConfig:
    output_dir: str = "outputs/training/custom_unet"  # logs/, checkpoints/, best/, and the final model
    batch_size: int = 8  # samples per process and per micro-batch
    epochs: int = 10
    max_steps: int | None = None  # optimizer steps to stop after (default: `epochs` passes over the data)
    gradient_accumulation_steps: int = 1
    mixed_precision: str | None = None  # no | fp16 (CUDA) | bf16; None: accelerate's (launch flag or config)
    max_grad_norm: float = 1.0  # gradient clipping (0: off)
    seed: int = 0
    num_workers: int = 0  # DataLoader worker processes
    log_every: int = 10  # optimizer steps between loss logs
    validate_every: int = 200  # steps between validations, also run at the end (0: only at the end)
    checkpoint_every: int = 500  # steps between resumable checkpoints (0: none)
    keep_checkpoints: int = 3  # newest step checkpoints kept; best/ is kept apart
    sample_images: int = 4  # validation frames shown in TensorBoard (gray | predicted | truth)

    def __post_init__(self) -> None:
        if self.mixed_precision is not None and self.mixed_precision not in PRECISIONS:
            raise ValueError(f"mixed_precision must be one of {PRECISIONS}, got {self.mixed_precision!r}")
        for name in ("batch_size", "epochs", "gradient_accumulation_steps", "log_every"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, got {self.max_steps}")


@dataclass
class OptimizerConfig:
    lr: float = 1e-3  # AdamW learning rate
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    scheduler: str = "cosine"  # constant | cosine (decay to 0 at the last step), after a linear warmup
    warmup_steps: int = 0

    def __post_init__(self) -> None:
        if self.scheduler not in SCHEDULERS:
            raise ValueError(f"scheduler must be one of {SCHEDULERS}, got {self.scheduler!r}")
        if self.lr <= 0:
            raise ValueError(f"lr must be > 0, got {self.lr}")


@dataclass
class ControlNetConfig:
    pretrained_model: str = ""  # Stable Diffusion 1.x: a Hub id (Hugging Face cache, as inference) or local folder
    controlnet_model: str | None = None  # ControlNet to start from, Hub id or folder (default: from the UNet)
    prompt: str = ""  # text prompt of every sample
    inference_steps: int = 20  # denoising steps of the validation samples
    guidance_scale: float = 1.0  # classifier-free guidance at validation (1: off)
    resolution: int = 512  # validation frames are generated with the longer side at most this (multiple of 8)


@dataclass
class TrainConfig:
    model: str = "unet"  # unet (colorize.models.unet_network) | controlnet (diffusers, fine-tuned on gray -> color)
    unet: UNetConfig = field(default_factory=UNetConfig)
    controlnet: ControlNetConfig = field(default_factory=ControlNetConfig)
    data: DataConfig = field(default_factory=DataConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    loss: LossConfig = field(default_factory=LossConfig)

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, got {self.model!r}")
        if self.loss.temporal > 0 and self.data.clip_length < 2:
            raise ValueError("loss.temporal needs data.clip_length >= 2")
        if self.loss.semantic > 0 and not self.data.include_semantic:
            raise ValueError("loss.semantic needs data.include_semantic: true")
        if self.model == "unet" and self.unet.depth_channel and not self.data.include_depth:
            raise ValueError("unet.depth_channel needs data.include_depth: true")
        if self.model == "unet" and self.unet.semantic_classes and not self.data.include_semantic:
            raise ValueError("unet.semantic_classes needs data.include_semantic: true")
        if self.model == "controlnet":
            if not self.controlnet.pretrained_model:
                raise ValueError("model controlnet needs controlnet.pretrained_model (a Stable Diffusion Hub id or "
                                 "folder)")
            if self.data.augment.crop_size % 8 or not self.data.augment.crop_size:
                raise ValueError("model controlnet needs data.augment.crop_size, a multiple of 8")


def load_train_config(config: TrainConfig | dict[str, Any] | str | os.PathLike) -> TrainConfig:
    """A :class:`TrainConfig` from itself, a nested dict or a YAML file; ConfigError (one line) on a bad key/value."""
    if isinstance(config, TrainConfig):
        return config
    if isinstance(config, dict):
        return from_dict(TrainConfig, config, where="training config")
    if isinstance(config, (str, Path, os.PathLike)):
        return load_config(TrainConfig, config)
    raise ConfigError(f"expected a config dict, a TrainConfig or a YAML path, got {type(config).__name__}")
