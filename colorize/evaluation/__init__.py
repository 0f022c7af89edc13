"""Evaluating colorizers on a dataset: clips (:mod:`.datasets`), evaluable models (:mod:`.models`), the
models × clips run (:mod:`.runner`) and its report (:mod:`.report`, :mod:`.plots`).

``evaluate_models.py`` at the repository root is the command-line front end::

    clips = load_dataset("videos", "path/to/videos", max_frames=60)
    evaluation = evaluate(clips, ["gray", "copy", "chain", "anchored"], reference="first")
    write_report(evaluation, "out/")
"""

from colorize.evaluation.datasets import DATASETS, Clip, detect_layout, load_dataset
from colorize.evaluation.models import (
    PROPAGATION_MODELS,
    EvaluableModel,
    PropagationModel,
    check_model_names,
    make_model,
    model_names,
    register_model,
)
from colorize.evaluation.report import result_rows, summarize, summary_markdown, write_report
from colorize.evaluation.runner import Evaluation, ReferenceProtocol, RunResult, evaluate

__all__ = [
    "DATASETS", "Clip", "load_dataset", "detect_layout",
    "EvaluableModel", "PropagationModel", "PROPAGATION_MODELS", "register_model", "make_model", "model_names",
    "check_model_names",
    "Evaluation", "ReferenceProtocol", "RunResult", "evaluate",
    "result_rows", "summarize", "summary_markdown", "write_report",
]
