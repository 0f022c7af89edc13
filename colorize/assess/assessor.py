"""``PretrainedModelAssessor``: which colorization model suits a video on this machine, and how models compare.

Recommendations look at the video (size, length, complexity, whether a color reference exists) and at the machine
as it is (device, free memory, which weights are on disk; see :mod:`colorize.assess.probe`). Comparisons run the
models through :func:`colorize.evaluation.evaluate` on a dataset folder with true colors.
"""

import logging
import os
from typing import Any

from colorize.assess import probe
from colorize.assess.recommend import Recommendation, Situation, recommend
from colorize.assess.seed import model_from_seed, video_from_seed
from colorize.errors import ColorizeError, InputError
from colorize.models import (
    MODEL_SPECS,
    ColorizerModel,
    ColorizerSettings,
    MissingWeightsError,
    ModelSpec,
    custom_spec,
    get_spec,
    make_colorizer,
    register_custom_model,
)
from colorize.utils.device import resolve_device

logger = logging.getLogger(__name__)

VIDEO_KEYS = ("width", "height", "resolution", "duration", "fps", "num_frames", "complexity", "has_reference")
BEST_METRIC = "psnr"  # against the true colors, higher is better


class PretrainedModelAssessor:
    """Recommends a model for a video and compares models on a dataset.

    ``AVAILABLE_MODELS`` is the model registry (:data:`colorize.models.MODEL_SPECS`, shared): models added with
    :meth:`register_custom_model`, or set here directly as a :class:`ModelSpec` or as a dict (the keys of
    :func:`colorize.models.register_custom_model` or the seed's: ``memory_usage``, ``speed``, ``quality``,
    ``model_path``; see :func:`colorize.assess.seed.model_from_seed`), are considered too.

    Args:
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``: where the models would run.
        settings: how models are built for comparisons (default: :class:`ColorizerSettings` on ``device``).
    """

    AVAILABLE_MODELS: dict[str, ModelSpec | dict] = MODEL_SPECS

    def __init__(self, device: str = "auto", settings: ColorizerSettings | None = None) -> None:
        self.device = resolve_device(device)
        self.settings = settings or ColorizerSettings(device=self.device)

    def models(self) -> dict[str, ModelSpec]:
        """``AVAILABLE_MODELS`` with dict entries turned into :class:`ModelSpec` (InputError if one is invalid)."""
        return {model_id: spec if isinstance(spec, ModelSpec)
                else custom_spec(model_from_seed({"id": model_id, **spec}))
                for model_id, spec in self.AVAILABLE_MODELS.items()}

    def register_custom_model(self, info: dict[str, Any], replace: bool = False) -> ModelSpec:
        """Add a model to the registry, in the seed's keys (``name``, ``type``, ``description``, ``model_path``: a
        ``.pth`` file, a ``save_pretrained`` folder or ``package.module:factory``) or the project's (see
        :func:`colorize.models.register_custom_model`). InputError for an invalid entry or a taken name."""
        return register_custom_model(model_from_seed(info), replace=replace)

    def situation(self, video_characteristics: dict[str, Any], specs: dict[str, ModelSpec] | None = None) -> Situation:
        """The :class:`Situation` for a video described by ``video_characteristics`` on this machine, probed now.

        Keys: ``width`` and ``height`` (px) or ``resolution`` (low | medium | high: 640x360, 1280x720, 1920x1080;
        or "WxH"), ``duration`` (s, with ``fps``, default 25; or short | medium | long: 10 s, 1 min, 10 min) or
        ``num_frames``, ``complexity`` (low | medium | high, default medium), ``has_reference`` (default False).
        """
        video = video_from_seed(video_characteristics)
        unknown = sorted(set(video) - set(VIDEO_KEYS))
        if unknown:
            raise InputError(f"video_characteristics: unknown key(s) {', '.join(unknown)}; "
                             f"known: {', '.join(VIDEO_KEYS)}")
        if "width" not in video or "height" not in video or not ({"duration", "num_frames"} & set(video)):
            raise InputError("video_characteristics needs width, height and duration (or num_frames)")
        num_frames = video.get("num_frames") or round(float(video["duration"]) * float(video.get("fps", 25.0)))
        try:
            return Situation(int(video["width"]), int(video["height"]), int(num_frames),
                             video.get("complexity", "medium"), bool(video.get("has_reference", False)), self.device,
                             probe.free_memory_gib(self.device), probe.models_on_disk(specs or self.models()),
                             self.settings.mixed_precision)
        except ValueError as err:
            raise InputError(f"video_characteristics: {err}") from None

    def recommend_model(self, video_characteristics: dict[str, Any]) -> Recommendation:
        """The best usable model for the video, with a one-sentence explanation (see :mod:`.recommend`); it prints
        as the model id. ``video_characteristics`` as :meth:`situation` takes them."""
        specs = self.models()
        choice = recommend(specs, self.situation(video_characteristics, specs))
        logger.debug("%s", choice.explanation)
        return choice

    def assess_model_on_dataset(self, model_id: str, path: str | os.PathLike, **options: Any) -> dict[str, Any]:
        """Scores of one model on the dataset at ``path`` (options as :meth:`compare_models`)."""
        return self.compare_models([model_id], path, **options)["models"][model_id]

    def compare_models(self, model_ids: list[str], test_dataset_path: str | os.PathLike,
                       dataset_name: str | None = None, max_frames: int | None = None,
                       reference: str = "first") -> dict[str, Any]:
        """Run each model on every clip of the dataset and score it against the true colors.

        Args:
            model_ids: model ids, aliases, hub ids or local folders (see :func:`colorize.models.get_spec`).
            test_dataset_path: a dataset folder; its layout (``davis_2017``, ``custom``, ``videos``) is detected
                unless ``dataset_name`` gives it.
            max_frames: only the first N frames of each clip.
            reference: true colors given to the models: ``"first"`` or ``"keyframes:K"``.

        Returns:
            ``{"models": {id: {"status", "scores", "clips_ok", "clips"} or {"status", "error"}},
            "comparison_metrics": {metric: {id: mean score}, ..., "overall": overall}, "overall": {"best_model",
            "metric", "higher_is_better", "ranking"}}``: status ``ok``, ``unavailable`` (weights not on disk) or
            ``failed``; the best model has the highest mean PSNR.
        """
        from colorize.evaluation import detect_layout, evaluate, load_dataset, summarize

        if len(set(model_ids)) != len(model_ids) or not model_ids:
            raise InputError(f"compare_models needs distinct model ids, got {model_ids}")
        specs = self.models()
        for model_id in model_ids:
            get_spec(model_id, specs)  # an unknown name is an InputError before any work
        clips = load_dataset(dataset_name or detect_layout(test_dataset_path), test_dataset_path, max_frames)
        built, results = [], {}
        for model_id in model_ids:
            try:
                colorizer = make_colorizer(model_id, self.settings, specs)
                built.append(ColorizerModel(colorizer, model_id, get_spec(model_id, specs).description))
            except ColorizeError as err:  # e.g. missing weights: reported, the others are still compared
                logger.error("%s", err)
                status = "unavailable" if isinstance(err, MissingWeightsError) else "failed"
                results[model_id] = {"status": status, "error": str(err)}
        if built:
            summary = summarize(evaluate(clips, built, reference=reference, device=self.device))
            for name, model in summary["models"].items():
                status = "ok" if model["clips_ok"] else "failed"
                results[name] = {"status": status, "scores": model["scores"], "clips_ok": model["clips_ok"],
                                 "clips": model["clips"]}
                errors = [f["error"] for f in summary["failures"] if f["model"] == name]
                if errors:
                    results[name]["error"] = errors[0]
        ranking = sorted((name for name in model_ids if _scored(results[name])),
                         key=lambda name: -results[name]["scores"][BEST_METRIC])
        overall = {"best_model": ranking[0] if ranking else None, "metric": BEST_METRIC, "higher_is_better": True,
                   "ranking": ranking}
        scored = [name for name in model_ids if "scores" in results[name]]
        metrics = {metric: {name: results[name]["scores"][metric] for name in scored}
                   for metric in (results[scored[0]]["scores"] if scored else ())}
        return {"models": {name: results[name] for name in model_ids},
                "comparison_metrics": {**metrics, "overall": overall}, "overall": overall}


def _scored(result: dict[str, Any]) -> bool:
    return result["status"] == "ok" and isinstance(result["scores"].get(BEST_METRIC), (int, float))
