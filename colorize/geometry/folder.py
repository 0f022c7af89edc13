"""Precomputed depth maps in a folder, with optional camera files, as a :class:`CameraTrack`.

Layout (frame indices in the file names, any zero padding)::

    FOLDER/00000.npy        (H, W) float32 depth in metres; or 00000.png (uint16, millimetres) or 00000.exr (Z)
    FOLDER/intrinsics.npz   optional: data (N, 4) fx, fy, cx, cy in pixels, inds (N,) frame indices (ViPE's format)
    FOLDER/poses.npz        optional: data (N, 4, 4) camera-to-world, OpenCV axes, inds (N,)

Without ``intrinsics.npz`` the camera is assumed to have a ``fov_degrees`` horizontal field of view; without
``poses.npz`` it is assumed not to move (identity pose), which only suits a static camera (logged; the
pipeline then uses no reprojection and says so).
"""

import logging
from pathlib import Path

import cv2
import numpy as np

from colorize.errors import InputError
from colorize.geometry.camera import intrinsics_from_fov
from colorize.geometry.exr import decode_exr_depth
from colorize.geometry.track import CameraTrack, read_indexed_npz

logger = logging.getLogger(__name__)

DEPTH_SUFFIXES = (".npy", ".png", ".exr")


def read_depth(path: Path) -> np.ndarray:
    """One depth map as (H, W) float32 metres: ``.npy`` metres, ``.png`` uint16 millimetres, ``.exr`` channel Z."""
    if path.suffix == ".npy":
        depth = np.load(path)
    elif path.suffix == ".exr":
        depth = decode_exr_depth(path.read_bytes(), str(path))
    else:
        depth = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if depth is None or depth.dtype != np.uint16:
            raise InputError(f"{path}: expected a 16-bit PNG of depth in millimetres")
        depth = depth / 1000.0
    if depth.ndim != 2:
        raise InputError(f"{path}: expected an (H, W) depth map, got shape {depth.shape}")
    return depth.astype(np.float32)


def read_depth_folder(folder: Path, fov_degrees: float = 60.0) -> CameraTrack:
    """The :class:`CameraTrack` of a depth folder (layout in the module docstring)."""
    folder = Path(folder)
    files = {int(path.stem): path for path in sorted(folder.iterdir())
             if path.suffix in DEPTH_SUFFIXES and path.stem.isdigit()} if folder.is_dir() else {}
    if not files:
        raise InputError(f"no depth maps (frame-numbered {', '.join(DEPTH_SUFFIXES)} files) in {folder}")
    if (folder / "intrinsics.npz").is_file():
        intrinsics = read_indexed_npz(folder / "intrinsics.npz", (4,))
    else:
        height, width = read_depth(files[min(files)]).shape
        logger.warning("%s has no intrinsics.npz: assuming a %.0f-degree horizontal field of view", folder, fov_degrees)
        intrinsics = dict.fromkeys(files, intrinsics_from_fov((height, width), fov_degrees))
    if (folder / "poses.npz").is_file():
        poses = read_indexed_npz(folder / "poses.npz", (4, 4))
    else:
        logger.info("%s has no poses.npz: identity poses (a camera that does not move)", folder)
        poses = dict.fromkeys(files, np.eye(4))
    return CameraTrack(lambda index: read_depth(files[index]), files, intrinsics, poses)
