"""Per-video fitting: train the small U-Net on one video's color keyframes, in minutes on a CPU.

No general-purpose colorization weights can be fetched here, but a video's own keyframes are training data: the
U-Net learns the mapping luminance -> chroma of that video from heavily augmented crops of its keyframes (zoom,
flips, small rotations and shears, exposure jitter) and is saved as a ``unet`` checkpoint for that video.
"""

import logging
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from colorize.color import resize, working_size
from colorize.datasets import ArraySequence, AugmentConfig, VideoColorizationDataset
from colorize.errors import InputError
from colorize.io import list_keyframe_images, probe_video, read_image
from colorize.losses import LossConfig
from colorize.models.unet_network import UNetConfig
from colorize.training.config import DataConfig, OptimizerConfig, TrainConfig, TrainingConfig
from colorize.training.trainer import ColorizationTrainer

logger = logging.getLogger(__name__)


def _heavy_augmentation() -> AugmentConfig:
    return AugmentConfig(crop_size=64, scale=(0.7, 1.5), flip=True, rotate=10.0, shear=0.1, luminance_gain=0.15,
                         luminance_bias=5.0)


@dataclass
class FitConfig:
    steps: int = 800  # optimizer steps (about 40 s on 2 idle CPU cores at 320 px)
    batch_size: int = 8
    lr: float = 3e-3
    max_side: int = 320  # keyframes and the model's working size: longer side at most this many pixels
    base_channels: int = 16  # U-Net width
    seed: int = 0
    augment: AugmentConfig = field(default_factory=_heavy_augmentation)


def fit_video(video: str | os.PathLike, keyframes: str | os.PathLike | dict[int, np.ndarray],
              output_dir: str | os.PathLike, config: FitConfig | None = None) -> Path:
    """Fit a U-Net to the color ``keyframes`` of ``video``; returns the folder of the saved model.

    Args:
        video: the black-and-white video (only its size and length are read).
        keyframes: a folder of color frames named by frame index (``0000.png``), or ``{index: (H, W, 3) uint8 RGB}``;
            images of another size than the video's frames are resized to it, with a warning.
        output_dir: the training output folder; the model goes to ``output_dir/unet`` (``UNet.from_pretrained``).
        config: steps, batch size, augmentation, ... (:class:`FitConfig`).
    """
    info = probe_video(video)
    if not isinstance(keyframes, dict):
        keyframes = {index: read_image(path) for index, path in list_keyframe_images(keyframes).items()}
    late = [index for index in keyframes if not 0 <= index < info.num_frames]
    if late:
        raise InputError(f"keyframe {late[0]} is past the end of {video} ({info.num_frames} frames)")
    fitted = {}
    for index, image in keyframes.items():
        if image.shape[:2] != (info.height, info.width):
            logger.warning("keyframe %d is %dx%d, the video %dx%d: resized", index, image.shape[1], image.shape[0],
                           info.width, info.height)
        fitted[index] = resize(image, (info.height, info.width))
    return fit_keyframes(fitted, output_dir, config)


def fit_keyframes(keyframes: dict[int, np.ndarray], output_dir: str | os.PathLike,
                  config: FitConfig | None = None) -> Path:
    """Fit a U-Net to color frames ``{index: (H, W, 3) uint8 RGB}`` of one size; returns ``output_dir/unet``.

    The frames are brought to the working size (longer side at most ``config.max_side``) and augmented heavily;
    the input of each sample is its own luminance.
    """
    config = config or FitConfig()
    if not keyframes:
        raise InputError("no keyframes to fit a U-Net to")
    sequences = []
    for index, image in sorted(keyframes.items()):
        size = working_size(*image.shape[:2], config.max_side)
        sequences.append(ArraySequence(f"keyframe {index}", resize(image, size)[None]))
    repeat = math.ceil(config.steps * config.batch_size / len(sequences))  # one epoch covers all the steps
    dataset = VideoColorizationDataset(sequences=sequences, clip_length=1, augment=config.augment,
                                       max_side=config.max_side, repeat=repeat, seed=config.seed)
    train_config = TrainConfig(
        model="unet",
        unet=UNetConfig(base_channels=config.base_channels, max_side=config.max_side),
        data=DataConfig(clip_length=1, val_dir=None, augment=config.augment),
        training=TrainingConfig(output_dir=str(output_dir), batch_size=config.batch_size, epochs=1,
                                max_steps=config.steps, seed=config.seed, checkpoint_every=0, validate_every=0,
                                log_every=max(1, config.steps // 50)),
        optimizer=OptimizerConfig(lr=config.lr, scheduler="cosine", warmup_steps=min(20, config.steps // 10)),
        loss=LossConfig(reconstruction=1.0, reconstruction_kind="l1"),
    )
    logger.info("fitting a U-Net to %d keyframe(s) at %dx%d, %d steps", len(sequences), size[1], size[0],
                config.steps)
    return ColorizationTrainer(train_config).train(dataset)
