"""Still images: RGB uint8 in and out (OpenCV underneath, which is BGR), and keyframe folders named by frame index."""

import logging
import os
import re
from pathlib import Path

import cv2
import numpy as np

from colorize.errors import InputError
from colorize.io.atomic import atomic_file

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})
_INDEX_STEM = re.compile(r"[0-9]+")


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image as (H, W, 3) uint8 RGB. Alpha is dropped, gray becomes 3 equal channels, 16-bit is scaled to 8.

    EXIF orientation is applied (the image comes out as viewers show it).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"image not found: {path}")
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise InputError(f"not a readable image: {path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def write_png(path: str | os.PathLike, image: np.ndarray) -> None:
    """Write (H, W, 3) RGB or (H, W) gray uint8, or (H, W) uint16 (depth, labels), as a lossless PNG (1 channel for
    gray). Atomic: no half-written file."""
    rgb8 = image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
    if not (rgb8 or (image.ndim == 2 and image.dtype in (np.uint8, np.uint16))):
        raise ValueError(f"write_png expects (H, W, 3) or (H, W) uint8 or (H, W) uint16, got {image.shape} "
                         f"{image.dtype}")
    pixels = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else image
    ok, encoded = cv2.imencode(".png", pixels)
    if not ok:
        raise OSError(f"PNG encoding failed for {path}")
    with atomic_file(path) as tmp:
        tmp.write_bytes(encoded.tobytes())


def list_keyframe_images(directory: str | os.PathLike) -> dict[int, Path]:
    """Map frame index -> image for files named by their index (``0000.png``, ``120.jpg``), sorted by index.

    Images with other names are skipped with a warning; hidden files and non-image files are skipped silently.
    Raises InputError for a missing folder, a folder without keyframes, or two files with the same index.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"keyframe folder not found: {directory}")
    found: dict[int, Path] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            continue
        if not _INDEX_STEM.fullmatch(path.stem):
            logger.warning("ignoring keyframe %s: its name is not a frame index like 0120%s", path, path.suffix)
            continue
        index = int(path.stem)
        if index in found:
            raise InputError(f"two keyframes for frame {index}: {found[index].name} and {path.name} in {directory}")
        found[index] = path
    if not found:
        raise InputError(f"no keyframe images named by frame index (e.g. 0000.png) in: {directory}")
    return dict(sorted(found.items()))
