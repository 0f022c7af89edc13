"""Evaluation outputs: ``results.csv`` (one row per model × clip), ``summary.json``, ``summary.md`` and ``plots/``.

The summary gives per model the mean of each metric over the clips it colorized (:func:`summarize`). A metric that
could not be computed is ``"n/a"``, never a number, and the reasons are listed under the markdown table. The whole
output folder is written under a temporary name and renamed when complete (:func:`colorize.io.atomic_dir`).
"""

import csv
import json
import logging
import math
import os
from pathlib import Path

import numpy as np

from colorize.evaluation.plots import plot_metric_bars, plot_psnr_over_frames
from colorize.evaluation.runner import FAILED, NA, UNAVAILABLE, Evaluation, RunResult
from colorize.io import atomic_dir
from colorize.metrics import HIGHER_IS_BETTER, METRIC_NAMES

logger = logging.getLogger(__name__)

COST_COLUMNS = ("fps", "seconds", "peak_rss_mib", "peak_gpu_mem_mib", "gpu_util_mean_percent", "gpu_util_max_percent")
_COST_NOTES = {"fps": ("fps",), "peak_gpu_mem_mib": ("gpu",), "gpu_util_mean_percent": ("gpu", "gpu_util"),
               "gpu_util_max_percent": ("gpu", "gpu_util")}  # column -> CostReport.notes keys explaining its n/a
RESULT_COLUMNS = ("model", "clip", "status", "error", "frames", "width", "height", "reference_frames",
                  *METRIC_NAMES, *COST_COLUMNS)

# Columns of the summary table: (key, heading, number format). Ground-truth levels go in a row of their own.
SUMMARY_COLUMNS = (
    ("psnr", "PSNR (dB)", ".2f"), ("ssim", "SSIM", ".4f"), ("lpips", "LPIPS", ".4f"), ("fid", "FID", ".2f"),
    ("colorfulness", "CF", ".2f"), ("delta_colorfulness", "ΔCF", ".2f"), ("cdc", "CDC", ".5f"),
    ("cdc_delta", "CDC − GT", "+.5f"), ("warp_error", "warp error", ".3e"), ("flow_consistency", "flow cons.", ".4f"),
    ("frame_difference_stability", "frame-diff stab.", ".4f"), ("fps", "FPS", ".1f"),
    ("peak_rss_mib", "peak RSS (MiB)", ".0f"), ("peak_gpu_mem_mib", "peak GPU (MiB)", ".0f"),
    ("gpu_util_mean_percent", "GPU util (%)", ".0f"),
)
GROUND_TRUTH = {"colorfulness": "colorfulness_gt", "cdc": "cdc_gt", "warp_error": "warp_error_gt"}
BETTER = {**HIGHER_IS_BETTER, "fid": False, "fps": True, "peak_rss_mib": False, "peak_gpu_mem_mib": False,
          "gpu_util_mean_percent": None}


def cost_row(run: RunResult) -> dict[str, float | int | str]:
    """The cost columns of a run, n/a spelled ``"n/a (reason)"``."""
    if run.cost is None:
        return dict.fromkeys(COST_COLUMNS, NA)
    row = run.cost.as_dict()
    for column in COST_COLUMNS:
        reasons = _cost_reasons(run, column)
        if row[column] == NA and reasons:
            row[column] = f"{NA} ({'; '.join(reasons)})"
    return {column: row[column] for column in COST_COLUMNS}


def _cost_reasons(run: RunResult, column: str) -> list[str]:
    notes = run.cost.notes if run.cost else {}
    return [notes[key] for key in _COST_NOTES.get(column, ()) if key in notes]


def result_rows(evaluation: Evaluation) -> list[dict]:
    """One flat row per model × clip, in :data:`RESULT_COLUMNS` order."""
    rows = []
    for run in evaluation.runs:
        width, height = run.size or ("", "")
        row = {"model": run.model, "clip": run.clip, "status": run.status, "error": run.error or "",
               "frames": run.frames, "width": width, "height": height,
               "reference_frames": " ".join(map(str, run.reference_frames))}
        metrics = run.metrics.as_row() if run.metrics else dict.fromkeys(METRIC_NAMES, NA)
        rows.append({**row, **metrics, **cost_row(run)})
    return rows


