"""Online scene-cut detection on luminance, so colors are never propagated across a cut."""

from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from colorize.color import resize, working_size
from colorize.flow import DISFlow, FlowConfig, occlusion_mask, warp

_MATCH_SIDE = 160  # px: the longer side at which a detected cut is checked by flow
MATCH_FLOW = FlowConfig(preset="medium", max_side=_MATCH_SIDE)  # the flow of those checks
_LOCAL_SIGMA = 2.0  # px at _MATCH_SIDE: the Gaussian window of the local correlation


@dataclass
class SceneCutConfig:
    enabled: bool = True  # False: never cut (the naive baselines' behaviour)
    histogram_threshold: float = 0.15  # total-variation distance of 32-bin L histograms, in [0, 1]
    difference_threshold: float = 30.0  # mean absolute difference of 64-px thumbnails, uint8 levels
    # A detected cut is vetoed where the frame still shows the previous frame's scene (a jump in framing, a flash, a
    # light switched off): at least ``same_scene_consistent`` of its pixels pass the forward-backward check of DIS,
    # and the previous frame warped onto it correlates by at least ``same_scene_ncc`` as a whole or by at least
    # ``same_scene_local_ncc`` window by window (which a smooth change of gain and offset, such as glare into the
    # lens, leaves near 1). ``same_scene_ncc`` 0 or less: no veto; ``same_scene_local_ncc`` above 1: the whole only.
    same_scene_ncc: float = 0.85
    same_scene_local_ncc: float = 0.73
    same_scene_consistent: float = 0.3


class SceneCutDetector:
    """Feed frames in order; ``update`` says whether a frame starts a new shot.

    A cut needs both a change of the luminance histogram and a large change of the thumbnail: the first
    alone fires on fades and exposure changes, the second alone on fast motion. On the bundled clips the
    cuts of ``bikes`` give thumbnail differences of 48-86 levels and motion at most 21. Both together still fire
    where one shot jumps (fast action camera, a sudden change of light), so a cut is then checked by flow
    (:func:`scene_match`) and vetoed where the frame shows the previous frame's scene.
    """

    def __init__(self, config: SceneCutConfig | None = None) -> None:
        self.config = config or SceneCutConfig()
        self._previous: tuple[np.ndarray, np.ndarray] | None = None
        self._previous_lum8: np.ndarray | None = None  # the last frame, for the flow check
        self._flow = DISFlow(MATCH_FLOW)

    def reset(self) -> None:
        self._previous = self._previous_lum8 = None

    def update(self, lum8: np.ndarray) -> bool:
        """``lum8``: (H, W) uint8 luminance. True when this frame differs from the last like a new shot."""
        if not self.config.enabled:
            return False
        features = _features(lum8)
        previous, self._previous = self._previous, features
        previous_lum8, self._previous_lum8 = self._previous_lum8, lum8
        if previous is None:
            return False
        histogram_distance = 0.5 * float(np.abs(features[0] - previous[0]).sum())
        difference = float(np.abs(features[1] - previous[1]).mean())
        if histogram_distance <= self.config.histogram_threshold or difference <= self.config.difference_threshold:
            return False
        return not shows_same_scene(lum8, previous_lum8, self.config, self._flow)


def shows_same_scene(lum8: np.ndarray, other: np.ndarray, config: SceneCutConfig, flow: DISFlow) -> bool:
    """Whether (H, W) uint8 ``lum8`` shows the scene of ``other`` (a frame of the same size) by :func:`scene_match`
    at ``_MATCH_SIDE`` px and the thresholds of ``config`` (never when ``same_scene_ncc`` is 0 or less)."""
    if config.same_scene_ncc <= 0:
        return False
    size = working_size(*lum8.shape, _MATCH_SIDE)
    match = scene_match(resize(lum8, size), resize(other, size), flow)
    correlates = match.correlation >= config.same_scene_ncc or match.local_correlation >= config.same_scene_local_ncc
    return correlates and match.consistent >= config.same_scene_consistent


class SceneMatch(NamedTuple):
    correlation: float  # normalised cross-correlation over the whole frame, in [-1, 1]
    local_correlation: float  # the same in Gaussian windows, pooled (see :func:`local_correlation`), in [-1, 1]
    consistent: float  # share of pixels whose forward and backward flows agree (Lai et al.'s check), in [0, 1]


def scene_match(lum8: np.ndarray, other: np.ndarray, flow: DISFlow) -> SceneMatch:
    """How well ``other`` (H, W) uint8 explains ``lum8`` (same size) as the same scene moved: ``other`` is warped onto
    ``lum8`` by ``flow`` and correlated with it. Different scenes score low on all three, one scene moved even far
    high (the measured ranges: benchmarks/README.md, "False cuts" and "False cuts under glare")."""
    forward, backward = flow(lum8, other), flow(other, lum8)
    a = lum8.astype(np.float32)
    b = warp(other.astype(np.float32), forward)
    a_centred, b_centred = a - a.mean(), b - b.mean()
    norm = np.sqrt(float((a_centred * a_centred).sum()) * float((b_centred * b_centred).sum()))
    correlation = float((a_centred * b_centred).sum() / max(norm, 1e-6))
    consistent = 1.0 - float(occlusion_mask(forward, backward).mean())
    return SceneMatch(correlation, local_correlation(a, b, _LOCAL_SIGMA), consistent)


def local_correlation(a: np.ndarray, b: np.ndarray, sigma: float) -> float:
    """Correlation of (H, W) float32 ``a`` and ``b`` in Gaussian windows of ``sigma`` px: the summed windowed covariance
    over the summed products of windowed standard deviations, in [-1, 1]. A gain and offset that vary smoothly over
    the frame barely lower it (veiling glare lowers the whole-frame correlation to 0.5-0.84, this to 0.74-0.87)."""
    def mean(image: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(image, (0, 0), sigma)

    mean_a, mean_b = mean(a), mean(b)
    covariance = mean(a * b) - mean_a * mean_b
    variance_a = np.maximum(mean(a * a) - mean_a * mean_a, 0.0)
    variance_b = np.maximum(mean(b * b) - mean_b * mean_b, 0.0)
    return float(covariance.sum() / max(float(np.sqrt(variance_a * variance_b).sum()), 1e-6))


def _features(lum8: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    histogram = np.bincount((lum8 >> 3).ravel(), minlength=32).astype(np.float32)
    height, width = lum8.shape
    scale = 64.0 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    thumb = cv2.resize(lum8, size, interpolation=cv2.INTER_AREA)
    return histogram / histogram.sum(), thumb.astype(np.float32)
