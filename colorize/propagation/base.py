"""The interface every chroma propagator implements, so methods and baselines are interchangeable."""

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np


@dataclass
class Keyframe:
    """A frame whose colors are known. ``lum8``: (H, W) uint8 luminance; ``ab``: (H, W, 2) float32 chroma."""

    index: int
    lum8: np.ndarray
    ab: np.ndarray


@dataclass
class PropagationStep:
    """One propagated frame: ``ab`` (H, W, 2) float32 chroma, ``confidence`` (H, W) float32 in [0, 1]."""

    ab: np.ndarray
    confidence: np.ndarray


class ChromaPropagator(ABC):
    """Carries a keyframe's chroma along a sequence of luminance frames, fed one at a time.

    ``reset(keyframe)`` starts from a keyframe (whose own frame is the current one); each ``step(lum8)``
    takes the next (H, W) uint8 luminance frame, in either temporal direction, and returns its chroma.
    """

    name: str = "propagator"

    @abstractmethod
    def reset(self, keyframe: Keyframe) -> PropagationStep:
        """Start from ``keyframe``; returns the keyframe's own step."""

    @abstractmethod
    def step(self, lum8: np.ndarray) -> PropagationStep:
        """Propagate to the next frame."""

    def prefetch(self, upcoming: np.ndarray) -> None:
        """Called before :meth:`step` where the caller knows the frame the step *after* it will get: work on that
        frame may start early. Optional (this default does nothing); results never depend on it."""
