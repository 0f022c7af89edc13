#!/usr/bin/env python
"""Seconds per frame and peak memory of the diffusers colorizers at 512 px, real architectures, random weights.

    python benchmarks/models.py [--steps 4] [--frames 2] [--models stable_diffusion_inpaint ...]
                                [--device auto|cpu|cuda] [--mixed-precision no|fp16|bf16] [--batch-size 1]
                                [--memory-efficient]

Weights cannot be downloaded here, so each backend is built from the real configuration of its models (SD 1.5
inpainting, SDXL base, SD 1.5 + brightness ControlNet; :mod:`testkit.pipelines`, size ``"full"``) with random
weights. Run time does not depend on the values of the weights, so the timings hold for the released models; the
colors do not, and none are judged here. Each model first colorizes one warm-up frame, then ``--frames`` frames of
512x512 luminance through its own ``colorize()`` (generation, chroma extraction and upsampling, everything but
loading). Peak memory is PyTorch's peak GPU allocation on CUDA (weights included), the process's peak RSS on the CPU.
Prints a markdown table.
"""

import argparse
import logging
import platform
import shlex
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))  # testkit: the tests' helpers

from colorize.choices import DEVICES, MIXED_PRECISION
from colorize.models import MODEL_SPECS, ColorizerSettings
from colorize.models.controlnet import ControlNetColorizer
from colorize.models.sd_inpaint import StableDiffusionInpaintColorizer
from colorize.models.sdxl import StableDiffusionXLColorizer
from colorize.utils.cli import ArgumentParser
from colorize.utils.device import resolve_device
from testkit import pipelines

logger = logging.getLogger("colorize.benchmarks.models")

BACKENDS = {  # model id -> (colorizer class, random pipeline with the real architecture)
    "stable_diffusion_inpaint": (StableDiffusionInpaintColorizer, pipelines.stable_diffusion_inpaint),
    "stable_diffusion_xl": (StableDiffusionXLColorizer, pipelines.stable_diffusion_xl_img2img),
    "controlnet_colorization": (ControlNetColorizer, pipelines.stable_diffusion_controlnet),
}
SIZE = 512


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = ArgumentParser(prog="benchmarks/models.py", description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=list(BACKENDS), default=list(BACKENDS))
    parser.add_argument("--steps", type=int, default=4, help="inference steps (default 4: minutes on a CPU)")
    parser.add_argument("--frames", type=int, default=2, help="timed frames per model, after one warm-up frame")
    parser.add_argument("--batch-size", type=int, default=1, help="frames generated together")
    parser.add_argument("--memory-efficient", action="store_true",
                        help="model CPU offload (CUDA), attention slicing, VAE tiling")
    parser.add_argument("--device", choices=DEVICES, default="auto")
    parser.add_argument("--mixed-precision", choices=MIXED_PRECISION, default=None,
                        help="default: fp16 on CUDA, no (fp32) on the CPU")
    return parser.parse_args(argv)


def measure(model_id: str, settings: ColorizerSettings, frames: int) -> dict:
    """Build ``model_id`` with random weights, colorize a warm-up frame, then time ``frames`` frames."""
    from colorize.metrics import CostMeter

    colorizer_class, build = BACKENDS[model_id]
    started = time.perf_counter()
    colorizer = colorizer_class(MODEL_SPECS[model_id], settings, pipeline=build("full"))
    logger.info("%s built in %.0f s (%.2f GiB of weights)", model_id, time.perf_counter() - started,
                colorizer.memory_bytes() / 2**30)
    lum = np.random.default_rng(0).uniform(0.0, 100.0, (frames + 1, SIZE, SIZE)).astype(np.float32)
    colorizer.colorize(lum[:1])  # warm-up: kernels chosen, memory pools filled
    with CostMeter(colorizer.device) as meter:
        colorizer.colorize(lum[1:])
        meter.add_frames(frames)
    report = meter.report
    peak = report.peak_gpu_mem_mib if colorizer.device == "cuda" else report.peak_rss_mib
    del colorizer
    return {"model": model_id, "seconds_per_frame": report.seconds / frames, "peak_mib": peak}


def device_name(device: str) -> str:
    if device == "cuda":
        import torch

        return torch.cuda.get_device_name()
    import psutil

    return f"CPU ({psutil.cpu_count()} cores, {platform.processor() or platform.machine()})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import diffusers
    import transformers

    diffusers.utils.logging.set_verbosity_error()  # e.g. the notice that a pipeline built in fp32 is cast to fp16
    transformers.utils.logging.set_verbosity_error()
    device = resolve_device(args.device)
    precision = args.mixed_precision or ("fp16" if device == "cuda" else "no")
    settings = ColorizerSettings(device=device, mixed_precision=precision, inference_steps=args.steps,
                                 batch_size=args.batch_size, resolution=SIZE, memory_efficient=args.memory_efficient)
    rows = [measure(model_id, settings, args.frames) for model_id in args.models]
    memory = "peak GPU memory (MiB)" if device == "cuda" else "peak RSS (MiB)"
    print(f"\nRandom weights with the real architectures: speed does not depend on the weights' values.\n"
          f"Command: python benchmarks/models.py {shlex.join(argv if argv is not None else sys.argv[1:])}\n"
          f"Frames {SIZE}x{SIZE}, generation at {SIZE} px, batch {args.batch_size}, strength {settings.strength} "
          f"(img2img/inpainting run {int(args.steps * settings.strength)} of the {args.steps} steps), "
          f"guidance {settings.guidance_scale} (two UNet passes per step).\n")
    options = "memory-efficient" if args.memory_efficient else "-"
    print(f"| model | device | precision | options | steps | seconds per frame | {memory} |")
    print("|---|---|---|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row['model']} | {device_name(device)} | {precision} | {options} | {args.steps} | "
              f"{row['seconds_per_frame']:.2f} | {row['peak_mib']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
