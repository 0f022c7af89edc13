"""``propagation``: this project's keyframe propagation behind the :class:`~colorize.models.base.Colorizer` interface.

Successive calls continue one stream (state is kept); a call whose conditions carry a ``reference`` starts a new
one from it. It runs on the CPU (OpenCV optical flow) and needs no weights, but it needs a colour reference.
"""

import numpy as np

from colorize.errors import ColorizeError
from colorize.models.base import Colorizer, ColorizerSettings, Conditions
from colorize.models.registry import ModelSpec
from colorize.pipeline.frames import StreamColorizer
from colorize.propagation import PropagationConfig


class PropagationColorizer(Colorizer):
    """:class:`colorize.pipeline.frames.StreamColorizer` giving chroma; ``settings`` do not apply (CPU, no weights)."""

    uses = frozenset({"reference"})

    def __init__(self, spec: ModelSpec, settings: ColorizerSettings | None = None,
                 config: PropagationConfig | None = None) -> None:
        self.name, self.needs = spec.id, spec.needs
        self.config = config or PropagationConfig()
        self._stream: StreamColorizer | None = None

    def colorize(self, lum: np.ndarray, conditions: Conditions | None = None) -> np.ndarray:
        """(N, H, W) float32 L in [0, 100], consecutive frames -> (N, H, W, 2) float32 ab in [-128, 127]."""
        conditions = self._check(lum, conditions)
        if conditions.reference is not None:
            self._stream = StreamColorizer(conditions.reference, self.config)
        if self._stream is None:
            raise ColorizeError(f"{self.name} needs a colour reference: pass Conditions(reference=...) with the "
                                "first frames (a colour image of the first frame, or of a similar scene)")
        return np.stack([self._stream.chroma(frame) for frame in lum])
