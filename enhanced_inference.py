#!/usr/bin/env python
"""Pretrained colorization models: list them, check that one loads, recommend one for a video.

    python enhanced_inference.py --list-models
    python enhanced_inference.py --recommend INPUT.mp4 [--reference IMG] [--complexity low|medium|high]
    python enhanced_inference.py --check-model MODEL [--device auto|cpu|cuda] [--mixed-precision no|fp16|bf16]

Colorizing a video with these models (the full inference command: --model, --inference-steps, --memory-efficient,
...) comes with issue #6; until then ``video_colorization_program.py`` colorizes from keyframes. A missing model or
bad input prints one ``error:`` line and exits with 2. ``PretrainedModelAssessor`` is importable from here as well as
from ``colorize``.
"""

import argparse
import sys
from pathlib import Path

from colorize.assess import PretrainedModelAssessor
from colorize.errors import InputError
from colorize.models import ColorizerSettings, make_colorizer
from colorize.models.base import DEVICES, MIXED_PRECISION
from colorize.utils.cli import ArgumentParser, script_main

__all__ = ["PretrainedModelAssessor", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="enhanced_inference.py", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list-models", action="store_true", help="the models, their needs, and whether their "
                        "weights are on disk")
    action.add_argument("--recommend", type=Path, metavar="VIDEO", help="recommend a model for VIDEO on this machine")
    action.add_argument("--check-model", metavar="MODEL", help="load MODEL (id, Hugging Face id or local folder)")
    parser.add_argument("--reference", type=Path, help="with --recommend: a colour image of the first frame exists")
    parser.add_argument("--complexity", choices=("low", "medium", "high"), default="medium",
                        help="with --recommend: how much the content changes (cuts, new objects); default medium")
    parser.add_argument("--device", choices=DEVICES, default="auto", help="default auto")
    parser.add_argument("--mixed-precision", choices=MIXED_PRECISION, default="no", help="with --check-model")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def models_table(assessor: PretrainedModelAssessor) -> str:
    """The registry as a markdown table, with whether each model's weights are on disk now."""
    from colorize.assess.probe import models_on_disk

    specs = assessor.models()
    on_disk = models_on_disk(specs)
    lines = ["| model | kind | quality | speed | memory | GPU | GPU memory (GiB, fp16, 512 px) | weights | get them |",
             "|---|---|---|---|---|---|---:|---|---|"]
    for spec in specs.values():
        weights = "not needed" if not spec.needs.weights else ("on disk" if spec.id in on_disk else "missing")
        memory = "?" if spec.needs.memory_gib is None else f"{spec.needs.memory_gib:g}"
        lines.append(f"| {spec.id} | {spec.kind} | {spec.quality} | {spec.speed} | {spec.memory} | {spec.needs.gpu} "
                     f"| {memory} | {weights} | {spec.fetch() or '-'} |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    assessor = PretrainedModelAssessor(device=args.device)
    if args.list_models:
        print(models_table(assessor))
        return 0
    if args.check_model:
        settings = ColorizerSettings(device=assessor.device, mixed_precision=args.mixed_precision)
        colorizer = make_colorizer(args.check_model, settings, assessor.models())
        print(f"{colorizer.name}: loaded on {colorizer.device}, {colorizer.memory_bytes() / 2**30:.2f} GiB of weights")
        return 0
    from colorize.io import probe_video  # PyAV: only when a video is read

    info = probe_video(args.recommend)
    if args.reference is not None and not args.reference.is_file():
        raise InputError(f"reference image not found: {args.reference}")
    choice = assessor.recommend_model({"width": info.width, "height": info.height, "num_frames": info.num_frames,
                                       "complexity": args.complexity, "has_reference": args.reference is not None})
    print(f"recommended: {choice.model or 'none'}")
    print(choice.explanation)
    for model_id, reason in choice.rejected.items():
        print(f"  not usable: {model_id}: {reason}")
    return 0 if choice.model else 1


def main(argv: list[str] | None = None) -> int:
    return script_main(build_parser(), run, argv)


if __name__ == "__main__":
    sys.exit(main())
