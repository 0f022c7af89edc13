"""Evaluation plots (PNG): one bar chart per metric comparing the models, and PSNR over frame index per clip.

Drawn on matplotlib ``Figure`` objects with the Agg canvas, without pyplot, so neither a display nor a change of
the user's global matplotlib backend is involved.
"""

import logging
import math
import re
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from colorize.evaluation.runner import Evaluation

logger = logging.getLogger(__name__)

_DIRECTION = {True: "higher is better", False: "lower is better", None: "no better direction"}


def safe_name(name: str) -> str:
    """``name`` usable as a file name: runs of other characters than letters, digits, ``.``, ``_``, ``-`` -> ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "clip"


def _save(figure: Figure, path: Path) -> None:
    FigureCanvasAgg(figure)
    figure.savefig(path, format="png", dpi=100)


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def plot_metric_bars(summary: dict, columns: list[tuple[str, str]], folder: Path) -> list[Path]:
    """``folder/<metric>.png`` for every summary column with at least one number: one bar per model.

    Models whose value is n/a get no bar and an "n/a" label; the ground truth's level, where the summary has one,
    is a dashed line. Returns the files written.
    """
    names = list(summary["models"])
    written = []
    for key, title in columns:
        values = [_number(summary["models"][name]["scores"][key]) for name in names]
        if all(value is None for value in values):
            continue
        figure = Figure(figsize=(max(4.0, 1.1 * len(names) + 1.5), 3.4), layout="constrained")
        axes = figure.add_subplot()
        positions = np.arange(len(names))
        bars = axes.bar(positions, [0.0 if v is None else v for v in values], color="tab:blue")
        axes.bar_label(bars, labels=["n/a" if v is None else f"{v:.4g}" for v in values], fontsize=8)
        truth = _number(summary.get("ground_truth", {}).get(key))
        if truth is not None:
            axes.axhline(truth, color="black", linestyle="--", linewidth=1, label="ground truth")
            axes.legend(fontsize=8, loc="lower right")
        axes.set_xticks(positions, names, rotation=20 if len(names) > 4 else 0)
        axes.set_title(f"{title} ({_DIRECTION[summary['higher_is_better'][key]]})", fontsize=10)
        axes.margins(y=0.15)
        path = folder / f"{safe_name(key)}.png"
        _save(figure, path)
        written.append(path)
    return written


def plot_psnr_over_frames(evaluation: Evaluation, folder: Path) -> list[Path]:
    """``folder/psnr_<clip>.png`` per clip with a result: PSNR of each frame, one line per model.

    Reference frames (given in true color, often a perfect or infinite PSNR) are drawn as dotted vertical lines and
    left out of the lines. Returns the files written.
    """
    written = []
    for clip in evaluation.clips:
        runs = [run for run in evaluation.succeeded if run.clip == clip and "psnr" in run.metrics.per_frame]
        if not runs:
            continue
        figure = Figure(figsize=(7.0, 3.6), layout="constrained")
        axes = figure.add_subplot()
        for run in runs:
            values = np.asarray(run.metrics.per_frame["psnr"], dtype=np.float64).copy()
            values[[i for i in run.reference_frames if i < len(values)]] = np.nan
            values[~np.isfinite(values)] = np.nan
            axes.plot(np.arange(len(values)), values, label=run.model, linewidth=1.2, marker="o", markersize=2)
        for index in runs[0].reference_frames:
            axes.axvline(index, color="gray", linestyle=":", linewidth=1)
        axes.set_xlabel("frame index (dotted: reference frames in true color)")
        axes.set_ylabel("PSNR (dB)")
        axes.set_title(f"{clip}: PSNR per frame", fontsize=10)
        axes.legend(fontsize=8)
        path = folder / f"psnr_{safe_name(clip)}.png"
        _save(figure, path)
        written.append(path)
    logger.debug("wrote %d PSNR plot(s) to %s", len(written), folder)
    return written
