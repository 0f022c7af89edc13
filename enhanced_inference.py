#!/usr/bin/env python
"""Colorize videos with any registered model, stabilised over time; list, check, recommend and compare models.

    python enhanced_inference.py --input INPUT.mp4 [--output DIR] [--model ID] [--reference IMG | --keyframes DIR]
        [--ground-truth GT.mp4] [--device auto|cpu|cuda] [--inference-steps N] [--mixed-precision [auto|no|fp16|bf16]]
        [--memory-efficient] [--no-temporal | --temporal-lookahead N] [--max-frames N] [--overwrite]
        [--resume | --no-resume]                                       # a killed run: continued when settings match
    python enhanced_inference.py --input FOLDER --output DIR ...          # every video of FOLDER (a batch)
    python enhanced_inference.py --batch --video-list LIST.txt --output DIR ...
    accelerate launch enhanced_inference.py --batch --video-list LIST.txt --output DIR ...   # shared by processes
    python enhanced_inference.py --evaluate-models M1 M2 --test-dataset PATH --output DIR [--max-frames N]
    python enhanced_inference.py --list-models
    python enhanced_inference.py --recommend INPUT.mp4 [--reference IMG] [--complexity low|medium|high]
    python enhanced_inference.py --check-model MODEL [--device auto|cpu|cuda] [--mixed-precision auto|no|fp16|bf16]

Without --model the assessor recommends one for each video; without --output the outputs go to INPUT_colorized/ next to
the input; --mixed-precision alone means fp16. Each video's outputs follow the standalone program's
layout; a batch writes one folder per video and batch_summary.json, skips videos already complete (--overwrite
redoes them) and goes on when one fails. A missing model or bad input prints one ``error:`` line and exits with 2;
a batch with a failed video exits with 1. ``EnhancedColorizationInference`` and ``PretrainedModelAssessor`` are
importable from here as well as from ``colorize``.
"""

import argparse
import json
import sys
from pathlib import Path

from colorize.assess import PretrainedModelAssessor
from colorize.choices import DEVICES, MIXED_PRECISION
from colorize.cli import DEFAULT_CONFIG
from colorize.config import load_config
from colorize.errors import InputError
from colorize.inference import EnhancedColorizationInference, InferenceConfig, read_video_list, videos_in
from colorize.io import atomic_file
from colorize.models import ColorizerSettings, make_colorizer
from colorize.pipeline.config import PipelineConfig
from colorize.utils.cli import ArgumentParser, add_resume_flags, add_verbosity_flags, script_main

__all__ = ["EnhancedColorizationInference", "PretrainedModelAssessor", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="enhanced_inference.py", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list-models", action="store_true", help="the models, their needs, and whether their "
                        "weights are on disk")
    action.add_argument("--recommend", type=Path, metavar="VIDEO", help="recommend a model for VIDEO on this machine")
    action.add_argument("--check-model", metavar="MODEL", help="load MODEL (id, Hugging Face id or local folder)")
    action.add_argument("--input", type=Path, metavar="VIDEO|DIR", help="colorize a video, or every video of a folder")
    action.add_argument("--video-list", type=Path, metavar="FILE", help="with --batch: colorize the videos listed in "
                        "FILE, one path per line")
    action.add_argument("--evaluate-models", nargs="+", metavar="MODEL", help="compare models on --test-dataset")
    parser.add_argument("--batch", action="store_true", help="process --video-list (or --input DIR) as a batch")
    parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (a batch: one subfolder per video; "
                        "default with --input: INPUT_colorized next to the input)")
    parser.add_argument("--model", help="model id, Hugging Face id or local folder (default: recommended per video)")
    parser.add_argument("--keyframes", type=Path, metavar="DIR", help="colour keyframes named by frame index")
    parser.add_argument("--ground-truth", metavar="GT.mp4", help="colour video to score against ('input': its own)")
    parser.add_argument("--test-dataset", type=Path, metavar="PATH", help="with --evaluate-models: dataset folder")
    parser.add_argument("--config", type=Path, help="YAML settings: inference_steps, guidance_scale, temporal_weight, "
                        "temporal_lookahead, propagation, output (default: configs/pipeline/colorization.yaml)")
    parser.add_argument("--inference-steps", type=int, metavar="N",
                        help="diffusion denoising steps (default: the config's inference_steps, 25)")
    parser.add_argument("--memory-efficient", action="store_true",
                        help="model CPU offload (CUDA), VAE tiling, one frame at a time")
    parser.add_argument("--no-temporal", action="store_true", help="skip the temporal stabiliser")
    parser.add_argument("--temporal-lookahead", type=int, metavar="N",
                        help="frames the stabiliser sees before writing one (default: the config's, 8; 0: causal)")
    parser.add_argument("--max-frames", type=int, metavar="N", help="only the first N frames of each video")
    parser.add_argument("--overwrite", action="store_true", help="replace outputs of a previous run")
    add_resume_flags(parser)
    parser.add_argument("--reference", type=Path, metavar="IMG",
                        help="colour image of the first frame (with --recommend: one exists)")
    parser.add_argument("--complexity", choices=("low", "medium", "high"), default="medium",
                        help="with --recommend: how much the content changes (cuts, new objects); default medium")
    parser.add_argument("--device", choices=DEVICES, default="auto", help="default auto")
    parser.add_argument("--mixed-precision", choices=MIXED_PRECISION, default="auto", nargs="?", const="fp16",
                        help="default auto: fp16 on a CUDA GPU, fp32 (no) on the CPU; the flag alone: fp16")
    add_verbosity_flags(parser)
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


