#!/usr/bin/env python
"""Train a colorizer, or fit the small U-Net to one video's keyframes.

    python train_colorization.py --config configs/training/custom_unet.yaml [--resume CKPT|latest] [--set KEY=VALUE]
    accelerate launch train_colorization.py --config configs/training/custom_unet.yaml     # several GPUs / machines
    python train_colorization.py --fit-video VIDEO --keyframes DIR [--output DIR] [--steps N]

The first form trains the model of the YAML (the ``unet`` or a ``controlnet`` fine-tune) with TensorBoard logs,
checkpoints and the best model under ``training.output_dir``; ``--resume`` continues a checkpoint exactly. The
second fits a U-Net to the colour keyframes (named by frame index: 0000.png, ...) of VIDEO and saves it in
OUTPUT/unet. Bad settings or inputs print one ``error:`` line and exit with 2.

Python: ``from train_colorization import ColorizationTrainer, VideoColorizationDataset``.
"""

import argparse
import sys
from pathlib import Path

from colorize.config import ConfigError, apply_overrides, parse_overrides
from colorize.datasets import VideoColorizationDataset
from colorize.training import ColorizationTrainer, FitConfig, fit_video, load_train_config
from colorize.utils.cli import ArgumentParser, add_verbosity_flags, script_main

__all__ = ["ColorizationTrainer", "VideoColorizationDataset"]


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="train_colorization.py", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, help="training YAML, e.g. configs/training/custom_unet.yaml")
    parser.add_argument("--resume", help="checkpoint folder (OUTPUT_DIR/checkpoints/step-NNNNNNN), a file in one "
                        "(e.g. checkpoint.pth), or 'latest'")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a setting, e.g. --set training.batch_size=4 (repeatable; VALUE is YAML)")
    parser.add_argument("--fit-video", type=Path, metavar="VIDEO", help="fit the U-Net to this video's keyframes")
    parser.add_argument("--keyframes", type=Path, metavar="DIR", help="colour keyframes named by frame index")
    parser.add_argument("--output", type=Path, help="--fit-video output folder (default outputs/fit/<video name>)")
    parser.add_argument("--steps", type=int, default=FitConfig.steps,
                        help=f"--fit-video optimizer steps (default {FitConfig.steps})")
    add_verbosity_flags(parser)
    return parser


def run(args: argparse.Namespace) -> None:
    """Train, or fit the U-Net to a video, as ``args`` ask; prints where the model was saved."""
    if args.fit_video is not None:
        if args.config is not None or args.keyframes is None:
            raise ConfigError("--fit-video needs --keyframes DIR and takes no --config")
        output = args.output or Path("outputs/fit") / args.fit_video.stem
        print(fit_video(args.fit_video, args.keyframes, output, FitConfig(steps=args.steps)))
        return
    if args.config is None:
        raise ConfigError("give --config FILE (training) or --fit-video VIDEO --keyframes DIR")
    overrides = parse_overrides(args.set)
    config = apply_overrides(load_train_config(args.config), overrides)
    print(ColorizationTrainer(config).train(resume=args.resume))


def main(argv: list[str] | None = None) -> int:
    return script_main(build_parser(), run, argv)


if __name__ == "__main__":
    sys.exit(main())
