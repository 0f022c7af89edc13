"""The colorization models this project knows: what each is, what it needs, and how to build it.

``MODEL_SPECS`` maps a model id to its :class:`ModelSpec`; :func:`make_colorizer` builds one by id, alias, hub id
or local folder, and :func:`register_custom_model` adds a model from a Python entry point or a checkpoint path.
Quality, speed and memory classes are coarse expectations used to rank candidates, not measurements: measured speed
is in the README (``benchmarks/models.py``), measured quality on your clips comes from
:meth:`colorize.assess.PretrainedModelAssessor.compare_models`.
"""

import dataclasses
import importlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from colorize.errors import ColorizeError, InputError
from colorize.models.base import Colorizer, ColorizerSettings, ModelNeeds
from colorize.models.loading import DIFFUSERS_FILES, DIFFUSERS_SKIPPED, MissingWeightsError, fetch_command, is_local

logger = logging.getLogger(__name__)

CLASSES = ("low", "medium", "high")  # quality and memory classes
SPEEDS = ("slow", "medium", "fast")
GPU_NEEDS = ("no", "recommended", "required")


@dataclass(frozen=True)
class ModelSpec:
    """One model: ``factory(spec, settings)`` builds its :class:`~colorize.models.base.Colorizer`."""

    id: str
    kind: str  # diffusion | propagation | baseline (for comparisons, never recommended) | network | custom
    description: str
    factory: str  # "package.module:callable", imported only when the model is built
    needs: ModelNeeds
    quality: str = "medium"  # expected class: low | medium | high
    speed: str = "medium"  # slow | medium | fast
    memory: str = "medium"  # low | medium | high
    weights: tuple[str, ...] = ()  # hub ids or local paths the factory loads, in its order
    aliases: tuple[str, ...] = ()  # other names that select this model
    how_to_get: str = ""  # how to obtain weights that are not on the hub (default: `hf download` per hub id)

    def fetch(self) -> str:
        """The command (or instruction) that provides this model's weights; empty when it needs none."""
        if self.how_to_get or not self.needs.weights:
            return self.how_to_get
        return " && ".join(fetch_command(source, DIFFUSERS_FILES, DIFFUSERS_SKIPPED) for source in self.weights
                           if not is_local(source))  # hub weights of colorizers are diffusers repositories


_SD15 = "stable-diffusion-v1-5/stable-diffusion-v1-5"
UNET_MODEL_TYPE = "colorize-unet"  # the model_type of config.json in a folder written by UNet.save_pretrained
_UNET_HOW_TO_GET = ("train it with `python train_colorization.py --config configs/training/custom_unet.yaml` (or "
                    "--fit-video VIDEO --keyframes DIR), then register_custom_model({'id': ..., 'checkpoint': PATH})")
# memory_gib: GPU memory at 512 px in fp16, batch 1: the peak PyTorch allocation measured by benchmarks/models.py on
# an H200 (2701, 8119 and 3439 MiB), rounded up, plus 1 GiB for the CUDA context and the allocator's reserve.
_PROPAGATION = "colorize.models.propagation:PropagationColorizer"
_CPU_ONLY = ModelNeeds(weights=False, gpu="no", memory_gib=0.0, reference=True)
BUILTIN_SPECS = (
    ModelSpec("propagation", "propagation",
              "anchored keyframe propagation with scene cuts: the keyframes' colors carried along the video by "
              "optical flow (this project, CPU)",
              _PROPAGATION, _CPU_ONLY, quality="high", speed="fast", memory="low", aliases=("anchored",)),
    ModelSpec("stable_diffusion_inpaint", "diffusion",
              "Stable Diffusion 1.5 inpainting, the whole frame repainted from its noised gray version",
              "colorize.models.sd_inpaint:StableDiffusionInpaintColorizer",
              ModelNeeds(weights=True, gpu="recommended", memory_gib=4.0),
              quality="low", speed="medium", memory="medium",
              weights=("stable-diffusion-v1-5/stable-diffusion-inpainting",),
              aliases=("runwayml/stable-diffusion-inpainting",)),  # taken down from the hub; same weights
    ModelSpec("stable_diffusion_xl", "diffusion",
              "Stable Diffusion XL img2img from the gray frame",
              "colorize.models.sdxl:StableDiffusionXLColorizer",
              ModelNeeds(weights=True, gpu="recommended", memory_gib=9.0),
              quality="medium", speed="slow", memory="high",
              weights=("stabilityai/stable-diffusion-xl-base-1.0",)),
    ModelSpec("controlnet_colorization", "diffusion",
              "SD 1.5 with a ControlNet conditioned on the brightness image (made for grayscale colorization)",
              "colorize.models.controlnet:ControlNetColorizer",
              ModelNeeds(weights=True, gpu="recommended", memory_gib=5.0),
              quality="high", speed="medium", memory="medium",
              weights=("latentcat/control_v1p_sd15_brightness", _SD15)),
    ModelSpec("unet", "network", "this project's own colorization U-Net, trained by train_colorization.py",
              "colorize.models.unet:load_unet",
              ModelNeeds(weights=True, gpu="no", memory_gib=None),  # 0.5 M parameters by default; not measured
              quality="medium", speed="fast", memory="low", how_to_get=_UNET_HOW_TO_GET),
    # The naive baselines every evaluation compares against; none of them is aware of scene cuts.
    ModelSpec("gray", "baseline", "no color: the input luminance alone (baseline)", _PROPAGATION, _CPU_ONLY,
              quality="low", speed="fast", memory="low"),
    ModelSpec("copy", "baseline", "keyframe chroma copied unchanged onto later frames (baseline)", _PROPAGATION,
              _CPU_ONLY, quality="low", speed="fast", memory="low"),
    ModelSpec("chain", "baseline", "naive chained optical flow: previous result warped frame to frame (baseline)",
              _PROPAGATION, _CPU_ONLY, quality="low", speed="fast", memory="low"),
)
MODEL_SPECS: dict[str, ModelSpec] = {spec.id: spec for spec in BUILTIN_SPECS}