def _mean(values: list) -> float | str:
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return float(np.mean(numbers)) if numbers else NA


def _reasons(runs: list[RunResult], key: str) -> set[str]:
    found = set()
    for run in runs:
        if run.metrics and key in run.metrics.reasons:
            found.add(run.metrics.reasons[key])
        found.update(_cost_reasons(run, key))
    return found


def summarize(evaluation: Evaluation) -> dict:
    """Per-model means over the clips each model colorized, ground-truth levels, n/a reasons and failures.

    FPS is total frames / total seconds; peak memory is the maximum over clips; every other value is the mean of
    the per-clip values (a metric n/a on some clips is averaged over the others, and its reason listed).
    """
    models = {}
    reasons: dict[str, set[str]] = {}
    for name, description in evaluation.models.items():
        runs = [run for run in evaluation.succeeded if run.model == name]
        scores = {key: _mean([run.metrics.scores[key] for run in runs]) for key in METRIC_NAMES}
        frames, seconds = sum(r.cost.frames for r in runs), sum(r.cost.seconds for r in runs)
        costs = [cost_row(run) for run in runs]
        scores |= {"fid": evaluation.fid.get(name, NA), "fps": frames / seconds if frames and seconds else NA,
                   "peak_rss_mib": _max([c["peak_rss_mib"] for c in costs]),
                   "peak_gpu_mem_mib": _max([c["peak_gpu_mem_mib"] for c in costs]),
                   "gpu_util_mean_percent": _mean([c["gpu_util_mean_percent"] for c in costs])}
        for key, _, _ in SUMMARY_COLUMNS:
            found = _reasons(runs, key) | ({evaluation.fid_reasons[name]} if key == "fid" and
                                           name in evaluation.fid_reasons else set())
            if found and (scores[key] == NA or any(r.metrics and r.metrics.scores.get(key) == NA for r in runs)):
                reasons.setdefault(key, set()).update(found)
            elif found:  # a number with a caveat (e.g. LPIPS from a random trunk in tests)
                reasons.setdefault(key, set()).update(f"note: {reason}" for reason in found)
        models[name] = {"description": description, "clips": len(evaluation.clips), "clips_ok": len(runs),
                        "scores": scores}
    per_clip = {run.clip: run.metrics.scores for run in evaluation.succeeded}
    ground_truth = {key: _mean([scores[gt] for scores in per_clip.values()]) for key, gt in GROUND_TRUTH.items()}
    failures = [{"model": run.model, "clip": run.clip, "error": run.error}
                for run in evaluation.runs if run.status == FAILED]
    missing: dict[str, str] = {}  # model -> why it could not run (the same on every clip) and how to fetch it
    for run in evaluation.runs:
        if run.status == UNAVAILABLE:
            missing.setdefault(run.model, run.error or "")
    return {"settings": evaluation.settings, "clips": evaluation.clips, "models": models,
            "ground_truth": ground_truth, "unavailable": {key: sorted(found) for key, found in reasons.items()},
            "unavailable_models": [{"model": name, "reason": reason} for name, reason in missing.items()],
            "failures": failures, "higher_is_better": {key: BETTER[key] for key, _, _ in SUMMARY_COLUMNS}}


def _max(values: list) -> float | str:
    numbers = [float(v) for v in values if isinstance(v, (int, float))]
    return max(numbers) if numbers else NA


def _format(value: float | str, spec: str) -> str:
    if not isinstance(value, (int, float)):
        return NA
    return format(value, spec) if math.isfinite(value) else str(value)


