"""``propagation`` (alias ``anchored``): this project's keyframe propagation behind the
:class:`~colorize.models.base.Colorizer` interface, and the baselines ``gray``, ``copy`` and ``chain``.

Successive ``colorize`` calls continue one stream (state is kept); a call whose conditions carry a ``reference``
starts a new one from it. ``colorize_clip`` uses keyframes anywhere in the clip (shots, backward pass). It runs on
the CPU (OpenCV optical flow) and needs no weights, but it needs a color reference.
"""

import dataclasses
from collections.abc import Iterator

import numpy as np

from colorize.errors import ColorizeError
from colorize.models.base import Colorizer, ColorizerSettings, Conditions
from colorize.models.registry import ModelSpec
from colorize.propagation import PropagationConfig
from colorize.propagation.frames import FrameSource, StreamColorizer, colorize_sequence

# model id -> (PropagationConfig.method, scene cuts on): the naive baselines carry colors straight across cuts
MODEL_METHODS = {"propagation": ("anchored", True), "gray": ("gray", False), "copy": ("copy", False),
           "chain": ("chain", False)}


def propagation_config(model_id: str, base: PropagationConfig | None = None) -> PropagationConfig:
    """A :class:`PropagationConfig` for model ``model_id`` of :data:`MODEL_METHODS`: its method and scene-cut switch,
    the other settings from ``base`` (defaults when None)."""
    method, scene_cuts = MODEL_METHODS[model_id]
    base = base or PropagationConfig()
    return dataclasses.replace(base, method=method, scene_cut=dataclasses.replace(base.scene_cut, enabled=scene_cuts))


class PropagationColorizer(Colorizer):
    """:class:`colorize.propagation.StreamColorizer` giving chroma; ``settings`` do not apply (CPU, no weights)."""

    uses = frozenset({"reference"})

    def __init__(self, spec: ModelSpec, settings: ColorizerSettings | None = None,
                 config: PropagationConfig | None = None) -> None:
        """``config``: the run's propagation settings (defaults when None); a baseline's id (gray, copy, chain) sets
        its own method and scene-cut switch on top of them."""
        self.name, self.needs = spec.id, spec.needs
        base = config or propagation_config("propagation")
        self.config = propagation_config(spec.id, base) if spec.kind == "baseline" else base
        self._stream: StreamColorizer | None = None

    def colorize(self, lum: np.ndarray, conditions: Conditions | None = None) -> np.ndarray:
        """(N, H, W) float32 L in [0, 100], consecutive frames -> (N, H, W, 2) float32 ab in [-128, 127]."""
        conditions = self._check(lum, conditions)
        if conditions.reference is not None:
            self._stream = StreamColorizer(conditions.reference, self.config)
        if self._stream is None:
            raise ColorizeError(f"{self.name} needs a color reference: pass Conditions(reference=...) with the "
                                "first frames (a color image of the first frame, or of a similar scene)")
        return np.stack([self._stream.chroma(frame) for frame in lum])

    def colorize_clip(self, open_frames: FrameSource, references: dict[int, np.ndarray],
                      num_frames: int) -> Iterator[np.ndarray]:
        """Every keyframe ``{index: (H, W, 3) uint8 RGB}`` used (:func:`colorize.propagation.colorize_sequence`)."""
        return colorize_sequence(open_frames, references, num_frames, self.config)
