"""Registry of the models ``evaluate_models.py`` can compare: name -> factory building the model.

An evaluable model colorizes a black-and-white clip given colour keyframes: it has a ``name``, a one-line
``description`` and a ``colorize(open_frames, references, num_frames)`` method yielding (H, W, 3) uint8 RGB frames
(see :class:`EvaluableModel`). Factories are called only for the models an evaluation asks for, so a model with
heavy weights costs nothing until it is used; they take the device the evaluation runs on.

Built in: this project's anchored propagation and the naive baselines every evaluation compares against (gray,
reference chroma copied, naive chained flow; none of them aware of scene cuts). Other colorizers join with
:func:`register_model`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from colorize.errors import InputError
from colorize.pipeline.frames import FrameSource, colorize_sequence
from colorize.propagation import PropagationConfig, SceneCutConfig


class EvaluableModel(Protocol):
    name: str
    description: str

    def colorize(self, open_frames: FrameSource, references: dict[int, np.ndarray],
                 num_frames: int) -> Iterator[np.ndarray]:
        """Colorize ``num_frames`` frames of ``open_frames()`` ((H, W, 3) uint8, R = G = B) from the colour
        keyframes ``{index: (H, W, 3) uint8 RGB}``; yield (H, W, 3) uint8 RGB frames in order.

        ``open_frames()`` starts a fresh pass each call, for models that read the clip more than once.
        """
        ...


ModelFactory = Callable[[str], EvaluableModel]  # device ("cpu" or "cuda") -> model


@dataclass(frozen=True)
class PropagationModel:
    """Keyframe colours carried along the clip by :func:`colorize.pipeline.frames.colorize_sequence`.

    ``scene_cuts=False`` is the naive behaviour of the baselines: colours are carried straight across cuts.
    """

    name: str
    description: str
    method: str  # PropagationConfig.method: anchored | chain | copy | gray
    scene_cuts: bool = True

    def config(self) -> PropagationConfig:
        """A fresh :class:`PropagationConfig` for this model (defaults otherwise)."""
        return PropagationConfig(method=self.method, scene_cut=SceneCutConfig(enabled=self.scene_cuts))

    def colorize(self, open_frames: FrameSource, references: dict[int, np.ndarray],
                 num_frames: int) -> Iterator[np.ndarray]:
        return colorize_sequence(open_frames, references, num_frames, self.config())


# The propagation colorizer and its baselines, in the order tables list them (also used by benchmarks/).
PROPAGATION_MODELS = (
    PropagationModel("gray", "no colour: the input luminance alone (baseline)", "gray", scene_cuts=False),
    PropagationModel("copy", "keyframe chroma copied unchanged onto later frames (baseline)", "copy",
                     scene_cuts=False),
    PropagationModel("chain", "naive chained optical flow: previous result warped frame to frame (baseline)",
                     "chain", scene_cuts=False),
    PropagationModel("anchored", "anchored keyframe propagation with scene cuts (this project)", "anchored"),
)

_REGISTRY: dict[str, ModelFactory] = {}


def register_model(name: str, factory: ModelFactory, replace: bool = False) -> None:
    """Make ``factory(device)`` evaluable as ``name``; an existing name is an error unless ``replace``."""
    if name in _REGISTRY and not replace:
        raise ValueError(f"model {name!r} is already registered")
    _REGISTRY[name] = factory


def model_names() -> list[str]:
    """Registered model names, in registration order (the built-in baselines first)."""
    return list(_REGISTRY)


def check_model_names(names: list[str]) -> None:
    """Raise InputError naming the first unknown model and listing the known ones."""
    for name in names:
        if name not in _REGISTRY:
            raise InputError(f"unknown model {name!r}; choose from {', '.join(_REGISTRY)}")


def make_model(name: str, device: str = "cpu") -> EvaluableModel:
    """Build the registered model ``name`` for ``device``. Raises InputError for an unknown name."""
    check_model_names([name])
    return _REGISTRY[name](device)


for _model in PROPAGATION_MODELS:
    register_model(_model.name, lambda device, model=_model: model)  # CPU (OpenCV) whatever the device
