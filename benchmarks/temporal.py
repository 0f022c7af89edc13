#!/usr/bin/env python
"""Temporal stabiliser benchmark: flicker added to the true colours of each bundled clip, then taken out.

    python benchmarks/temporal.py [--max-frames N] [--width 640] [--clips bikes bigbuckbunny carphone]

Frames are resized to ``--width`` px wide (carphone is enlarged). Each frame's true chroma (CIE Lab ab) is corrupted
by a random hue rotation, uniform in ±20°, and a random chroma gain in [0.8, 1.2] (seeded): the flickering input a
per-frame colorizer would give. :class:`colorize.temporal.TemporalStabilizer` stabilises it using the luminance
only. Per clip, a markdown table: warping error (Lai et al., flows on the ground truth; also divided by the ground
truth's own), CDC (and the ground truth's), PSNR to the true colours (of the clip's mean squared
error, as some frames are exact), and the stabiliser's frames per second.

Ghosting: where colours truly change, the output must follow within 3 frames. Checked at bikes' scene cuts and on
a recoloured object made here: from the middle frame on, the true chroma inside the central third of the frame is
rotated by 120° (then flickered like the rest). For frames 0, 1, 2 of each event the mean |Δab| to the new true
chroma is printed for the input and the output, with the size of the change (mean |Δab| between the old true colours,
the frame before a cut or the colours before recolouring, and the new ones); the output follows when at frame 2 it
is nearer the new colours than half the change.
"""

import argparse
import logging
import time

import numpy as np

from colorize.color import compose_lab, luminance_to_uint8, resize, rgb_to_lab, rotate_chroma
from colorize.data import SAMPLE_CLIPS, sample_video
from colorize.io import iter_frames
from colorize.metrics import color_distribution_consistency, compute_temporal_flows, psnr, warp_error
from colorize.temporal import StabilizerConfig, TemporalStabilizer
from colorize.utils.logging import configure_logging

FOLLOW_FRAMES = 3
RECOLOUR_DEGREES = 120.0


