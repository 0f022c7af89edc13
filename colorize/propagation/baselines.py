"""Naive propagators every evaluation compares against: gray, reference chroma copied, chained flow warp."""

import numpy as np

from colorize.flow import DISFlow, FlowConfig, warp
from colorize.propagation.base import ChromaPropagator, Keyframe, PropagationStep


class GrayPropagator(ChromaPropagator):
    """a = b = 0 everywhere: the luminance alone."""

    name = "gray"

    def reset(self, keyframe: Keyframe) -> PropagationStep:
        self._shape = keyframe.lum8.shape
        return self.step(keyframe.lum8)

    def step(self, lum8: np.ndarray) -> PropagationStep:
        return PropagationStep(np.zeros((*lum8.shape, 2), np.float32), np.zeros(lum8.shape, np.float32))


class CopyPropagator(ChromaPropagator):
    """The keyframe's chroma, unchanged, on every frame."""

    name = "copy"

    def reset(self, keyframe: Keyframe) -> PropagationStep:
        self._ab = keyframe.ab
        return PropagationStep(self._ab, np.ones(keyframe.lum8.shape, np.float32))

    def step(self, lum8: np.ndarray) -> PropagationStep:
        return PropagationStep(self._ab, np.ones(lum8.shape, np.float32))


class ChainPropagator(ChromaPropagator):
    """The previous result warped by DIS flow from frame t to t-1: sharp early, drifts over long clips."""

    name = "chain"

    def __init__(self, flow: FlowConfig | None = None) -> None:
        self._flow = DISFlow(flow)

    def reset(self, keyframe: Keyframe) -> PropagationStep:
        self._lum8, self._ab = keyframe.lum8, keyframe.ab
        return PropagationStep(self._ab, np.ones(keyframe.lum8.shape, np.float32))

    def step(self, lum8: np.ndarray) -> PropagationStep:
        self._ab = warp(self._ab, self._flow(lum8, self._lum8))
        self._lum8 = lum8
        return PropagationStep(self._ab, np.ones(lum8.shape, np.float32))
