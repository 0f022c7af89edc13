"""Semantic consistency: each segment's mean chroma held close to its running statistics over the shot.

Propagated colors drift where the flow slowly loses track; a semantic segment should keep its color over a shot.
In the pipeline a segment is a connected region of one class followed over the shot by
:class:`~colorize.geometry.SegmentTracker`, so two objects of one class keep their own statistics (with class labels
as segments, they would share one, and the drift of one would be corrected on both). Per frame, for every segment
covering at least ``min_fraction`` of the frame (chroma ab in raw Lab units, about [-128, 127]):

- ``m``: the segment's mean ab in this frame; ``R``: its running mean over the shot so far (starts at ``m`` the
  first time the segment is seen);
- the whole segment is shifted by ``strength * (R - m)``, so its internal detail is kept and only the drift of its
  mean is pulled back;
- ``R`` moves towards the shifted mean with weight ``1 - momentum``.

:meth:`SegmentChroma.reset` forgets everything: call it at a scene cut (a real color change there is then followed
at once) and at a keyframe (whose colors are exact: the statistics restart from them, unchanged).
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class SegmentChromaConfig:
    strength: float = 0.5  # 0..1: how far a segment's mean chroma is pulled to its running mean (0: off)
    momentum: float = 0.95  # 0..1: weight of the past frames in the running mean
    min_fraction: float = 0.005  # segments smaller than this fraction of the frame are left alone

    def __post_init__(self) -> None:
        for name in ("strength", "momentum", "min_fraction"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")


def segment_means(ab: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean chroma and pixel count per label: ``ab`` (H, W, 2), ``labels`` (H, W) ints >= 0 (negative: unlabelled)
    -> ((L, 2) float64 means, (L,) int64 counts) for labels 0 .. L-1 (mean 0 where the count is 0)."""
    flat = labels.reshape(-1)
    keep = flat >= 0
    flat = flat[keep]
    size = int(flat.max()) + 1 if flat.size else 0
    counts = np.bincount(flat, minlength=size)
    sums = np.stack([np.bincount(flat, ab[..., channel].reshape(-1)[keep], minlength=size) for channel in (0, 1)],
                    axis=1)
    return sums / np.maximum(counts, 1)[:, None], counts


class SegmentChroma:
    """``consistency(ab, labels)`` -> ab with each segment's mean pulled towards its running mean (module docstring).

    ``ab``: (H, W, 2) float32 chroma; ``labels``: (H, W) int segment ids of the same frame (>= 0; negative values
    are left alone). Frames are given in order; the running means are kept between calls.
    """

    def __init__(self, config: SegmentChromaConfig | None = None) -> None:
        self.config = config or SegmentChromaConfig()
        self._running: dict[int, np.ndarray] = {}

    def reset(self) -> None:
        """Forget the running statistics (scene cut, keyframe)."""
        self._running = {}

    def __call__(self, ab: np.ndarray, labels: np.ndarray) -> np.ndarray:
        if ab.shape[:2] != labels.shape:
            raise ValueError(f"chroma {ab.shape} and labels {labels.shape} differ in size")
        cfg = self.config
        means, counts = segment_means(ab, labels)
        offsets = np.zeros((len(means) + 1, 2), np.float32)  # the last row: unlabelled pixels (index -1)
        for label in np.flatnonzero((counts > 0) & (counts >= cfg.min_fraction * labels.size)):
            label = int(label)
            running = self._running.get(label, means[label])
            offsets[label] = cfg.strength * (running - means[label])
            self._running[label] = cfg.momentum * running + (1.0 - cfg.momentum) * (means[label] + offsets[label])
        if not offsets.any():
            return ab
        return (ab + offsets[np.where(labels >= 0, labels, -1)]).astype(np.float32)