def load(name: str, width: int, max_frames: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(truth RGB (T, H, W, 3) uint8, L (T, H, W) float32, true ab (T, H, W, 2) float32) at ``width`` px wide."""
    frames = list(iter_frames(sample_video(name), max_frames=max_frames))
    height = round(frames[0].shape[0] * width / frames[0].shape[1] / 2) * 2
    truth = np.stack([resize(frame, (height, width)) for frame in frames])
    lab = np.stack([rgb_to_lab(frame) for frame in truth])
    return truth, lab[..., 0], lab[..., 1:]


def stabilise(lum: np.ndarray, chroma: np.ndarray, config: StabilizerConfig) -> tuple[np.ndarray, float, list[int]]:
    """Stabilised ab (T, H, W, 2), the stabiliser's frames per second, and the cuts it found."""
    stabilizer = TemporalStabilizer(config)
    lum8 = [luminance_to_uint8(frame) for frame in lum]
    out = np.empty_like(chroma)
    start = time.perf_counter()
    for t in range(len(lum)):
        out[t] = stabilizer.step(lum8[t], chroma[t])
    return out, len(lum) / (time.perf_counter() - start), stabilizer.cuts


def compose_video(lum: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """L (T, H, W) and ab (T, H, W, 2) -> (T, H, W, 3) uint8 RGB."""
    return np.stack([compose_lab(frame, ab) for frame, ab in zip(lum, chroma, strict=True)])


def clip_psnr(video: np.ndarray, truth: np.ndarray) -> float:
    """PSNR (dB) of the clip's mean squared error: finite even when some frames are exact (uniform black frames)."""
    per_frame = np.asarray(psnr(video, truth, reduction="none"))
    return float(-10.0 * np.log10(np.mean(10.0 ** (-per_frame / 10.0))))


def follow_errors(ab: np.ndarray, truth_ab: np.ndarray, start: int, region: tuple[slice, slice]) -> list[float]:
    """Mean |Δab| to the true chroma inside ``region`` for the first frames of an event at ``start``."""
    frames = range(start, min(start + FOLLOW_FRAMES, len(ab)))
    return [float(np.linalg.norm(ab[t][region] - truth_ab[t][region], axis=-1).mean()) for t in frames]


def event_row(clip: str, event: str, change: float, flicker: list[float], output: list[float]) -> str:
    follows = len(output) == FOLLOW_FRAMES and output[-1] < 0.5 * change
    cells = " / ".join(f"{a:.1f} → {b:.1f}" for a, b in zip(flicker, output, strict=True))
    return f"| {clip} | {event} | {change:.1f} | {cells} | {'yes' if follows else 'NO'} |"


def change_size(old: np.ndarray, new: np.ndarray) -> float:
    """Mean |Δab| between the old and the new true colours of an event's region."""
    return float(np.linalg.norm(old - new, axis=-1).mean())


def run_clip(name: str, width: int, max_frames: int | None, config: StabilizerConfig,
             rng: np.random.Generator) -> tuple[dict, list[str]]:
    truth, lum, true_ab = load(name, width, max_frames)
    angles, gains = rng.uniform(-20.0, 20.0, len(lum)), rng.uniform(0.8, 1.2, len(lum))
    flicker_ab = np.stack([rotate_chroma(ab, a, g) for ab, a, g in zip(true_ab, angles, gains, strict=True)])
    output_ab, fps, cuts = stabilise(lum, flicker_ab, config)
    flows = compute_temporal_flows(truth)
    videos = {"ground truth": truth, "flickering input": compose_video(lum, flicker_ab),
              "stabilised": compose_video(lum, output_ab)}
    scores = {label: {"warp": warp_error(video, flows), "cdc": color_distribution_consistency(video),
                      "psnr": clip_psnr(video, truth) if label != "ground truth" else float("inf")}
              for label, video in videos.items()}
    whole = (slice(None), slice(None))
    events = [event_row(name, f"scene cut at {c}", change_size(true_ab[c - 1], true_ab[c]),
                        follow_errors(flicker_ab, true_ab, c, whole),
                        follow_errors(output_ab, true_ab, c, whole)) for c in cuts]
    # A recoloured object: same luminance, new colours inside the central third from the middle frame on.
    start = len(lum) // 2
    height, wide = lum.shape[1:]
    region = (slice(height // 3, 2 * height // 3), slice(wide // 3, 2 * wide // 3))
    first = max(0, start - 30)
    new_ab = true_ab[first:].copy()
    recoloured = (slice(start - first, None), *region)
    new_ab[recoloured] = rotate_chroma(new_ab[recoloured], RECOLOUR_DEGREES)
    new_flicker = np.stack([rotate_chroma(ab, a, g)
                            for ab, a, g in zip(new_ab, angles[first:], gains[first:], strict=True)])
    new_output, _, _ = stabilise(lum[first:], new_flicker, config)
    events.append(event_row(name, f"object recoloured at {start}",
                            change_size(true_ab[start][region], new_ab[start - first][region]),
                            follow_errors(new_flicker, new_ab, start - first, region),
                            follow_errors(new_output, new_ab, start - first, region)))
    size = f"{truth.shape[2]}x{truth.shape[1]}"
    return {"clip": name, "size": size, "frames": len(truth), "scores": scores, "fps": fps, "cuts": cuts}, events


def clip_table(result: dict) -> str:
    scores = result["scores"]
    truth = scores["ground truth"]
    lines = [f"### {result['clip']} ({result['size']}, {result['frames']} frames; stabiliser {result['fps']:.1f} "
             f"FPS; cuts found at {result['cuts'] or 'none'})", "",
             "| video | warp error ×10³ | ÷ ground truth's | CDC | ÷ ground truth's | PSNR (dB, clip MSE) |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, score in scores.items():
        psnr_cell = "-" if label == "ground truth" else f"{score['psnr']:.2f}"
        lines.append(f"| {label} | {1e3 * score['warp']:.3f} | {score['warp'] / truth['warp']:.2f} | "
                     f"{score['cdc']:.5f} | {score['cdc'] / truth['cdc']:.2f} | {psnr_cell} |")
    out = scores["stabilised"]
    checks = {"warp ≤ 1.2× GT": out["warp"] <= 1.2 * truth["warp"],
              "CDC within 10% of GT": abs(out["cdc"] / truth["cdc"] - 1) <= 0.1,
              "PSNR ≥ input + 3 dB": out["psnr"] >= scores["flickering input"]["psnr"] + 3.0,
              "≥ 30 FPS": result["fps"] >= 30.0}
    lines += ["", "Targets: " + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in checks.items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="+", choices=list(SAMPLE_CLIPS), default=list(SAMPLE_CLIPS))
    parser.add_argument("--width", type=int, default=640, help="frame width in px (default 640)")
    parser.add_argument("--max-frames", type=int, help="only the first N frames of each clip (default: all)")
    parser.add_argument("--temporal-weight", type=float, default=StabilizerConfig.temporal_weight)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    configure_logging(logging.WARNING)
    config = StabilizerConfig(temporal_weight=args.temporal_weight)
    rng = np.random.default_rng(args.seed)
    events = []
    for name in args.clips:
        result, clip_events = run_clip(name, args.width, args.max_frames, config, rng)
        print(clip_table(result) + "\n", flush=True)
        events += clip_events
    print("### Ghosting: mean |Δab| to the new true colours, flickering input → stabilised, event frames 0 / 1 / 2\n")
    print("| clip | event | change | frame 0 / 1 / 2 | follows within 3 frames |\n|---|---|---:|---|---|")
    print("\n".join(events))


if __name__ == "__main__":
    main()
