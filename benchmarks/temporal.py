#!/usr/bin/env python
"""Temporal stabiliser benchmark: flicker added to the true colors of each bundled clip, then taken out.

    python benchmarks/temporal.py [--lookahead 0 8] [--max-frames N] [--width 640] [--clips ...] [--plot PNG]

Frames are resized to ``--width`` px wide (carphone is enlarged). Each frame's true chroma (CIE Lab ab) is corrupted
by a random hue rotation, uniform in ±20°, and a random chroma gain in [0.8, 1.2] (seeded): the flickering input a
per-frame colorizer would give. :class:`colorize.temporal.TemporalStabilizer` stabilises it using the luminance
only, once per ``--lookahead`` (0: frame by frame, as ``step()``; N: each frame output once N more were seen).
Per clip, a markdown table: warping error (Lai et al., flows on the ground truth; also divided by the ground
truth's own), CDC (and the ground truth's), PSNR to the true colors (of the clip's mean squared error, as some
frames are exact), and the stabiliser's frames per second. ``--plot`` draws each clip's per-frame error to the
true colors (mean |Δab|), flickering input against every stabilised run, with the ground truth's scene cuts.

Ghosting (the output must follow true color changes within 3 frames) is checked at every scene cut of the ground
truth (a color-histogram change between consecutive frames above 30 times the clip's median) and on recolored
objects made here: from the middle frame on, the true chroma inside the central third of the frame is turned by
120° or by 45° (then flickered like the rest). RULE below states when the output follows.
"""

import argparse
import dataclasses
import logging
import time
from pathlib import Path

import numpy as np

from colorize.color import compose_lab, luminance_to_uint8, resize, rgb_to_lab, rotate_chroma
from colorize.data import SAMPLE_CLIPS, sample_video
from colorize.io import iter_frames
from colorize.metrics import color_distribution_consistency, compute_temporal_flows, psnr, warp_error
from colorize.metrics.cdc import channel_histograms, js_divergence
from colorize.temporal import StabilizerConfig, TemporalStabilizer
from colorize.utils.logging import configure_logging

FOLLOW_FRAMES = 3
FOLLOW_TOLERANCE = 1.0  # ab units: at most this much (and 10% of the change) above the control's error
RECOLORS = (120.0, 45.0)  # degrees of hue the recolored object turns by
CUT_RATIO = 30.0  # a ground-truth scene cut: consecutive-frame color-histogram JS above this times the median
RULE = (f"the output follows when, at the {FOLLOW_FRAMES}rd frame of the event (event frame {FOLLOW_FRAMES - 1}), "
        f"its mean |Δab| to the new true colors in the changed region is at most {FOLLOW_TOLERANCE:g} ab unit and "
        "at most 10% of the change above the control's: the same stabiliser on the same flickering frames where the "
        "new colors were there from the start (a scene cut: the new shot stabilised on its own, from its first "
        "frame to its last).")


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
    outputs = []
    start = time.perf_counter()
    for t in range(len(lum)):
        outputs += stabilizer.push(lum8[t], chroma[t])
    outputs += stabilizer.flush()
    return np.stack(outputs), len(lum) / (time.perf_counter() - start), stabilizer.cuts