def summary_markdown(summary: dict) -> str:
    """The summary as markdown: settings, the per-model table, ground-truth levels, n/a reasons, failures."""
    settings, models = summary["settings"], summary["models"]
    arrows = {True: " ↑", False: " ↓", None: ""}
    head = [f"{title}{arrows[summary['higher_is_better'][key]]}" for key, title, _ in SUMMARY_COLUMNS]
    lines = ["# Colorization evaluation", ""]
    lines += [f"- {key}: `{value}`" if key == "command" else f"- {key}: {value}" for key, value in settings.items()]
    lines += [f"- clips: {len(summary['clips'])} ({', '.join(summary['clips'])})", ""]
    lines += ["| model | clips | " + " | ".join(head) + " |", "|---|---:|" + "---:|" * len(head)]
    best = {key: _best([m["scores"][key] for m in models.values()], summary["higher_is_better"][key])
            for key, _, _ in SUMMARY_COLUMNS}
    for name, model in models.items():
        cells = []
        for key, _, spec in SUMMARY_COLUMNS:
            text = _format(model["scores"][key], spec)
            cells.append(f"**{text}**" if len(models) > 1 and model["scores"][key] == best[key] else text)
        lines.append(f"| {name} | {model['clips_ok']}/{model['clips']} | " + " | ".join(cells) + " |")
    gt_cells = [_format(summary["ground_truth"][key], spec) if key in GROUND_TRUTH else ""
                for key, _, spec in SUMMARY_COLUMNS]
    lines += ["| *ground truth* | | " + " | ".join(gt_cells) + " |", ""]
    lines += ["Means over the clips each model colorized (clips: succeeded/total). Reference frames, given to the "
              "model in true color, are left out of PSNR, SSIM and LPIPS. ↑ / ↓: higher / lower is better; bold: "
              "best. CF: colorfulness (Hasler & Süsstrunk); ΔCF: |CF − CF of the ground truth|; CDC: color "
              "distribution consistency (TCVC); warp error: Lai et al. 2018, mean over RGB on [0, 1]; the "
              "*ground truth* row is each temporal metric's natural level. FPS: frames / seconds of colorization "
              "(decoding excluded); peak memory: maximum over clips.", ""]
    if summary["unavailable"]:
        titles = {key: title for key, title, _ in SUMMARY_COLUMNS}
        lines += ["**n/a (unavailable) and notes**", ""]
        lines += [f"- {titles[key]}: {reason}" for key, found in summary["unavailable"].items() for reason in found]
        lines.append("")
    if summary.get("unavailable_models"):
        lines += ["**Unavailable (weights missing)**", ""]
        lines += [f"- {m['model']}: {m['reason']}" for m in summary["unavailable_models"]]
        lines.append("")
    if summary["failures"]:
        lines += ["**Failed runs**", ""]
        lines += [f"- {f['model']} on {f['clip']}: {f['error']}" for f in summary["failures"]]
        lines.append("")
    descriptions = [f"- {name}: {model['description']}" for name, model in models.items()]
    return "\n".join(lines + ["**Models**", "", *descriptions, ""])


def _best(values: list, higher: bool | None) -> float | None:
    numbers = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if higher is None or not numbers:
        return None
    return max(numbers) if higher else min(numbers)


def json_safe(value):
    """``value`` with numpy scalars as Python numbers and non-finite floats as the strings "inf", "-inf", "nan"."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, os.PathLike):
        return str(value)
    return value


def write_report(evaluation: Evaluation, output_dir: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write every output file into ``output_dir`` (created; replaced only with ``overwrite``). Returns its path.

    Raises:
        InputError: ``output_dir`` holds a previous run and ``overwrite`` is False.
    """
    output_dir = Path(output_dir)
    summary = summarize(evaluation)
    with atomic_dir(output_dir, overwrite) as tmp:
        with open(tmp / "results.csv", "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=RESULT_COLUMNS)
            writer.writeheader()
            writer.writerows(result_rows(evaluation))
        (tmp / "summary.json").write_text(json.dumps(json_safe(summary), indent=2, allow_nan=False) + "\n")
        (tmp / "summary.md").write_text(summary_markdown(summary))
        (tmp / "plots").mkdir()
        plot_metric_bars(summary, [(key, title) for key, title, _ in SUMMARY_COLUMNS], tmp / "plots")
        plot_psnr_over_frames(evaluation, tmp / "plots")
    logger.info("wrote %s (results.csv, summary.json, summary.md, plots/)", output_dir)
    return output_dir
