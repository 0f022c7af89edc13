"""Evaluating colorizers on a dataset: clips (:mod:`.datasets`), evaluable models (:mod:`.models`: any id of the
registry :mod:`colorize.models`), the reference frames (:mod:`.protocol`), the models × clips run (:mod:`.runner`)
and its report (:mod:`.report`, :mod:`.plots`).

``evaluate_models.py`` at the repository root is the command-line front end::

    clips = load_dataset("videos", "path/to/videos", max_frames=60)
    evaluation = evaluate(clips, ["gray", "copy", "chain", "anchored"], reference="first")
    write_report(evaluation, "out/")

The runner and the report need the metrics (torch, torchmetrics: seconds to import); they are imported on first
use, so a script can read the dataset layouts and model names (its ``--help``, its checks of the arguments) at once.
"""

import importlib
from typing import TYPE_CHECKING, Any

from colorize.evaluation.datasets import DATASETS, Clip, detect_layout, load_dataset
from colorize.evaluation.models import (
    DEFAULT_MODELS,
    PROPAGATION_MODELS,
    EvaluableModel,
    PropagationModel,
    check_model_names,
    make_model,
)
from colorize.evaluation.protocol import ReferenceProtocol

if TYPE_CHECKING:
    from colorize.evaluation.report import result_rows, summarize, summary_markdown, write_report
    from colorize.evaluation.runner import Evaluation, RunResult, evaluate

_LAZY = {
    **dict.fromkeys(("Evaluation", "RunResult", "evaluate"), "colorize.evaluation.runner"),
    **dict.fromkeys(("result_rows", "summarize", "summary_markdown", "write_report"), "colorize.evaluation.report"),
}

__all__ = [
    "DATASETS", "Clip", "load_dataset", "detect_layout",
    "EvaluableModel", "PropagationModel", "PROPAGATION_MODELS", "DEFAULT_MODELS", "make_model", "check_model_names",
    "Evaluation", "ReferenceProtocol", "RunResult", "evaluate",
    "result_rows", "summarize", "summary_markdown", "write_report",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'colorize.evaluation' has no attribute {name!r}")