def flicker(true_ab: np.ndarray, angles: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """Each frame's (H, W, 2) chroma turned by its angle (degrees) and scaled by its gain."""
    return np.stack([rotate_chroma(ab, a, g) for ab, a, g in zip(true_ab, angles, gains, strict=True)])


def compose_video(lum: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """L (T, H, W) and ab (T, H, W, 2) -> (T, H, W, 3) uint8 RGB."""
    return np.stack([compose_lab(frame, ab) for frame, ab in zip(lum, chroma, strict=True)])


def clip_psnr(video: np.ndarray, truth: np.ndarray) -> float:
    """PSNR (dB) of the clip's mean squared error: finite even when some frames are exact (uniform black frames)."""
    per_frame = np.asarray(psnr(video, truth, reduction="none"))
    return float(-10.0 * np.log10(np.mean(10.0 ** (-per_frame / 10.0))))


def truth_cuts(truth: np.ndarray) -> list[int]:
    """Frames of the ground truth whose RGB histograms differ from the previous frame's by more than ``CUT_RATIO``
    times the clip's median JS divergence."""
    hist = channel_histograms(truth)
    js = js_divergence(hist[:-1], hist[1:]).mean(axis=-1)
    return [int(t) + 1 for t in np.flatnonzero(js > CUT_RATIO * np.median(js))]


def follow_errors(ab: np.ndarray, truth_ab: np.ndarray, start: int, region: tuple[slice, slice]) -> list[float]:
    """Mean |Δab| to the true chroma inside ``region`` for the first frames of an event at ``start``."""
    frames = slice(start, start + FOLLOW_FRAMES)
    return mean_error(ab[frames][:, region[0], region[1]], truth_ab[frames][:, region[0], region[1]]).tolist()


@dataclasses.dataclass
class Event:
    clip: str
    event: str
    change: float  # mean |Δab| between the old and the new true colors of the region
    flickering: list[float]  # the input's mean |Δab| to the new colors, event frames 0..2
    output: list[float]  # the output's
    control: float  # the control's at the last event frame

    def follows(self) -> bool:
        return (len(self.output) == FOLLOW_FRAMES and
                self.output[-1] <= self.control + min(FOLLOW_TOLERANCE, 0.1 * self.change))

    def row(self) -> str:
        cells = " / ".join(f"{a:.1f} → {b:.1f}" for a, b in zip(self.flickering, self.output, strict=True))
        return (f"| {self.clip} | {self.event} | {self.change:.1f} | {cells} | {self.control:.1f} | "
                f"{'yes' if self.follows() else 'NO'} |")


def ghost_events(name: str, lum: np.ndarray, true_ab: np.ndarray, flicker_ab: np.ndarray, output_ab: np.ndarray,
                 angles: np.ndarray, gains: np.ndarray, cuts: list[int], config: StabilizerConfig) -> list[Event]:
    """The ground truth's scene ``cuts`` and the recolored objects, each with its control run."""
    whole = (slice(None), slice(None))
    events = []
    for i, c in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(lum)
        control, _, _ = stabilise(lum[c:end], flicker_ab[c:end], config)
        change = float(np.linalg.norm(true_ab[c - 1] - true_ab[c], axis=-1).mean())
        events.append(Event(name, f"scene cut at {c}", change, follow_errors(flicker_ab, true_ab, c, whole),
                            follow_errors(output_ab, true_ab, c, whole),
                            follow_errors(control, true_ab[c:end], 0, whole)[-1]))
    # A recolored object: same luminance, new colors inside the central third from the middle frame on.
    start = len(lum) // 2
    first = max([0, start - 30, *[c for c in cuts if c <= start]])  # within the shot of the middle frame
    end = min([len(lum), *[c for c in cuts if c > start]])
    height, width = lum.shape[1:]
    region = (slice(height // 3, 2 * height // 3), slice(width // 3, 2 * width // 3))
    for degrees in RECOLORS:
        runs = []
        for changed_from in (start - first, 0):  # the event, then the control (new colors from the start)
            new_ab = true_ab[first:end].copy()
            new_ab[(slice(changed_from, None), *region)] = rotate_chroma(new_ab[changed_from:, region[0], region[1]],
                                                                          degrees)
            new_flicker = flicker(new_ab, angles[first:end], gains[first:end])
            runs.append((new_ab, new_flicker, stabilise(lum[first:end], new_flicker, config)[0]))
        (new_ab, new_flicker, event_out), (control_ab, _, control_out) = runs
        k = start - first
        events.append(Event(name, f"object recolored {degrees:g}° at {start}",
                            float(np.linalg.norm(true_ab[start][region] - new_ab[k][region], axis=-1).mean()),
                            follow_errors(new_flicker, new_ab, k, region), follow_errors(event_out, new_ab, k, region),
                            follow_errors(control_out, control_ab, k, region)[-1]))
    return events


def run_clip(name: str, width: int, max_frames: int | None, configs: dict[str, StabilizerConfig],
             rng: np.random.Generator) -> tuple[dict, dict[str, list[Event]]]:
    truth, lum, true_ab = load(name, width, max_frames)
    angles, gains = rng.uniform(-20.0, 20.0, len(lum)), rng.uniform(0.8, 1.2, len(lum))
    flicker_ab = flicker(true_ab, angles, gains)
    flows = compute_temporal_flows(truth)
    videos = {"ground truth": truth, "flickering input": compose_video(lum, flicker_ab)}
    result = {"clip": name, "size": f"{truth.shape[2]}x{truth.shape[1]}", "frames": len(truth), "fps": {},
              "cuts": {}, "truth cuts": truth_cuts(truth)}
    events = {}
    result["error"] = {"flickering input": mean_error(flicker_ab, true_ab)}
    for label, config in configs.items():
        output_ab, result["fps"][label], result["cuts"][label] = stabilise(lum, flicker_ab, config)
        result["error"][label] = mean_error(output_ab, true_ab)
        videos[label] = compose_video(lum, output_ab)
        events[label] = ghost_events(name, lum, true_ab, flicker_ab, output_ab, angles, gains, result["truth cuts"],
                                     config)
    result["scores"] = {label: {"warp": warp_error(video, flows), "cdc": color_distribution_consistency(video),
                                "psnr": clip_psnr(video, truth) if label != "ground truth" else float("inf")}
                        for label, video in videos.items()}
    return result, events


def mean_error(ab: np.ndarray, true_ab: np.ndarray) -> np.ndarray:
    """(T,) mean |Δab| per frame (ab units) of (T, H, W, 2) chroma against the true chroma."""
    return np.array([np.linalg.norm(frame - truth, axis=-1).mean() for frame, truth in zip(ab, true_ab, strict=True)])


def plot_errors(results: list[dict], path: Path) -> None:
    """``path`` (PNG): per clip, the per-frame mean |Δab| to the true colors of each video, cuts dotted."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.0, 2.4 * len(results)), layout="constrained")
    for axes, result in zip(figure.subplots(len(results), 1, squeeze=False)[:, 0], results, strict=True):
        for label, error in result["error"].items():
            axes.plot(error, linewidth=1.0 if label == "flickering input" else 1.4, label=label,
                      color="0.6" if label == "flickering input" else None)
        for cut in result["truth cuts"]:
            axes.axvline(cut, color="black", linestyle=":", linewidth=0.8)
        axes.set_title(f"{result['clip']} ({result['size']})", fontsize=10)
        axes.set_ylabel("mean |Δab| to truth")
        axes.set_ylim(bottom=0)
    axes.set_xlabel("frame (dotted: scene cuts of the ground truth)")
    figure.axes[0].legend(fontsize=8, loc="upper right")
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(figure)
    figure.savefig(path, format="png", dpi=100)


def clip_table(result: dict, labels: list[str]) -> str:
    scores = result["scores"]
    truth = scores["ground truth"]
    found = "; ".join(f"{label}: {result['cuts'][label] or 'none'}" for label in labels)
    lines = [f"### {result['clip']} ({result['size']}, {result['frames']} frames; ground-truth cuts at "
             f"{result['truth cuts'] or 'none'}; found by the stabiliser, {found})", "",
             "| video | warp error ×10³ | ÷ ground truth's | CDC | ÷ ground truth's | PSNR (dB, clip MSE) | "
             "stabiliser FPS |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, score in scores.items():
        psnr_cell = "-" if label == "ground truth" else f"{score['psnr']:.2f}"
        fps = f"{result['fps'][label]:.1f}" if label in result["fps"] else ""
        lines.append(f"| {label} | {1e3 * score['warp']:.3f} | {score['warp'] / truth['warp']:.2f} | "
                     f"{score['cdc']:.5f} | {score['cdc'] / truth['cdc']:.2f} | {psnr_cell} | {fps} |")
    lines.append("")
    for label in labels:
        out = scores[label]
        checks = {"warp ≤ 1.2× GT": out["warp"] <= 1.2 * truth["warp"],
                  "CDC within 10% of GT": abs(out["cdc"] / truth["cdc"] - 1) <= 0.1,
                  "PSNR ≥ input + 3 dB": out["psnr"] >= scores["flickering input"]["psnr"] + 3.0,
                  "≥ 30 FPS": result["fps"][label] >= 30.0}
        lines.append(f"Targets, {label}: " + ", ".join(f"{name} {'met' if ok else 'NOT met'}"
                                                     for name, ok in checks.items()) + "  ")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="+", choices=list(SAMPLE_CLIPS), default=list(SAMPLE_CLIPS))
    parser.add_argument("--width", type=int, default=640, help="frame width in px (default 640)")
    parser.add_argument("--max-frames", type=int, help="only the first N frames of each clip (default: all)")
    parser.add_argument("--lookahead", type=int, nargs="+", default=[0, 8],
                        help="stabiliser lookahead(s) in frames, one row each (default: 0 8)")
    parser.add_argument("--temporal-weight", type=float, default=StabilizerConfig.temporal_weight)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", type=Path, metavar="PNG", help="also draw the per-frame errors to this PNG")
    args = parser.parse_args()
    configure_logging(logging.WARNING)
    configs = {f"stabilised, lookahead {n}": StabilizerConfig(temporal_weight=args.temporal_weight, lookahead=n)
               for n in args.lookahead}
    rng = np.random.default_rng(args.seed)
    events: dict[str, list[Event]] = {label: [] for label in configs}
    results = []
    for name in args.clips:
        result, clip_events = run_clip(name, args.width, args.max_frames, configs, rng)
        results.append(result)
        print(clip_table(result, list(configs)) + "\n", flush=True)
        for label, found in clip_events.items():
            events[label] += found
    print("### Ghosting: mean |Δab| to the new true colors, flickering input → stabilised, event frames 0 / 1 / 2\n")
    print(f"Rule: {RULE}\n")
    for label, found in events.items():
        print(f"{label}:\n\n| clip | event | change | frame 0 / 1 / 2 | control, frame 2 | follows within 3 frames |\n"
              "|---|---|---:|---|---:|---|")
        print("\n".join(event.row() for event in found) + "\n")
    if args.plot:
        plot_errors(results, args.plot)
        print(f"plot: {args.plot}")


if __name__ == "__main__":
    main()
