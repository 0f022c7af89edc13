"""One frame and everything known about it, as the geometry and semantic stages fill it in."""

from dataclasses import dataclass, fields

import numpy as np

from colorize.geometry.camera import CameraView


@dataclass(kw_only=True)
class VideoFrame:
    """A frame's attributes; all but ``index`` optional (None until a stage computes them).

    - ``rgb``: (H, W, 3) uint8 RGB (the color input, or none for black and white); ``gray``: (H, W) uint8.
    - ``depth``: (H, W) float32 z-depth in metres; ``intrinsics``: (4,) fx, fy, cx, cy in pixels; ``pose``:
      (4, 4) camera-to-world, OpenCV axes (see :mod:`colorize.geometry.camera`).
    - ``semantic_mask``: (H, W) int32 class ids; ``semantic_segments``: (H, W) int32 ids of segments tracked
      over the shot.
    - ``point_cloud``: (N, 3) float32 world points in metres (the frame's pixels with depth).
    - ``colorized_rgb``: (H, W, 3) uint8 RGB output (the input's luminance, predicted chroma).
    """

    index: int
    rgb: np.ndarray | None = None
    gray: np.ndarray | None = None
    depth: np.ndarray | None = None
    intrinsics: np.ndarray | None = None
    pose: np.ndarray | None = None
    semantic_mask: np.ndarray | None = None
    semantic_segments: np.ndarray | None = None
    point_cloud: np.ndarray | None = None
    colorized_rgb: np.ndarray | None = None

    def attributes(self) -> list[str]:
        """Names of the attributes that are set (``index`` excluded)."""
        return [field.name for field in fields(self) if field.name != "index" and getattr(self, field.name) is not None]

    def camera_view(self) -> CameraView | None:
        """The frame's :class:`CameraView`, or None unless depth, intrinsics and pose are all known."""
        if self.depth is None or self.intrinsics is None or self.pose is None:
            return None
        return CameraView(self.depth, self.intrinsics, self.pose)
