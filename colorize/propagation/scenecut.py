"""Online scene-cut detection on luminance, so colors are never propagated across a cut."""

from dataclasses import dataclass

import cv2
import numpy as np

from colorize.color import resize, working_size
from colorize.flow import DISFlow, FlowConfig, occlusion_mask, warp

_MATCH_SIDE = 160  # px: the longer side at which a detected cut is checked by flow
MATCH_FLOW = FlowConfig(preset="medium", max_side=_MATCH_SIDE)  # the flow of those checks


@dataclass
class SceneCutConfig:
    enabled: bool = True  # False: never cut (the naive baselines' behaviour)
    histogram_threshold: float = 0.15  # total-variation distance of 32-bin L histograms, in [0, 1]
    difference_threshold: float = 30.0  # mean absolute difference of 64-px thumbnails, uint8 levels
    # A detected cut is vetoed where the frame still shows the previous frame's scene (a jump in framing, a flash, a
    # light switched off): the previous frame warped onto it by DIS correlates by at least ``same_scene_ncc`` and at
    # least ``same_scene_consistent`` of its pixels pass the forward-backward check. 0 or less: no veto.
    same_scene_ncc: float = 0.85
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
    correlation, consistent = scene_match(resize(lum8, size), resize(other, size), flow)
    return correlation >= config.same_scene_ncc and consistent >= config.same_scene_consistent


def scene_match(lum8: np.ndarray, other: np.ndarray, flow: DISFlow) -> tuple[float, float]:
    """How well ``other`` (H, W) uint8 explains ``lum8`` (same size) as the same scene moved: the normalised
    cross-correlation of ``lum8`` and ``other`` warped onto it by ``flow``, in [-1, 1], and the share of pixels whose
    forward and backward flows agree (Lai et al.'s check), in [0, 1]. Different scenes score low on both, one scene
    moved even far high (the measured ranges: benchmarks/README.md, "False cuts")."""
    forward, backward = flow(lum8, other), flow(other, lum8)
    a = lum8.astype(np.float32) - lum8.mean()
    b = warp(other.astype(np.float32), forward)
    b -= b.mean()
    correlation = float((a * b).sum() / max(np.sqrt(float((a * a).sum()) * float((b * b).sum())), 1e-6))
    return correlation, 1.0 - float(occlusion_mask(forward, backward).mean())


def _features(lum8: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    histogram = np.bincount((lum8 >> 3).ravel(), minlength=32).astype(np.float32)
    height, width = lum8.shape
    scale = 64.0 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    thumb = cv2.resize(lum8, size, interpolation=cv2.INTER_AREA)
    return histogram / histogram.sum(), thumb.astype(np.float32)
