"""The models ``evaluate_models.py`` can compare: any id of the one model registry (:mod:`colorize.models`).

An evaluable model colorizes a black-and-white clip given color keyframes: it has a ``name``, a one-line
``description`` and a ``colorize(open_frames, references, num_frames)`` method yielding (H, W, 3) uint8 RGB frames
(see :class:`EvaluableModel`). :func:`make_model` builds a registered colorizer (an id, an alias such as
``anchored``, a hub id or a local folder) and wraps it in :class:`colorize.models.ColorizerModel`; models are built
only when an evaluation asks for them, so heavy weights cost nothing until used. Other colorizers join with
:func:`colorize.models.register_custom_model`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from colorize.models import ColorizerModel, ColorizerSettings, get_spec, make_colorizer
from colorize.models.propagation import propagation_config
from colorize.propagation import PropagationConfig
from colorize.propagation.frames import FrameSource

# What an evaluation compares when no model is named: the propagation colorizer (under the name the tables use)
# and the naive baselines, all without weights.
DEFAULT_MODELS = ("gray", "copy", "chain", "anchored")


class EvaluableModel(Protocol):
    name: str
    description: str

    def colorize(self, open_frames: FrameSource, references: dict[int, np.ndarray],
                 num_frames: int) -> Iterator[np.ndarray]:
        """Colorize ``num_frames`` frames of ``open_frames()`` ((H, W, 3) uint8, R = G = B) from the color
        keyframes ``{index: (H, W, 3) uint8 RGB}``; yield (H, W, 3) uint8 RGB frames in order.

        ``open_frames()`` starts a fresh pass each call, for models that read the clip more than once.
        """
        ...


@dataclass(frozen=True)
class PropagationModel:
    """A propagation method of the registry under the name the benchmark tables use; ``config()`` gives its
    :class:`PropagationConfig` (the baselines: scene cuts off)."""

    name: str
    description: str

    def config(self) -> PropagationConfig:
        return propagation_config(get_spec(self.name).id)


# The propagation colorizer and its baselines, in the order tables list them (also used by benchmarks/).
PROPAGATION_MODELS = tuple(PropagationModel(name, get_spec(name).description) for name in DEFAULT_MODELS)


def check_model_names(names: list[str]) -> None:
    """Raise InputError naming the first name the registry does not know (see :func:`colorize.models.get_spec`)."""
    for name in names:
        get_spec(name)


def make_model(name: str, device: str = "cpu") -> ColorizerModel:
    """Build registered model ``name`` on ``device`` ("cpu" or "cuda"). InputError for an unknown name; a model
    whose weights are missing raises :class:`colorize.models.MissingWeightsError`."""
    return ColorizerModel(make_colorizer(name, ColorizerSettings(device=device)), name, get_spec(name).description)
