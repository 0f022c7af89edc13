"""Input handling shared by the metrics: RGB frames and videos as uint8 or float in [0, 1].

A *frame* is an (H, W, 3) RGB array; a *video* is a (T, H, W, 3) array or a sequence of frames of one size.
uint8 frames are read as ``value / 255``; float frames must already lie in [0, 1].
"""

from collections.abc import Sequence

import cv2
import numpy as np

ArrayLike = np.ndarray | Sequence[np.ndarray]


def as_video(frames: ArrayLike, name: str = "video", channels: int | None = 3) -> np.ndarray:
    """Stack ``frames`` into a (T, H, W[, C]) array (dtype kept) and check shape, dtype and range.

    A single frame ((H, W, 3), or (H, W) when ``channels`` is None) is returned as a video of length 1.
    """
    if isinstance(frames, np.ndarray):
        video = frames
    else:
        frames = list(frames)
        if not frames:
            raise ValueError(f"{name} has no frames")
        shapes = {np.shape(f) for f in frames}
        if len(shapes) != 1:
            raise ValueError(f"{name} frames differ in shape: {sorted(shapes)}")
        video = np.stack([np.asarray(f) for f in frames])
    frame_ndim = 3 if channels else 2
    if channels is None and video.ndim == 4 and video.shape[-1] == 3:
        frame_ndim = 3  # color video given where luminance is also accepted
    if video.ndim == frame_ndim:
        video = video[None]
    if video.ndim != frame_ndim + 1 or (channels and video.shape[-1] != channels):
        want = f"(T, H, W, {channels})" if channels else "(T, H, W) or (T, H, W, 3)"
        raise ValueError(f"{name} must be {want} frames, got shape {video.shape}")
    if video.shape[0] == 0:
        raise ValueError(f"{name} has no frames")
    if video.dtype == np.uint8:
        return video
    if not np.issubdtype(video.dtype, np.floating):
        raise TypeError(f"{name} must be uint8 or float in [0, 1], got dtype {video.dtype}")
    lo, hi = float(np.min(video)), float(np.max(video))
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo < 0.0 or hi > 1.0:
        raise ValueError(f"{name} is float but not in [0, 1]: min {lo:g}, max {hi:g}")
    return video


def to_float(video: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    """[0, 1] float copy of a checked uint8 / float video."""
    if video.dtype == np.uint8:
        return video.astype(dtype) / 255.0
    return video.astype(dtype, copy=False)


def to_uint8(video: np.ndarray) -> np.ndarray:
    """uint8 version of a checked video: float values become ``round(255 x)``."""
    if video.dtype == np.uint8:
        return video
    return np.rint(video * 255.0).astype(np.uint8)


def to_luminance(video: np.ndarray) -> np.ndarray:
    """(T, H, W) uint8 luminance of a checked (T, H, W[, 3]) video (BT.601 luma, as ``cv2.COLOR_RGB2GRAY``)."""
    video = to_uint8(video)
    if video.ndim == 3:
        return video
    return np.stack([cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2GRAY) for frame in video])


def check_same_shape(output: np.ndarray, target: np.ndarray) -> None:
    if output.shape != target.shape:
        raise ValueError(f"output and target differ in shape: {output.shape} vs {target.shape}")


def reduce(values: np.ndarray, reduction: str) -> float | np.ndarray:
    """``"mean"`` → float mean over frames (or frame pairs); ``"none"`` → the per-item float64 array."""
    if reduction == "mean":
        return float(np.mean(values))
    if reduction == "none":
        return np.asarray(values, dtype=np.float64)
    raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}")
