#!/usr/bin/env python
"""Seconds per frame and peak memory of the depth and segmentation stages, real architectures, random weights.

    python benchmarks/geometry_models.py [--frames 8] [--size 360x640] [--device auto|cpu|cuda]

Weights cannot be downloaded here, so the default models of :mod:`colorize.geometry` are built from their real
configurations (Depth Anything small: DINOv2-S/14 backbone and DPT head at 518 px; UperNet with a ConvNeXt-small
backbone at 512 px, 150 ADE20K classes), saved to a temporary folder with their image processors, and loaded back
through :class:`~colorize.geometry.MonocularDepth` and :class:`~colorize.geometry.SemanticSegmentationProcessor`
(the same code path as the released checkpoints). Run time does not depend on the values of the weights; the
predictions do, and none are judged here. Each stage handles one warm-up frame, then ``--frames`` frames of
``--size``, one at a time as the pipeline feeds them (pre- and post-processing included). Prints a markdown table.
"""

import logging
import shlex
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from colorize.choices import DEVICES
from colorize.geometry import MonocularDepth, SemanticSegmentationProcessor, VideoFrame
from colorize.utils.cli import ArgumentParser
from colorize.utils.device import resolve_device

IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def save_depth_anything_small(folder: Path) -> Path:
    """``LiheYoung/depth-anything-small-hf``'s architecture and image processor, random weights, in ``folder``."""
    from transformers import DepthAnythingConfig, DepthAnythingForDepthEstimation, DPTImageProcessor

    DepthAnythingForDepthEstimation(DepthAnythingConfig()).save_pretrained(folder)  # the defaults are the small model
    DPTImageProcessor(size={"height": 518, "width": 518}, keep_aspect_ratio=True, ensure_multiple_of=14,
                      resample=3, image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD).save_pretrained(folder)
    return folder


def save_upernet_convnext_small(folder: Path) -> Path:
    """``openmmlab/upernet-convnext-small``'s architecture and image processor, random weights, in ``folder``."""
    from transformers import ConvNextConfig, SegformerImageProcessor, UperNetConfig, UperNetForSemanticSegmentation

    backbone = ConvNextConfig(depths=[3, 3, 27, 3], hidden_sizes=[96, 192, 384, 768],
                              out_features=["stage1", "stage2", "stage3", "stage4"])
    config = UperNetConfig(backbone_config=backbone, hidden_size=512, auxiliary_in_channels=384, num_labels=150)
    UperNetForSemanticSegmentation(config).save_pretrained(folder)
    SegformerImageProcessor(size={"height": 512, "width": 512}, image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD,
                            do_reduce_labels=False).save_pretrained(folder)
    return folder


def measure(name: str, run, frames: list[np.ndarray], device: str) -> dict:
    """Seconds per frame of ``run(frame)`` over ``frames[1:]`` after a warm-up on ``frames[0]``; peak memory."""
    import psutil
    import torch

    run(frames[0])
    if device == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    for frame in frames[1:]:
        run(frame)
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = (time.perf_counter() - started) / (len(frames) - 1)
    peak = torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" else psutil.Process().memory_info().rss / 2**20
    return {"stage": name, "seconds_per_frame": seconds, "peak_mib": peak}


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="benchmarks/geometry_models.py", description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=8, help="timed frames per stage, after one warm-up frame")
    parser.add_argument("--size", default="360x640", help="frame size HxW (default 360x640)")
    parser.add_argument("--device", choices=DEVICES, default="auto")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    import transformers

    transformers.utils.logging.set_verbosity_error()
    device = resolve_device(args.device)
    height, width = (int(v) for v in args.size.split("x"))
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (height, width), dtype=np.uint8) for _ in range(args.frames + 1)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        depth = MonocularDepth(str(save_depth_anything_small(Path(tmp) / "depth")), device=device)
        rows.append(measure("depth (Depth Anything small)", depth, frames, device))
        del depth
        segmenter = SemanticSegmentationProcessor(str(save_upernet_convnext_small(Path(tmp) / "seg")), device=device)
        rows.append(measure("semantic (UperNet ConvNeXt-small)", lambda gray: segmenter(VideoFrame(index=0, gray=gray)),
                            frames, device))
    memory = "peak GPU memory (MiB)" if device == "cuda" else "RSS after the run (MiB)"
    print(f"\nRandom weights with the real architectures: speed does not depend on the weights' values.\n"
          f"Command: python benchmarks/geometry_models.py {shlex.join(argv if argv is not None else sys.argv[1:])}\n")
    print(f"| stage | device | frame | seconds per frame | {memory} |")
    print("|---|---|---|---:|---:|")
    for row in rows:
        print(f"| {row['stage']} | {device} | {width}x{height} | {row['seconds_per_frame']:.3f} | "
              f"{row['peak_mib']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
