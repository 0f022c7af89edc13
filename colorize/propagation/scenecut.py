"""Online scene-cut detection on luminance, so colors are never propagated across a cut."""

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class SceneCutConfig:
    enabled: bool = True  # False: never cut (the naive baselines' behaviour)
    histogram_threshold: float = 0.15  # total-variation distance of 32-bin L histograms, in [0, 1]
    difference_threshold: float = 30.0  # mean absolute difference of 64-px thumbnails, uint8 levels


class SceneCutDetector:
    """Feed frames in order; ``update`` says whether a frame starts a new shot.

    A cut needs both a change of the luminance histogram and a large change of the thumbnail: the first
    alone fires on fades and exposure changes, the second alone on fast motion. On the bundled clips the
    cuts of ``bikes`` give thumbnail differences of 48-86 levels and motion at most 21.
    """

    def __init__(self, config: SceneCutConfig | None = None) -> None:
        self.config = config or SceneCutConfig()
        self._previous: tuple[np.ndarray, np.ndarray] | None = None

    def reset(self) -> None:
        self._previous = None

    def update(self, lum8: np.ndarray) -> bool:
        """``lum8``: (H, W) uint8 luminance. True when this frame differs from the last like a new shot."""
        if not self.config.enabled:
            return False
        features = _features(lum8)
        previous, self._previous = self._previous, features
        if previous is None:
            return False
        histogram_distance = 0.5 * float(np.abs(features[0] - previous[0]).sum())
        difference = float(np.abs(features[1] - previous[1]).mean())
        return histogram_distance > self.config.histogram_threshold and difference > self.config.difference_threshold


def _features(lum8: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    histogram = np.bincount((lum8 >> 3).ravel(), minlength=32).astype(np.float32)
    height, width = lum8.shape
    scale = 64.0 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    thumb = cv2.resize(lum8, size, interpolation=cv2.INTER_AREA)
    return histogram / histogram.sum(), thumb.astype(np.float32)
