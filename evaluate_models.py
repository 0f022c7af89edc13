#!/usr/bin/env python
"""Compare colorizers on a dataset: quality, colour, temporal-consistency and cost metrics per model × clip.

    python evaluate_models.py --dataset-name videos --dataset-path clips/ --output-dir eval/ \\
        [--models gray copy chain anchored MODEL ...] [--max-frames 60] [--reference first|keyframes:K] \\
        [--lpips-weights PATH] [--fid-weights PATH] [--device auto|cpu|cuda] [--overwrite]

Every model gets each clip in black and white plus its true colours at the reference frames (frame 0, or every
K-th frame), and is scored against the true colours. A model is any id of the registry (``colorize.models``: the
propagation colorizer and its baselines, the diffusion models, ``unet``, registered custom models), a hub id or a
local folder; one whose weights are not on disk gets rows with status ``unavailable`` and the command that fetches
them, and the others still run. Writes OUT/results.csv, OUT/summary.json, OUT/summary.md and OUT/plots/. Bad input
prints one ``error:`` line and exits with 2; the exit status is 1 only when a model failed and none was evaluated.
"""

import argparse
import logging
import shlex
import sys
from pathlib import Path

from colorize.choices import DEVICES
from colorize.errors import ColorizeError
from colorize.evaluation import DATASETS, DEFAULT_MODELS, ReferenceProtocol, check_model_names, load_dataset
from colorize.io import check_output_dir
from colorize.models import MODEL_SPECS
from colorize.utils.cli import ArgumentParser, add_verbosity_flags, script_main
from colorize.utils.device import resolve_device

logger = logging.getLogger("colorize.evaluate_models")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="evaluate_models.py", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset-name", required=True, choices=DATASETS, help="folder layout of the dataset")
    parser.add_argument("--dataset-path", required=True, type=Path, help="dataset root folder")
    parser.add_argument("--models", nargs="+", metavar="MODEL",
                        help=f"models to compare: {', '.join(MODEL_SPECS)} (anchored = propagation), a hub id or a "
                             f"local folder (default: {' '.join(DEFAULT_MODELS)})")
    parser.add_argument("--output-dir", required=True, type=Path, help="folder for results.csv, summary.*, plots/")
    parser.add_argument("--max-frames", type=int, help="only the first N frames of each clip")
    parser.add_argument("--reference", default="first",
                        help="true colours given to the models: 'first' (frame 0) or 'keyframes:K' (every K frames)")
    parser.add_argument("--lpips-weights", type=Path, help="torchvision alexnet-owt-7be5be79.pth (or its folder)")
    parser.add_argument("--fid-weights", type=Path,
                        help="torch-fidelity weights-inception-2015-12-05-6726825d.pth (or its folder)")
    parser.add_argument("--device", default="auto", choices=DEVICES, help="default auto")
    parser.add_argument("--overwrite", action="store_true", help="replace a previous run in --output-dir")
    add_verbosity_flags(parser)
    return parser


def run(args: argparse.Namespace, argv: list[str]) -> int:
    """Evaluate as ``args`` ask and write the report; returns the exit status (0, or 1 if a model failed and
    nothing was evaluated: models whose weights are missing are reported, not failures).

    ``argv`` (the arguments ``args`` came from) is recorded in the summary, to reproduce the run.
    """

    # 1. Check every input before any work
    if args.max_frames is not None and args.max_frames < 1:
        raise ColorizeError(f"--max-frames must be at least 1, got {args.max_frames}")
    protocol = ReferenceProtocol.parse(args.reference)
    models = args.models or list(DEFAULT_MODELS)
    check_model_names(models)
    if len(set(models)) != len(models):
        raise ColorizeError(f"--models lists a model twice: {' '.join(models)}")
    check_output_dir(args.output_dir, args.overwrite)
    clips = load_dataset(args.dataset_name, args.dataset_path, args.max_frames)  # lists the clips, reads no frame
    device = resolve_device(args.device)  # imports torch (about 1.5 s): after the checks that need none

    # 2. Evaluate, 3. write the report (imported here: torch and the metrics take seconds, not needed for the checks)
    from colorize.evaluation import evaluate, write_report

    settings = {"dataset": args.dataset_name, "dataset_path": str(args.dataset_path),
                "max_frames": args.max_frames or "all",
                "command": shlex.join(["python", "evaluate_models.py", *argv])}
    evaluation = evaluate(clips, models, reference=protocol, device=device, lpips_weights=args.lpips_weights,
                          fid_weights=args.fid_weights, settings=settings)
    output = write_report(evaluation, args.output_dir, overwrite=args.overwrite)
    done, total = len(evaluation.succeeded), len(evaluation.runs)
    print((output / "summary.md").read_text())
    print(f"{done} of {total} model × clip runs evaluated; results in {output}/ "
          "(results.csv, summary.json, summary.md, plots/)")
    failed = any(run.status == "failed" for run in evaluation.runs)
    return 0 if done or not failed else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    return script_main(build_parser(), lambda args: run(args, argv), argv)


if __name__ == "__main__":
    sys.exit(main())
