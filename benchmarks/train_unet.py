#!/usr/bin/env python
"""A short CPU training of the U-Net on the bundled clips, validated on held-out frames, with its curves as a PNG.

    python benchmarks/train_unet.py [--steps 1500] [--output outputs/training/sample_clips]

Each bundled clip is split in time: its first two thirds are training frames, its last third (never seen in
training) the validation frames, all at 256 px on the longer side, in the ``frames`` layout. The U-Net of
``configs/training/custom_unet.yaml`` trains for ``--steps`` steps; validation PSNR is computed against the true
colors next to the gray baseline's (L only). Prints a markdown table and writes ``OUTPUT/curves.png``.
"""

import argparse
import json
import time
from pathlib import Path

from colorize.color import resize, working_size
from colorize.config import apply_overrides
from colorize.data import sample_videos
from colorize.io import iter_frames, write_png
from colorize.training import ColorizationTrainer, load_train_config
from colorize.training.curves import plot_run

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "training" / "custom_unet.yaml"
MAX_SIDE = 256


def export_split(data_dir: Path) -> dict[str, tuple[int, int]]:
    """Write ``data_dir/{train,val}/color/<clip>/NNNN.png``; returns {clip: (train frames, val frames)}."""
    counts = {}
    for name, video in sample_videos().items():
        frames = list(iter_frames(video))
        size = working_size(*frames[0].shape[:2], MAX_SIDE)
        split = 2 * len(frames) // 3
        for index, frame in enumerate(frames):
            folder = data_dir / ("train" if index < split else "val") / "color" / name
            folder.mkdir(parents=True, exist_ok=True)
            write_png(folder / f"{index:04d}.png", resize(frame, size))
        counts[name] = (split, len(frames) - split)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--output", type=Path, default=Path("outputs/training/sample_clips"))
    args = parser.parse_args()

    counts = export_split(args.output / "data")
    config = apply_overrides(load_train_config(CONFIG), {
        "data.train_dir": str(args.output / "data" / "train"), "data.val_dir": str(args.output / "data" / "val"),
        "data.val_samples": 32, "training.output_dir": str(args.output / "run"), "training.max_steps": args.steps,
        "training.validate_every": max(1, args.steps // 10), "training.checkpoint_every": args.steps,
        "training.num_workers": 0,
    })
    start = time.perf_counter()
    ColorizationTrainer(config).train()
    seconds = time.perf_counter() - start
    curves = plot_run(args.output / "run", args.output / "curves.png")
    best = json.loads((args.output / "run" / "best.json").read_text())

    print(f"\nframes (train / held-out val): {', '.join(f'{k} {a}/{b}' for k, (a, b) in counts.items())}\n")
    print("| steps | seconds | best step | val PSNR U-Net (dB) | val PSNR gray (dB) | val SSIM U-Net | val SSIM gray |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {args.steps} | {seconds:.0f} | {best['step']} | {best['psnr']:.2f} | {best['psnr_gray']:.2f} | "
          f"{best['ssim']:.4f} | {best['ssim_gray']:.4f} |")
    print(f"\ncurves: {curves}")


if __name__ == "__main__":
    main()
