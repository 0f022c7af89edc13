"""``colorize`` command / ``video_colorization_program.py``: argument parsing, then one library call.

Errors the user can fix print one line on stderr and exit with code 2 (never a traceback).
"""

import argparse
import logging
from pathlib import Path

from colorize.choices import DEVICES, METHODS, SEMANTIC_MODELS
from colorize.config import load_config
from colorize.config import parse_overrides as parse_set
from colorize.data import DEFAULT_SAMPLE, sample_video
from colorize.errors import ColorizeError
from colorize.utils.cli import ArgumentParser, add_resume_flags, add_verbosity_flags, script_main

logger = logging.getLogger("colorize.cli")

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "pipeline" / "colorization.yaml"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="colorize",
        description="Colorize a black-and-white video from color keyframes (any color in INPUT is discarded).",
    )
    parser.add_argument("input", nargs="?", type=Path, help="input video (treated as black and white)")
    parser.add_argument("-o", "--output", type=Path, help="output folder (refused if it holds a previous run)")
    parser.add_argument("--reference", type=Path, help="color image of frame --reference-frame, or of a similar scene")
    parser.add_argument("--reference-frame", type=int, default=0, help="frame the reference shows (default 0)")
    parser.add_argument("--keyframes", type=Path, help="folder of color images named by frame index (0000.png ...)")
    parser.add_argument("--ground-truth", help="color video to score the output against, or 'input'")
    parser.add_argument("--config", type=Path, help="YAML settings (default: configs/pipeline/colorization.yaml)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a setting, e.g. --set propagation.max_side=480 (repeatable)")
    parser.add_argument("--method", choices=METHODS, help="propagation method")
    parser.add_argument("--max-side", type=int, help="working resolution: longer side in pixels (default 640)")
    parser.add_argument("--max-frames", type=int, help="colorize only the first N frames")
    parser.add_argument("--geometry", metavar="{none,vipe,depth-model,folder:PATH}",
                        help="3D guidance: ViPE's output (run first when installed), a monocular depth model, or a "
                             "folder of depth maps with optional intrinsics.npz/poses.npz (default none)")
    parser.add_argument("--vipe-dir", help="ViPE's output folder for --geometry vipe (default vipe_results)")
    parser.add_argument("--semantic", choices=SEMANTIC_MODELS,
                        help="semantic segmentation (semantic_masks/) and per-segment chroma consistency")
    parser.add_argument("--device", choices=DEVICES, help="compute device (default auto)")
    parser.add_argument("--overwrite", action="store_true", help="replace a previous run in the output folder")
    add_resume_flags(parser)
    parser.add_argument("--clean", type=Path, metavar="OUT",
                        help="remove what killed runs left beside output folder OUT (hidden .OUT.partial-PID/, "
                             ".OUT.scratch-*/), then exit")
    parser.add_argument("--demo", action="store_true",
                        help="colorize a bundled sample clip from its own first frame and report PSNR/SSIM")
    parser.add_argument("--sample", default=DEFAULT_SAMPLE,
                        help="sample clip for --demo: bigbuckbunny (default), bikes, carphone")
    add_verbosity_flags(parser)
    return parser


def parse_overrides(args: argparse.Namespace) -> dict:
    """Dotted-key overrides from ``--set`` and the dedicated flags (values parsed as YAML scalars)."""
    overrides = parse_set(args.set)
    for key, value in (("propagation.method", args.method), ("propagation.max_side", args.max_side),
                       ("device", args.device), ("geometry.source", args.geometry),
                       ("geometry.vipe_dir", args.vipe_dir), ("semantic.model", args.semantic)):
        if value is not None:
            overrides[key] = value
    return overrides


def run(args: argparse.Namespace) -> dict:
    """Do what ``args`` ask; returns the run report (run.json)."""
    # Imported here so that --help and usage errors answer at once (these pull in PyAV, OpenCV and torch).
    from colorize.io import iter_frames
    from colorize.pipeline import PipelineConfig, VideoColorizationPipeline

    if args.clean is not None:
        return clean(args.clean)
    config_path = args.config or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)  # None: built-in defaults
    config = load_config(PipelineConfig, config_path, parse_overrides(args))
    source, reference, ground_truth, overwrite = args.input, args.reference, args.ground_truth, args.overwrite
    output = args.output
    if args.demo:
        source = source or sample_video(args.sample)
        output = output or Path("outputs") / f"demo_{args.sample}"
        overwrite = overwrite or args.output is None  # the default demo folder is simply refreshed
        ground_truth = ground_truth or "input"
        if reference is None and args.keyframes is None:
            reference = next(iter_frames(source, max_frames=1))  # the clip's own first frame, true colors
    if source is None:
        raise ColorizeError("no input video: colorize INPUT -o OUTDIR --reference IMG (or --demo)")
    if output is None:
        raise ColorizeError("no output folder: add -o OUTDIR")
    pipeline = VideoColorizationPipeline(output_dir=output, config=config, overwrite=overwrite, resume=args.resume)
    final = pipeline.process_video(source, reference=reference, keyframes=args.keyframes,
                                   reference_frame=args.reference_frame, ground_truth=ground_truth,
                                   max_frames=args.max_frames)
    report = pipeline.last_report
    print(f"colorized video: {final}")
    folders = ", ".join(f"{path.name}/" for path in sorted(Path(output).iterdir()) if path.is_dir())
    print(f"all outputs:     {output}/ ({folders}{', ' if folders else ''}run.json)")
    print(f"speed:           {report['frames']} frames in {report['timing']['seconds']:.1f} s "
          f"({report['timing']['fps']:.1f} fps)")
    quality = report["quality"]
    if quality is not None:
        print(f"quality vs true colors: PSNR {quality['psnr']:.2f} dB, SSIM {quality['ssim']:.4f} "
              f"(propagated frames only: PSNR {quality['psnr_propagated_frames']:.2f} dB, "
              f"SSIM {quality['ssim_propagated_frames']:.4f})")
    return report


def clean(output: Path) -> dict:
    """--clean OUT: remove the stale leftovers of killed runs beside ``output`` (live runs' are left alone)."""
    from colorize.io import leftovers, remove_stale

    live = [item.path.name for item in leftovers(output) if item.alive]
    removed = remove_stale(output)
    print(f"removed {len(removed)} leftover(s) of killed runs beside {output}"
          + (f"; left {len(live)} of running processes: {', '.join(live)}" if live else ""))
    return {"removed": [str(path) for path in removed], "live": live}


def main(argv: list[str] | None = None) -> int:
    return script_main(build_parser(), run, argv)
