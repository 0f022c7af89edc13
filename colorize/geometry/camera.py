"""Pinhole cameras in the OpenCV convention: back-projecting depth to world points and projecting them back.

Conventions used throughout :mod:`colorize.geometry` (the same as ViPE's): camera axes x right, y down,
z forward; ``pose`` is the (4, 4) camera-to-world matrix; ``intrinsics`` are (fx, fy, cx, cy) in pixels with
the centre of the top-left pixel at (0, 0); ``depth`` is z-depth along the optical axis in metres, with 0,
negative or non-finite values meaning unknown.
"""

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class CameraView:
    """What the geometry of one frame is: ``depth`` (H, W) float32 metres, ``intrinsics`` (4,) fx fy cx cy in
    pixels, ``pose`` (4, 4) camera-to-world (OpenCV axes)."""

    depth: np.ndarray
    intrinsics: np.ndarray
    pose: np.ndarray

    def __post_init__(self) -> None:
        self.depth = np.asarray(self.depth, np.float32)
        self.intrinsics = np.asarray(self.intrinsics, np.float64)
        self.pose = np.asarray(self.pose, np.float64)
        if self.depth.ndim != 2 or self.intrinsics.shape != (4,) or self.pose.shape != (4, 4):
            raise ValueError(f"expected depth (H, W), intrinsics (4,), pose (4, 4); got {self.depth.shape}, "
                             f"{self.intrinsics.shape}, {self.pose.shape}")


def intrinsics_from_fov(size: tuple[int, int], fov_degrees: float) -> np.ndarray:
    """(fx, fy, cx, cy) of a pinhole camera with square pixels, ``fov_degrees`` horizontal field of view, principal
    point at the centre of an image of ``size`` = (H, W)."""
    height, width = size
    focal = 0.5 * width / np.tan(np.radians(fov_degrees) / 2)
    return np.array([focal, focal, (width - 1) / 2, (height - 1) / 2])


def scale_intrinsics(intrinsics: np.ndarray, from_size: tuple[int, int], to_size: tuple[int, int]) -> np.ndarray:
    """(fx, fy, cx, cy) of an image of ``from_size`` = (H, W) resized to ``to_size`` (pixel centres kept)."""
    fx, fy, cx, cy = np.asarray(intrinsics, np.float64)
    sy, sx = to_size[0] / from_size[0], to_size[1] / from_size[1]
    return np.array([fx * sx, fy * sy, (cx + 0.5) * sx - 0.5, (cy + 0.5) * sy - 0.5])


def resize_view(view: CameraView, size: tuple[int, int]) -> CameraView:
    """``view`` for an image of ``size`` = (H, W): depth resized by nearest neighbour (no depth is invented between
    a foreground and a background surface), intrinsics scaled from the depth map's size (:func:`scale_intrinsics`;
    intrinsics are in pixels of the depth map, as ViPE saves them), pose unchanged."""
    if view.depth.shape == tuple(size):
        return view
    depth = cv2.resize(view.depth, (size[1], size[0]), interpolation=cv2.INTER_NEAREST)
    return CameraView(depth, scale_intrinsics(view.intrinsics, view.depth.shape, size), view.pose)


def pixel_rays(intrinsics: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) camera-space directions with z = 1 through every pixel centre of an image of ``size`` = (H, W)."""
    fx, fy, cx, cy = intrinsics
    xs = (np.arange(size[1]) - cx) / fx
    ys = (np.arange(size[0]) - cy) / fy
    grid_x, grid_y = np.meshgrid(xs, ys)
    return np.dstack([grid_x, grid_y, np.ones_like(grid_x)])


def backproject(view: CameraView) -> tuple[np.ndarray, np.ndarray]:
    """World points of the pixels with known depth: ((N, 3) float64 metres, (N,) int64 flat pixel indices)."""
    depth = view.depth.reshape(-1)
    valid = np.flatnonzero(np.isfinite(depth) & (depth > 0))
    camera_points = pixel_rays(view.intrinsics, view.depth.shape).reshape(-1, 3)[valid] * depth[valid, None]
    return transform(camera_points, view.pose), valid


def project(points: np.ndarray, view: CameraView) -> tuple[np.ndarray, np.ndarray]:
    """World ``points`` (N, 3) into ``view``: ((N, 2) float64 pixel coordinates x, y; (N,) z-depth in metres)."""
    camera_points = transform(points, np.linalg.inv(view.pose))
    z = camera_points[:, 2]
    fx, fy, cx, cy = view.intrinsics
    with np.errstate(divide="ignore", invalid="ignore"):
        pixels = np.stack([fx * camera_points[:, 0] / z + cx, fy * camera_points[:, 1] / z + cy], axis=1)
    return pixels, z


def transform(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply a (4, 4) rigid transform to (N, 3) points."""
    return points @ matrix[:3, :3].T + matrix[:3, 3]