ENTRY_POINT = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*")
_CUSTOM_KEYS = ("id", "entry_point", "checkpoint", "base", "description", "quality", "speed", "memory", "gpu",
                "memory_gib", "reference")
# Which built-in backend loads a local folder, from the class that wrote it (model_index.json / config.json).
_FOLDER_CLASSES = (("StableDiffusionInpaintPipeline", "stable_diffusion_inpaint"),
                   ("StableDiffusionXL", "stable_diffusion_xl"), ("ControlNetModel", "controlnet_colorization"))


def get_spec(name: str, specs: dict[str, ModelSpec] | None = None) -> ModelSpec:
    """The spec of ``name``: a model id, an alias, the hub id it loads first, or a local folder/checkpoint.

    Raises:
        InputError: unknown name, or a local path whose format no backend reads.
    """
    specs = MODEL_SPECS if specs is None else specs
    if name in specs:
        return specs[name]
    for spec in specs.values():
        if name in spec.aliases:
            logger.debug("%s is an alias of %s", name, spec.id)
            return spec
        if spec.weights and name == spec.weights[0]:
            return spec
    if is_local(name):
        return custom_spec({"id": name, "checkpoint": name}, specs)
    raise InputError(f"unknown model {name!r}: choose one of {', '.join(specs)}, a Hugging Face id of one of them "
                     f"or a local folder")


