#!/usr/bin/env python
"""Per-video fitting benchmark: the small U-Net fitted to frame 0 of each bundled clip, scored on its last third.

    python benchmarks/fit_video.py [--steps N] [--width 320] [--clips bikes bigbuckbunny carphone]

Frames are resized to ``--width`` px wide (carphone is enlarged). For each clip the U-Net is fitted to the true colors
of frame 0 alone (``colorize.training.fit_keyframes``, heavy augmentation, ``--steps`` optimizer steps), then it
colorizes the last third of the clip on its own, from the luminance only. Prints a markdown table: fit seconds, and
PSNR against the true colors of the U-Net, of the gray baseline (L only, ab = 0) and of frame 0's chroma copied
unchanged to every frame.
"""

import argparse
import logging
import tempfile
import time

import numpy as np

from colorize.color import compose_lab, resize, rgb_to_lab, rgb_to_luminance
from colorize.data import SAMPLE_CLIPS, sample_video
from colorize.io import iter_frames
from colorize.metrics import psnr
from colorize.models.unet_network import UNet
from colorize.training import FitConfig, fit_keyframes
from colorize.utils.logging import configure_logging


def score(lum: np.ndarray, ab: np.ndarray, truth: np.ndarray) -> float:
    """Mean PSNR (dB) of the frames L (N, H, W) + ab (N, H, W, 2) or one (H, W, 2) for all, against truth."""
    ab = np.broadcast_to(ab, (*lum.shape, 2))
    return float(psnr(np.stack([compose_lab(frame, a) for frame, a in zip(lum, ab, strict=True)]), truth))


def run_clip(name: str, width: int, config: FitConfig) -> dict:
    frames = list(iter_frames(sample_video(name)))
    height = round(frames[0].shape[0] * width / frames[0].shape[1] / 2) * 2
    frames = np.stack([resize(frame, (height, width)) for frame in frames])
    tail = frames[len(frames) - len(frames) // 3:]
    lum = np.stack([rgb_to_luminance(frame) for frame in tail])
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        model = UNet.from_pretrained(fit_keyframes({0: frames[0]}, folder, config))
    seconds = time.perf_counter() - start
    return {"clip": name, "size": f"{width}x{height}", "frames": f"{len(frames) - len(tail)}-{len(frames) - 1}",
            "seconds": seconds, "unet": score(lum, model.colorize_frames(lum), tail),
            "gray": score(lum, np.zeros(2, np.float32), tail), "copy": score(lum, rgb_to_lab(frames[0])[..., 1:], tail)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=FitConfig.steps, help="optimizer steps per clip")
    parser.add_argument("--width", type=int, default=320, help="frame width in pixels")
    parser.add_argument("--clips", nargs="+", default=list(SAMPLE_CLIPS), choices=list(SAMPLE_CLIPS))
    args = parser.parse_args()
    configure_logging(logging.WARNING)
    config = FitConfig(steps=args.steps, max_side=args.width)
    rows = [run_clip(name, args.width, config) for name in args.clips]
    print(f"U-Net fitted to frame 0 only ({config.steps} steps, batch {config.batch_size}, "
          f"{config.augment.crop_size} px crops); scored on the last third of each clip.\n")
    print("| clip | size | scored frames | fit (s) | PSNR U-Net (dB) | PSNR gray (dB) | PSNR copy (dB) |")
    print("|---|---|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['clip']} | {row['size']} | {row['frames']} | {row['seconds']:.0f} | {row['unet']:.2f} | "
              f"{row['gray']:.2f} | {row['copy']:.2f} |")
    means = {key: np.mean([row[key] for row in rows]) for key in ("seconds", "unet", "gray", "copy")}
    print(f"| **mean** | | | {means['seconds']:.0f} | {means['unet']:.2f} | {means['gray']:.2f} | "
          f"{means['copy']:.2f} |")


if __name__ == "__main__":
    main()
