"""Choosing a colorization model for a video on a machine: the decision alone, from a described situation.

A model is *usable* when its weights are on disk, it fits in the free memory of the device, it has the GPU it
requires and, for keyframe propagation, a color reference exists. Usable models are ranked by their expected
quality and speed classes, weighted by the video: complexity (scene changes, new content) raises the weight of
quality; length, resolution and running on the CPU raise the weight of speed. A model that is not usable is never
recommended; the reason is recorded for each one.
"""

from dataclasses import dataclass, field

from colorize.models.base import resolve_precision
from colorize.models.registry import CLASSES, SPEEDS, ModelSpec

COMPLEXITIES = ("low", "medium", "high")
LONG_VIDEO_FRAMES = 1500  # one minute at 25 fps
LARGE_FRAME_PIXELS = 1920 * 1080
FP32_MEMORY_FACTOR = 2.0  # float32 weights and activations against the fp16 figure of ModelNeeds.memory_gib
DEVICE_NAMES = {"cpu": "CPU", "cuda": "GPU"}


@dataclass(frozen=True)
class Situation:
    """The video and the machine a recommendation is for."""

    width: int  # frame size in pixels
    height: int
    num_frames: int
    complexity: str = "medium"  # low | medium | high: how much content changes (cuts, new objects, motion)
    has_reference: bool = False  # a color image of the first frame (or of a similar scene) is at hand
    device: str = "cpu"  # cpu | cuda
    free_memory_gib: float = 0.0  # free GPU memory on cuda, available RAM on cpu
    on_disk: frozenset[str] = frozenset()  # ids of the models whose weights are on disk (or that need none)
    mixed_precision: str = "auto"  # the run's: auto (fp16 on cuda, fp32 on cpu) | no | fp16 | bf16

    def __post_init__(self) -> None:
        if self.complexity not in COMPLEXITIES:
            raise ValueError(f"complexity must be one of {COMPLEXITIES}, got {self.complexity!r}")


@dataclass(frozen=True)
class Recommendation:
    """The chosen model (None when none is usable), a one-sentence explanation, and the reasons for the others."""

    model: str | None
    explanation: str
    ranking: tuple[str, ...] = ()  # usable models, best first
    rejected: dict[str, str] = field(default_factory=dict)  # model id -> why it is not usable here

    def __str__(self) -> str:
        """The model id (``print(assessor.recommend_model(...))`` shows it), or "none"."""
        return self.model or "none"


def why_not_usable(spec: ModelSpec, situation: Situation) -> tuple[str, str] | None:
    """(short, full) reason why ``spec`` cannot run in ``situation``, or None when it can."""
    if spec.needs.weights and spec.id not in situation.on_disk:
        short = "weights not on disk" if spec.weights else "no weights exist yet"
        how = spec.fetch()
        return short, f"{short} (get them: {how})" if how else short
    if spec.needs.reference and not situation.has_reference:
        return "needs a color reference", "it needs a color reference frame and none is given"
    if situation.device == "cpu" and spec.needs.gpu == "required":
        return "needs a CUDA GPU", "it needs a CUDA GPU"
    memory = memory_needed(spec, situation.device, situation.mixed_precision)
    if memory is not None and memory > situation.free_memory_gib:
        text = (f"needs about {memory:g} GiB, {situation.free_memory_gib:.1f} GiB free on the "
                f"{DEVICE_NAMES[situation.device]}")
        return text, f"it {text}"
    return None


def memory_needed(spec: ModelSpec, device: str, mixed_precision: str = "auto") -> float | None:
    """GiB ``spec`` needs on ``device`` in the precision that runs there (:func:`resolve_precision`): the fp16
    figure in half precision, twice that in float32; None when unknown."""
    gib = spec.needs.memory_gib
    if gib is None:
        return None
    return gib * FP32_MEMORY_FACTOR if resolve_precision(mixed_precision, device) == "no" else gib


def _score(spec: ModelSpec, situation: Situation) -> float:
    quality = CLASSES.index(spec.quality)
    if spec.needs.reference and situation.complexity == "high":
        quality -= 1  # new shots and new content get guessed colors, not the reference's
    speed = SPEEDS.index(spec.speed)
    if situation.device == "cpu" and spec.needs.gpu != "no":
        speed = 0  # a model made for a GPU is slow on the CPU whatever its class
    quality_weight = 1 + COMPLEXITIES.index(situation.complexity)
    speed_weight = (1 + (situation.num_frames > LONG_VIDEO_FRAMES)
                    + (situation.width * situation.height > LARGE_FRAME_PIXELS) + (situation.device == "cpu"))
    return quality_weight * quality + speed_weight * speed


def recommend(specs: dict[str, ModelSpec], situation: Situation) -> Recommendation:
    """The best usable model of ``specs`` for ``situation`` (ties: the earlier in ``specs``); baselines (kind
    ``baseline``: gray, copy, chain) are for comparisons and never considered."""
    specs = {model_id: spec for model_id, spec in specs.items() if spec.kind != "baseline"}
    rejected, short = {}, {}
    for model_id, spec in specs.items():
        reason = why_not_usable(spec, situation)
        if reason is not None:
            short[model_id], rejected[model_id] = reason
    ruled_out = ", ".join(f"{model_id} ({text})" for model_id, text in short.items())
    usable = [spec for model_id, spec in specs.items() if model_id not in rejected]
    if not usable:
        return Recommendation(None, f"No model is usable here: {ruled_out}.", (), rejected)
    ranked = sorted(usable, key=lambda spec: -_score(spec, situation))  # stable: ties keep registry order
    best, device = ranked[0], DEVICE_NAMES[situation.device]
    fits = "needs no weights" if not best.needs.weights else "has its weights on disk"
    if memory_needed(best, situation.device, situation.mixed_precision):
        fits += f" and fits the {situation.free_memory_gib:.1f} GiB free on the {device}"
    elif best.needs.gpu == "no":
        fits += f" and runs on the {device}"
    if best.needs.reference:
        fits += ", using the color reference"
    speed = best.speed + (", slow on the CPU" if situation.device == "cpu" and best.needs.gpu != "no" else "")
    explanation = (f"Use {best.id}: it {fits}, and for a {situation.complexity}-complexity {situation.width}x"
                   f"{situation.height} video of {situation.num_frames} frames it ranks best on expected quality "
                   f"({best.quality}) and speed ({speed})")
    explanation += f"; not usable here: {ruled_out}." if ruled_out else "."
    return Recommendation(best.id, explanation, tuple(spec.id for spec in ranked), rejected)