def custom_spec(entry: dict[str, Any], specs: dict[str, ModelSpec] | None = None) -> ModelSpec:
    """A :class:`ModelSpec` from a :func:`register_custom_model` entry (not registered). InputError if invalid."""
    specs = MODEL_SPECS if specs is None else specs
    unknown = sorted(set(entry) - set(_CUSTOM_KEYS))
    if unknown:
        raise InputError(f"custom model: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(_CUSTOM_KEYS)}")
    model_id = entry.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise InputError(f"custom model: 'id' must be a non-empty string, got {model_id!r}")
    if "entry_point" in entry and "checkpoint" in entry:
        raise InputError(f"custom model {model_id}: give one of 'entry_point' (package.module:factory) "
                         "or 'checkpoint' (a local path), not both")
    for key, allowed in (("quality", CLASSES), ("speed", SPEEDS), ("memory", CLASSES), ("gpu", GPU_NEEDS)):
        if key in entry and entry[key] not in allowed:
            raise InputError(f"custom model {model_id}: {key} must be one of {', '.join(allowed)}, got {entry[key]!r}")
    if not isinstance(entry.get("memory_gib", 0.0), (int, float)):
        raise InputError(f"custom model {model_id}: memory_gib must be a number, got {entry['memory_gib']!r}")
    given = {key: entry[key] for key in ("quality", "speed", "memory") if key in entry}
    if "entry_point" in entry:
        if not isinstance(entry["entry_point"], str) or not ENTRY_POINT.fullmatch(entry["entry_point"]):
            raise InputError(f"custom model {model_id}: entry_point must look like package.module:factory, got "
                             f"{entry['entry_point']!r}")
        needs = ModelNeeds(weights=False, gpu=entry.get("gpu", "no"), memory_gib=entry.get("memory_gib"),
                           reference=bool(entry.get("reference", False)))
        description = entry.get("description", f"custom model {entry['entry_point']}")
        return ModelSpec(model_id, "custom", description, entry["entry_point"], needs, **given)
    if "checkpoint" not in entry:  # described only: listed and ranked, but it cannot run until it gets weights
        needs = ModelNeeds(weights=True, gpu=entry.get("gpu", "no"), memory_gib=entry.get("memory_gib"),
                           reference=bool(entry.get("reference", False)))
        description = entry.get("description", f"custom model {model_id} (no weights given)")
        return ModelSpec(model_id, "custom", description, "colorize.models.registry:no_weights", needs,
                         how_to_get=f"register it with a 'checkpoint' or an 'entry_point' ({model_id} has neither)",
                         **given)
    checkpoint = str(Path(entry["checkpoint"]).expanduser())
    base = specs.get(entry.get("base") or _base_of(checkpoint))
    if base is None or not base.needs.weights:
        raise InputError(f"custom model {model_id}: base must be a model that loads weights "
                         f"({', '.join(s.id for s in specs.values() if s.needs.weights)}), got {entry.get('base')!r}")
    needs = dataclasses.replace(base.needs, **{key: entry[key] for key in ("gpu", "memory_gib") if key in entry})
    description = entry.get("description", f"{base.id} from {checkpoint}")
    return dataclasses.replace(base, id=model_id, kind="custom", description=description, needs=needs,
                               weights=(checkpoint, *base.weights[1:]), aliases=(), how_to_get="", **given)


def _base_of(path: str) -> str:
    """The built-in model that reads ``path``: by the class in its model_index.json / config.json, else ``unet``."""
    folder = Path(path)
    for name in ("model_index.json", "config.json"):
        if (folder / name).is_file():
            config = json.loads((folder / name).read_text())
            if config.get("model_type") == UNET_MODEL_TYPE:  # written by UNet.save_pretrained
                return "unet"
            written_by = config.get("_class_name", "")
            for prefix, model_id in _FOLDER_CLASSES:
                if written_by.startswith(prefix):
                    return model_id
            raise InputError(f"{path}: written by {written_by or 'an unknown class'}, which no colorizer loads "
                             f"(known: {', '.join(prefix for prefix, _ in _FOLDER_CLASSES)})")
    return "unet"


def register_custom_model(entry: dict[str, Any], replace: bool = False) -> ModelSpec:
    """Add a model to :data:`MODEL_SPECS` (and so to ``PretrainedModelAssessor.AVAILABLE_MODELS``).

    ``entry`` keys: ``id``, and either ``entry_point`` ("package.module:factory", called as ``factory(spec,
    settings)`` and returning a :class:`Colorizer`) or ``checkpoint`` (a local folder or file) with ``base``, the
    built-in model whose backend loads it (default: read from the folder's ``model_index.json`` / ``config.json``;
    a file is a ``unet`` checkpoint); with neither, the model is listed and ranked but building it raises
    :class:`MissingWeightsError`. Optional: ``description``, ``quality`` / ``memory`` (low | medium | high),
    ``speed`` (slow | medium | fast), ``gpu`` (no | recommended | required), ``memory_gib``, ``reference``.
    """
    spec = custom_spec(entry)
    if spec.id in MODEL_SPECS and not replace:
        raise InputError(f"model {spec.id!r} is already registered (pass replace=True to replace it)")
    MODEL_SPECS[spec.id] = spec
    return spec


def no_weights(spec: ModelSpec, settings: ColorizerSettings) -> Colorizer:
    """The factory of a custom model registered without weights: raises MissingWeightsError saying so."""
    raise MissingWeightsError(f"{spec.id}: no weights: {spec.how_to_get}")


def make_colorizer(name: str, settings: ColorizerSettings | None = None,
                   specs: dict[str, ModelSpec] | None = None) -> Colorizer:
    """Build model ``name`` (see :func:`get_spec`) with ``settings`` (defaults when None); loads its weights."""
    spec = get_spec(name, specs)
    factory = _import(spec.factory, spec.id)
    return factory(spec, settings or ColorizerSettings())


def _import(entry_point: str, model_id: str) -> Any:
    module_name, _, attribute = entry_point.partition(":")
    try:
        target = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as err:
        raise ColorizeError(f"model {model_id}: cannot import {entry_point} ({type(err).__name__}: {err})") from err
    return target
