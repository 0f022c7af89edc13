"""Segments tracked over a shot: the connected components of each class, followed from frame to frame by motion.

Per frame (given in order), with ``labels`` the (H, W) class ids of
:class:`~colorize.geometry.SemanticSegmentationProcessor`:

- every class's connected components are found; those under ``min_area`` of the frame are no segment (id -1);
- the previous frame's segment map is warped onto this frame by optical flow on the luminance (DIS, nearest
  neighbour, so ids stay ids; pixels whose source lies outside the frame get no id);
- each component takes the id of the previous segment of the same class it overlaps best (intersection over union
  at least ``min_overlap``), greedily from the best pair down, each previous id used at most once: of a segment
  that splits, the best-overlapping part keeps the id; the others, and components that appear, get fresh ids.

Ids are never reused within a shot (a segment that vanishes takes its id with it); :meth:`SegmentTracker.reset`
starts over at 0 (scene cut, keyframe).
"""

from dataclasses import dataclass, field

import cv2
import numpy as np

from colorize.flow import DISFlow, FlowConfig, warp


@dataclass
class SegmentTrackerConfig:
    min_area: float = 0.001  # components smaller than this fraction of the frame are no segment (id -1)
    min_overlap: float = 0.3  # 0..1: intersection over union with a warped previous segment needed to keep its id
    flow: FlowConfig = field(default_factory=lambda: FlowConfig(preset="ultrafast", max_side=320))

    def __post_init__(self) -> None:
        for name in ("min_area", "min_overlap"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")


def class_components(labels: np.ndarray, min_pixels: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Connected components (8-connected) of each class: ``labels`` (H, W) ints (negative: unlabelled) ->
    ((H, W) int32 component index 0 .. K-1 (-1: unlabelled or under ``min_pixels``), (K,) int64 class of each,
    (K,) int64 pixel count of each), numbered by class, then in OpenCV's (raster) order."""
    numbered = np.zeros(labels.shape, np.int32)  # 1 + the index among all components; 0: unlabelled
    classes = [-1]
    flat = labels.reshape(-1)
    for value in np.flatnonzero(np.bincount(flat[flat >= 0])):
        mask = labels == value
        # Without stats (areas: one bincount below), 10x faster than connectedComponentsWithStats at 640x360.
        count, cc = cv2.connectedComponents(mask.view(np.uint8), connectivity=8, ltype=cv2.CV_32S)
        np.add(cc, len(classes) - 1, out=cc, where=mask)
        numbered += cc
        classes += [int(value)] * (count - 1)
    areas = np.bincount(numbered.reshape(-1), minlength=len(classes))
    keep = areas >= min_pixels
    keep[0] = False
    lookup = np.full(len(classes), -1, np.int32)
    lookup[keep] = np.arange(int(keep.sum()), dtype=np.int32)
    return lookup[numbered], np.array(classes, np.int64)[keep], areas[keep].astype(np.int64)


def match_segments(components: np.ndarray, classes: np.ndarray, areas: np.ndarray, previous: np.ndarray,
                   previous_classes: np.ndarray, min_overlap: float) -> np.ndarray:
    """Greedy matching of this frame's components to the previous frame's segments warped onto it.

    ``components``: (H, W) int32 indices 0 .. K-1 (-1: none) with ``classes``, ``areas`` (K,); ``previous``: (H, W)
    indices 0 .. P-1 of the previous segments (-1: none) with ``previous_classes`` (P,). Returns (K,) int64: the
    previous index each component continues, or -1. Pairs of one class with IoU >= ``min_overlap`` are taken from
    the highest IoU down, each component and each previous segment at most once.
    """
    k_count, p_count = len(classes), len(previous_classes)
    matched = np.full(k_count, -1, np.int64)
    if not k_count or not p_count:
        return matched
    # One joint histogram of (component + 1, previous + 1) gives every overlap and, over its rows, the areas.
    pairs = (components.astype(np.int64) + 1) * (p_count + 1) + (previous + 1)
    joint = np.bincount(pairs.reshape(-1), minlength=(k_count + 1) * (p_count + 1)).reshape(k_count + 1, p_count + 1)
    overlap, previous_areas = joint[1:, 1:], joint[:, 1:].sum(0)
    iou = overlap / np.maximum(areas[:, None] + previous_areas[None, :] - overlap, 1)
    iou[classes[:, None] != previous_classes[None, :]] = 0.0
    rows, cols = np.nonzero((iou >= min_overlap) & (overlap > 0))
    used = np.zeros(p_count, bool)
    for index in np.argsort(-iou[rows, cols], kind="stable"):
        row, col = rows[index], cols[index]
        if matched[row] < 0 and not used[col]:
            matched[row], used[col] = col, True
    return matched


class SegmentTracker:
    """``tracker(labels, lum8)`` -> (H, W) int32 segment ids, -1 where no segment (module docstring).

    ``labels``: (H, W) int class ids (negative: unlabelled); ``lum8``: (H, W) uint8 luminance of the same frame.
    Frames are given in order; the previous frame's segments are kept between calls.
    """

    def __init__(self, config: SegmentTrackerConfig | None = None) -> None:
        self.config = config or SegmentTrackerConfig()
        self._flow = DISFlow(self.config.flow)
        self.reset()

    def reset(self) -> None:
        """Forget the previous frame and start the ids over at 0 (scene cut, keyframe)."""
        self._lum: np.ndarray | None = None
        self._components = np.zeros((0, 0), np.int32)  # the previous frame's component indices
        self._ids = np.zeros(0, np.int64)  # their segment ids
        self._classes = np.zeros(0, np.int64)  # their classes
        self._next = 0

    def __call__(self, labels: np.ndarray, lum8: np.ndarray) -> np.ndarray:
        if labels.ndim != 2 or labels.shape != lum8.shape:
            raise ValueError(f"expected (H, W) labels and luminance of one size, got {labels.shape} and {lum8.shape}")
        min_pixels = max(1, int(np.ceil(self.config.min_area * labels.size)))
        components, classes, areas = class_components(labels, min_pixels)
        ids = np.full(len(classes), -1, np.int64)
        if self._lum is not None and self._lum.shape == lum8.shape and len(self._ids) and len(classes):
            flow = self._flow(lum8, self._lum)  # warp(previous, flow) lines up with this frame
            previous = warp((self._components + 1).astype(np.float32), flow, border=cv2.BORDER_CONSTANT,
                            interpolation=cv2.INTER_NEAREST).astype(np.int32) - 1
            matched = match_segments(components, classes, areas, previous, self._classes, self.config.min_overlap)
            ids[matched >= 0] = self._ids[matched[matched >= 0]]
        fresh = ids < 0
        ids[fresh] = self._next + np.arange(int(fresh.sum()))
        self._next += int(fresh.sum())
        self._lum, self._components, self._ids, self._classes = lum8.copy(), components, ids, classes
        return np.append(ids, -1).astype(np.int32)[components]  # index -1: the appended "no segment"
