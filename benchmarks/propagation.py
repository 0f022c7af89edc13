#!/usr/bin/env python
"""Propagation benchmark: every bundled clip, frame 0's true colours as the only reference.

    python benchmarks/propagation.py [--width 640] [--max-frames N] [--clips bikes carphone] [--json out.json]

Prints PSNR / SSIM against the true colours (frames 1..N-1; the reference frame itself is left out) and
FPS of colorization (luminance extraction, propagation, chroma upsampling and Lab->RGB; decoding excluded)
for the naive baselines (gray, reference chroma copied, naive chained flow, none of them aware of scene
cuts) and this project's method (anchored propagation with scene-cut handling).
"""

import argparse
import json
import time

import numpy as np

from colorize.color import resize
from colorize.data import SAMPLE_CLIPS, sample_video
from colorize.evaluation.models import PROPAGATION_MODELS
from colorize.io import iter_frames
from colorize.metrics import psnr, ssim
from colorize.pipeline.frames import colorize_frames
from colorize.propagation import PropagationConfig

# The compared methods, shared with evaluate_models.py: gray, copy, chain (baselines) and anchored (ours).
METHODS = {model.name: model.config() for model in PROPAGATION_MODELS}


def load_clip(name: str, width: int, max_frames: int | None) -> list[np.ndarray]:
    """Frames of a bundled clip resized to ``width`` (aspect kept, even height), (H, W, 3) uint8 RGB."""
    frames = list(iter_frames(sample_video(name), max_frames=max_frames))
    height = 2 * round(frames[0].shape[0] * width / frames[0].shape[1] / 2)
    return [resize(frame, (height, width)) for frame in frames]


def run_method(frames: list[np.ndarray], config: PropagationConfig) -> dict:
    outputs, seconds = [], 0.0
    stream = colorize_frames(frames, frames[0], config)
    for _ in frames:
        start = time.perf_counter()
        outputs.append(next(stream))
        seconds += time.perf_counter() - start
    out, truth = np.stack(outputs[1:]), np.stack(frames[1:])
    return {"psnr": float(psnr(out, truth)), "ssim": float(ssim(out, truth)), "fps": len(frames) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--clips", nargs="+", default=list(SAMPLE_CLIPS), choices=list(SAMPLE_CLIPS))
    parser.add_argument("--width", type=int, default=640, help="clips are resized to this width (default 640)")
    parser.add_argument("--max-frames", type=int, help="only the first N frames of each clip")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()

    rows = []
    for clip in args.clips:
        frames = load_clip(clip, args.width, args.max_frames)
        for method in args.methods:
            result = run_method(frames, METHODS[method])
            rows.append({"clip": clip, "frames": len(frames), "size": f"{frames[0].shape[1]}x{frames[0].shape[0]}",
                         "method": method, **result})
            print(f"{clip:13s} {method:16s} PSNR {result['psnr']:6.2f}  SSIM {result['ssim']:.4f}  "
                  f"{result['fps']:6.1f} fps", flush=True)

    print("\n| clip | frames | size | method | PSNR (dB) | SSIM | FPS |\n|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['clip']} | {row['frames']} | {row['size']} | {row['method']} | {row['psnr']:.2f} | "
              f"{row['ssim']:.4f} | {row['fps']:.1f} |")
    for method in args.methods:
        mine = [row for row in rows if row["method"] == method]
        print(f"| **mean** | | | {method} | {np.mean([r['psnr'] for r in mine]):.2f} | "
              f"{np.mean([r['ssim'] for r in mine]):.4f} | {np.median([r['fps'] for r in mine]):.1f} (median) |")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=2)


if __name__ == "__main__":
    main()
