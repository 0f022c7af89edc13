"""Training colorizers: the accelerate loop (``ColorizationTrainer``), its YAML settings, per-video fitting.

``diffusion_finetune`` (the ControlNet objective) imports diffusers only when a ``model: controlnet`` run builds it.
"""

from colorize.training.config import (
    ControlNetConfig,
    DataConfig,
    OptimizerConfig,
    TrainConfig,
    TrainingConfig,
    load_train_config,
)
from colorize.training.fit_video import FitConfig, fit_keyframes, fit_video
from colorize.training.trainer import ColorizationTrainer, TrainState, find_checkpoint

__all__ = [
    "ColorizationTrainer", "TrainState", "find_checkpoint",
    "TrainConfig", "DataConfig", "TrainingConfig", "OptimizerConfig", "ControlNetConfig", "load_train_config",
    "FitConfig", "fit_video", "fit_keyframes",
]