def default_output(source: Path) -> Path:
    """Where --input's outputs go without --output: ``<name>_colorized`` beside the video or folder."""
    return source.parent / f"{source.stem if source.is_file() else source.name}_colorized"


def colorize_videos(args: argparse.Namespace) -> int:
    """--input / --batch: one video, or a batch with its summary; 1 when a video of the batch failed."""
    if args.output is None and args.input is None:
        raise InputError("--output DIR is required to colorize a --video-list")
    if args.output is None:
        args.output = default_output(args.input)
    batch = args.video_list is not None or args.batch or (args.input is not None and args.input.is_dir())
    if args.batch and args.video_list is None and not (args.input and args.input.is_dir()):
        raise InputError("--batch needs --video-list FILE or --input DIR")
    cli = {"mixed_precision": args.mixed_precision, "memory_efficient": args.memory_efficient,
           "temporal": not args.no_temporal}
    if args.inference_steps is not None:
        cli["inference_steps"] = args.inference_steps
    overrides = {} if args.temporal_lookahead is None else {"temporal_lookahead": args.temporal_lookahead}
    pipeline = load_config(PipelineConfig, args.config or DEFAULT_CONFIG, overrides)
    config = InferenceConfig.from_pipeline_config(pipeline, **cli)
    engine = EnhancedColorizationInference(device=args.device, config=config, resume=args.resume)
    options = {"reference": args.reference, "keyframes": args.keyframes, "max_frames": args.max_frames}
    if not batch:
        report = engine.process_video(args.input, args.output, args.model, ground_truth=args.ground_truth,
                                      overwrite=args.overwrite, **options)
        quality = report["quality"]
        scores = f", PSNR {quality['psnr']} dB, SSIM {quality['ssim']}" if quality else ""
        print(f"{report['output']}: {report['model']}, {report['frames']} frames, {report['timing']['fps']} fps"
              f"{scores}")
        return 0
    if args.ground_truth is not None:
        raise InputError("--ground-truth applies to a single video, not a batch")
    videos = read_video_list(args.video_list) if args.video_list is not None else videos_in(args.input)
    summary = engine.batch_process_videos(videos, args.output, args.model, overwrite=args.overwrite, **options)
    if not engine.state.is_main_process:  # under accelerate launch the main process reports the whole batch
        return 1 if summary["failed"] else 0
    for video, result in summary["videos"].items():
        print(f"{result['status']:8} {video}" + (f": {result['error']}" if "error" in result else ""))
    print(f"successful: {summary['successful']} (skipped as already done: {summary['skipped']}), "
          f"failed: {summary['failed']}; summary in {args.output / 'batch_summary.json'}")
    return 1 if summary["failed"] else 0


def evaluate_models(args: argparse.Namespace, assessor: PretrainedModelAssessor) -> int:
    """--evaluate-models: compare the models on the dataset, write model_comparison.json under --output."""
    if args.test_dataset is None or args.output is None:
        raise InputError("--evaluate-models needs --test-dataset PATH and --output DIR")
    comparison = assessor.compare_models(args.evaluate_models, args.test_dataset, max_frames=args.max_frames)
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / "model_comparison.json"
    with atomic_file(path) as tmp:
        tmp.write_text(json.dumps(comparison, indent=2, default=str))
    for model_id, result in comparison["models"].items():
        scores = result.get("scores") or {}
        detail = ", ".join(f"{k} {v:.4g}" for k, v in scores.items() if isinstance(v, (int, float)))
        print(f"{model_id}: {result['status']}" + (f": {detail}" if detail else f": {result.get('error', '')}"))
    print(f"best: {comparison['overall']['best_model'] or 'none'}; comparison in {path}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.input is not None or args.video_list is not None:
        return colorize_videos(args)
    assessor = PretrainedModelAssessor(device=args.device)
    if args.evaluate_models:
        return evaluate_models(args, assessor)
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
