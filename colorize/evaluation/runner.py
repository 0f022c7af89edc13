"""Evaluate models × clips: colorize every clip from its true colors at the reference frames, score, measure cost.

Per clip, the ground truth and the black-and-white input are read once (one clip in memory at a time), the reference
flows for the temporal metrics are computed once on the ground truth and shared by every model, and each model
colorizes the clip under a :class:`~colorize.metrics.CostMeter`: its FPS counts the model's own work only (decoding
happens before the clock starts). :func:`~colorize.metrics.evaluate_video` then scores the output; the reference
frames are left out of the PSNR / SSIM / LPIPS means, where a copied true frame would score perfectly.

Learned metrics never fall back to a made-up number: when LPIPS or FID weights are missing the metric is recorded as
unavailable with the one-line reason. A clip or model that fails is recorded with its error; the others go on.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from colorize.errors import ColorizeError, InputError
from colorize.evaluation.datasets import Clip
from colorize.evaluation.models import EvaluableModel, check_model_names, make_model
from colorize.evaluation.protocol import ReferenceProtocol
from colorize.metrics import (
    FID,
    LPIPS,
    CostMeter,
    CostReport,
    MetricUnavailable,
    VideoMetrics,
    compute_temporal_flows,
    evaluate_video,
)
from colorize.models import MissingWeightsError, get_spec
from colorize.utils.progress import progress

logger = logging.getLogger(__name__)

NA = "n/a"
UNAVAILABLE = "unavailable"  # RunResult.status of a model whose weights are not on disk
FAILED = "failed"  # RunResult.status of a run that raised


@dataclass
class RunResult:
    """One model on one clip. ``status`` is ``"ok"`` (``metrics`` and ``cost`` set), ``"unavailable"`` (its weights
    are not on disk; ``error`` says how to get them) or ``"failed"`` (``error``)."""

    model: str
    clip: str
    status: str
    error: str | None = None
    frames: int = 0
    size: tuple[int, int] | None = None  # (width, height) in pixels
    reference_frames: list[int] = field(default_factory=list)
    metrics: VideoMetrics | None = None
    cost: CostReport | None = None


@dataclass
class Evaluation:
    """Everything a report needs: one :class:`RunResult` per model × clip, plus the per-model FID."""

    runs: list[RunResult]
    models: dict[str, str]  # name -> description, in evaluation order
    clips: list[str]
    fid: dict[str, float | str]  # model -> FID over all its frames, or "n/a"
    fid_reasons: dict[str, str]  # model -> why its FID is n/a
    settings: dict = field(default_factory=dict)  # dataset, reference protocol, device, metric set-up

    @property
    def succeeded(self) -> list[RunResult]:
        return [run for run in self.runs if run.status == "ok"]


def describe_error(err: BaseException) -> str:
    """One line for a results table: the message of a ColorizeError, else ``Type: message``."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    if isinstance(err, ColorizeError) and text:
        return text
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def evaluate(clips: Sequence[Clip], models: Sequence[str | EvaluableModel], *,
             reference: ReferenceProtocol | str = "first", device: str = "cpu",
             lpips_weights: str | None = None, fid_weights: str | None = None,
             settings: dict | None = None) -> Evaluation:
    """Run every model on every clip and score it.

    Args:
        clips: from :func:`~colorize.evaluation.datasets.load_dataset`.
        models: ids of the model registry (see :func:`colorize.models.get_spec`) or model objects.
        reference: ``"first"`` (frame 0's true colors), ``"keyframes:K"`` or a :class:`ReferenceProtocol`.
        device: ``"cpu"`` or ``"cuda"``, for the models, SSIM, LPIPS, FID and the cost meter.
        lpips_weights: torchvision's ``alexnet-owt-7be5be79.pth`` or its folder; default: the torch hub cache.
        fid_weights: torch-fidelity's Inception weights or their folder; default: the torch hub cache.
        settings: extra entries for :attr:`Evaluation.settings` (e.g. the dataset name and path).
    """
    protocol = reference if isinstance(reference, ReferenceProtocol) else ReferenceProtocol.parse(reference)
    check_model_names([model for model in models if isinstance(model, str)])
    built: dict[str, EvaluableModel | tuple[str, str]] = {}  # name -> model, or (status, why it was not built)
    for model in models:
        name = model if isinstance(model, str) else model.name
        try:
            built[name] = make_model(model, device) if isinstance(model, str) else model
        except MissingWeightsError as err:  # every clip of this model gets this row; the others still run
            logger.error("model %s is unavailable: %s", name, describe_error(err))
            built[name] = (UNAVAILABLE, describe_error(err))
        except Exception as err:
            logger.error("model %s cannot be built: %s", name, describe_error(err))
            built[name] = (FAILED, f"model not built: {describe_error(err)}")
    lpips = _load_lpips(lpips_weights, device)
    fids, fid_reasons = _load_fids(list(built), fid_weights, device)

    runs: list[RunResult] = []
    for clip in progress(clips, desc="clips", unit="clip"):
        runs += _evaluate_clip(clip, built, protocol, lpips, fids, device)

    fid: dict[str, float | str] = {}
    for name, metric in fids.items():
        try:
            fid[name] = metric.compute()
        except ValueError as err:  # fewer than 2 frames: every clip of this model failed
            fid[name], fid_reasons[name] = NA, describe_error(err)
    for name in built:
        fid.setdefault(name, NA)
    descriptions = {name: get_spec(name).description if isinstance(model, tuple) else model.description
                    for name, model in built.items()}  # a model not built was named by its registry id
    fid_setup = next(iter(fids.values())).description if fids else f"{NA} ({next(iter(fid_reasons.values()), '')})"
    settings = {**(settings or {}), "reference": str(protocol), "device": device,
                "lpips": lpips.description if isinstance(lpips, LPIPS) else f"{NA} ({lpips})", "fid": fid_setup}
    return Evaluation(runs, descriptions, [clip.name for clip in clips], fid, fid_reasons, settings)


