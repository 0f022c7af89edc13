"""The seed document's vocabulary mapped onto this project's: coarse video classes and custom-model entries.

The seed describes a video as ``{"resolution": "high", "duration": "medium", "complexity": "high"}`` and a custom
model as ``{"name", "type", "description", "model_path"}`` or, in ``AVAILABLE_MODELS``, with ``memory_usage``,
``speed`` and ``quality``. These functions turn both into the exact forms :class:`PretrainedModelAssessor` and
:func:`colorize.models.register_custom_model` take; the project's own keys pass through unchanged.
"""

import re
from typing import Any

from colorize.errors import InputError
from colorize.models.registry import CLASSES, ENTRY_POINT, MODEL_SPECS

# Coarse classes -> frame size (width, height) in px and duration in s. "medium" duration is one minute, the
# length at which the recommendation starts to weigh speed more (colorize.assess.recommend.LONG_VIDEO_FRAMES).
RESOLUTIONS = {"low": (640, 360), "medium": (1280, 720), "high": (1920, 1080)}
DURATIONS = {"short": 10.0, "medium": 60.0, "long": 600.0}
MEMORY_CLASS_GIB = (4.0, 8.0)  # memory_usage in GiB below the first: low, below the second: medium, else high
_SIZE = re.compile(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*")
_GIB = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:gib|gb|g)?\s*", re.IGNORECASE)


def video_from_seed(video: dict[str, Any]) -> dict[str, Any]:
    """``resolution`` (low | medium | high, "WxH" or (w, h)) -> ``width``/``height``; ``duration`` (short |
    medium | long, or seconds) -> seconds. Other keys are returned as they are."""
    video = dict(video)
    if "resolution" in video:
        value = video.pop("resolution")
        if isinstance(value, str) and value in RESOLUTIONS:
            video["width"], video["height"] = RESOLUTIONS[value]
        elif isinstance(value, str) and _SIZE.fullmatch(value):
            video["width"], video["height"] = map(int, _SIZE.fullmatch(value).groups())
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            video["width"], video["height"] = value
        else:
            raise InputError(f"video_characteristics: resolution must be one of {', '.join(RESOLUTIONS)}, 'WxH' "
                             f"or (width, height), got {value!r}")
    if isinstance(video.get("duration"), str):
        if video["duration"] not in DURATIONS:
            raise InputError(f"video_characteristics: duration must be one of {', '.join(DURATIONS)} or seconds, "
                             f"got {video['duration']!r}")
        video["duration"] = DURATIONS[video["duration"]]
    return video


def model_from_seed(info: dict[str, Any]) -> dict[str, Any]:
    """A custom-model entry in the seed's keys -> :func:`colorize.models.register_custom_model`'s keys.

    ``name`` -> ``id``; ``model_path`` -> ``entry_point`` when it reads ``package.module:factory``, else
    ``checkpoint`` (a ``.pth`` file or a ``save_pretrained`` folder); ``type`` -> ``base`` when it names a built-in
    model that loads weights (any other type, e.g. ``custom``, leaves the backend to be read from the checkpoint);
    ``memory_usage`` (low | medium | high, or GiB such as 6 or "6GB") -> ``memory`` and ``memory_gib``.
    """
    entry = dict(info)
    renames = {"name": "id", "type": "base"}
    for seed_key, key in renames.items():
        if seed_key in entry:
            if key in entry and entry[key] != entry[seed_key]:
                raise InputError(f"custom model: {seed_key!r} and {key!r} disagree ({entry[seed_key]!r}, "
                                 f"{entry[key]!r})")
            entry[key] = entry.pop(seed_key)
    if "base" in entry and not (entry["base"] in MODEL_SPECS and MODEL_SPECS[entry["base"]].needs.weights):
        entry.pop("base")  # a free-text type ("custom", "diffusion"): the checkpoint tells the backend
    if "model_path" in entry:
        path = str(entry.pop("model_path"))
        entry["entry_point" if ENTRY_POINT.fullmatch(path) else "checkpoint"] = path
    if "memory_usage" in entry:
        entry.update(_memory(entry.pop("memory_usage"), entry.get("id")))
    return entry


def _memory(value: Any, model_id: Any) -> dict[str, Any]:
    if isinstance(value, str) and value in CLASSES:
        return {"memory": value}
    match = _GIB.fullmatch(value) if isinstance(value, str) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) or match:
        gib = float(value) if not match else float(match.group(1))
        memory = CLASSES[sum(gib >= limit for limit in MEMORY_CLASS_GIB)]
        return {"memory": memory, "memory_gib": gib}
    raise InputError(f"custom model {model_id}: memory_usage must be one of {', '.join(CLASSES)} or GiB (a number "
                     f"or '8GB'), got {value!r}")