def _load_lpips(weights: str | None, device: str) -> LPIPS | str:
    try:
        return LPIPS.load(weights, device=device)
    except MetricUnavailable as err:
        logger.warning("LPIPS unavailable: %s", err)
        return str(err)


def _load_fids(names: list[str], weights: str | None, device: str) -> tuple[dict[str, FID], dict[str, str]]:
    """One FID accumulator per model, or the reason for every model when FID cannot be loaded."""
    try:
        return {name: FID.load(weights, device=device) for name in names}, {}
    except MetricUnavailable as err:
        logger.warning("FID unavailable: %s", err)
        return {}, dict.fromkeys(names, str(err))


def _evaluate_clip(clip: Clip, models: dict[str, EvaluableModel | tuple[str, str]], protocol: ReferenceProtocol,
                   lpips: LPIPS | str, fids: dict[str, FID], device: str) -> list[RunResult]:
    try:
        truth, inputs = list(clip.open_truth()), list(clip.open_input())
        if not truth:
            raise InputError(f"clip {clip.name} has no frames: {clip.source}")
        shapes = sorted({np.shape(frame) for frame in inputs + truth})
        if len(inputs) != len(truth) or len(shapes) > 1:
            raise InputError(f"clip {clip.name}: input and ground truth differ in frame count or size "
                             f"({len(inputs)} vs {len(truth)} frames; sizes {shapes})")
        truth = np.stack(truth)
        flows = compute_temporal_flows(truth) if len(truth) >= 2 else None
    except Exception as err:  # unreadable clip: recorded for every model, the run goes on
        logger.error("clip %s failed: %s", clip.name, describe_error(err))
        logger.debug("clip %s", clip.name, exc_info=True)
        return [RunResult(name, clip.name, FAILED, describe_error(err)) for name in models]

    num_frames, size = len(truth), (truth.shape[2], truth.shape[1])
    references = {index: truth[index] for index in protocol.indices(num_frames)}
    results = []
    for name, model in models.items():
        run = RunResult(name, clip.name, FAILED, frames=num_frames, size=size, reference_frames=list(references))
        results.append(run)
        if isinstance(model, tuple):
            run.status, run.error = model
            continue
        try:
            output, run.cost = _colorize(model, clip.name, inputs, references, num_frames, device)
            run.metrics = evaluate_video(output, truth, flows=flows, lpips=lpips,
                                         reference_frames=list(references), device=device)
            if name in fids:
                fids[name].update(output=output, target=truth)
            run.status = "ok"
        except Exception as err:
            run.error = describe_error(err)
            logger.error("%s on clip %s failed: %s", name, clip.name, run.error)
            logger.debug("%s on clip %s", name, clip.name, exc_info=True)
            continue
        scores = run.metrics.scores
        logger.info("%s / %s: PSNR %s dB, SSIM %s, %s fps", clip.name, name, _short(scores["psnr"]),
                    _short(scores["ssim"]), _short(run.cost.fps))
    return results


def _colorize(model: EvaluableModel, clip: str, inputs: list[np.ndarray], references: dict[int, np.ndarray],
              num_frames: int, device: str) -> tuple[np.ndarray, CostReport]:
    """The model's output for the clip as a (T, H, W, 3) uint8 array, and what producing it cost."""
    output = []
    with CostMeter(device) as meter:
        frames = model.colorize(lambda: iter(inputs), references, num_frames)
        for frame in progress(frames, total=num_frames, desc=f"{clip} {model.name}", unit="frame", leave=False):
            output.append(frame)
            meter.add_frames(1)
    if len(output) != num_frames:
        raise RuntimeError(f"model gave {len(output)} frames for a clip of {num_frames}")
    shapes = {np.shape(frame) for frame in output}
    if shapes != {inputs[0].shape}:
        raise RuntimeError(f"model gave frames of shape {sorted(shapes)} for input frames of {inputs[0].shape}")
    return np.stack(output), meter.report


def _short(value: float | str | None) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value if value is not None else NA)
