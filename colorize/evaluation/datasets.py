"""Evaluation clips from three folder layouts, streamed frame by frame (a dataset is never loaded whole).

- ``davis_2017``: DAVIS 2017, ``JPEGImages/480p/<sequence>/*.jpg``. When ``ImageSets/2017/val.txt`` exists, only the
  sequences it lists are used (the standard validation split); otherwise every sequence folder.
- ``custom``: one folder per clip, ``<clip>/grayscale/*.png`` (the input) and ``<clip>/color/*.png`` (the ground
  truth), paired by file name.
- ``videos``: a folder of color video files; the ground truth is the video, the input its luminance.

Frames are (H, W, 3) uint8 RGB. The input frames are black and white (R = G = B, see :func:`to_input`): for
``davis_2017`` and ``videos`` the ground truth's CIE Lab L (:func:`colorize.color.rgb_to_luminance`) as 8-bit sRGB
gray, for ``custom`` the grayscale files (any color in them dropped the same way), so no color information
reaches a model. Image files are taken in natural order (``2.png`` before ``10.png``).

A clip that cannot be read (unreadable video, missing sub-folder, mismatching file names) is still listed: its
``num_frames`` is 0 and opening it raises the :class:`~colorize.errors.InputError`, so an evaluation records it as
failed and goes on with the others.
"""

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from colorize.color import luminance_to_gray, rgb_to_luminance
from colorize.errors import InputError
from colorize.io import (
    VIDEO_SUFFIXES,
    davis_sequences,
    iter_frames,
    list_folders,
    list_images,
    list_videos,
    natural_key,
    probe_video,
    read_image,
)
from colorize.propagation.frames import FrameSource

logger = logging.getLogger(__name__)

DATASETS = ("davis_2017", "custom", "videos")
LAYOUTS = {
    "davis_2017": "expected JPEGImages/480p/<sequence>/*.jpg",
    "custom": "expected <clip>/grayscale/*.png and <clip>/color/*.png",
    "videos": f"expected color video files ({', '.join(sorted(VIDEO_SUFFIXES))})",
}


@dataclass(frozen=True)
class Clip:
    """One evaluation clip. ``open_input()`` / ``open_truth()`` start a fresh pass over its frames each call."""

    name: str
    open_input: FrameSource  # black-and-white input frames, (H, W, 3) uint8 with R = G = B
    open_truth: FrameSource  # ground-truth color frames, (H, W, 3) uint8 RGB
    num_frames: int  # frames a pass yields (for videos: as the container reports it); 0 for an unreadable clip
    source: Path  # the file or folder the clip comes from


def load_dataset(name: str, path: str | os.PathLike, max_frames: int | None = None) -> list[Clip]:
    """The clips of dataset layout ``name`` (one of :data:`DATASETS`) under ``path``, in natural order of name.

    Args:
        name: ``"davis_2017"``, ``"custom"`` or ``"videos"`` (see the module docstring).
        path: the dataset's root folder.
        max_frames: keep only the first N frames of every clip.

    Raises:
        InputError: unknown layout, ``path`` is not a folder, or it holds no clip of that layout.
    """
    if name not in DATASETS:
        raise InputError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if max_frames is not None and max_frames < 1:
        raise InputError(f"max_frames must be at least 1, got {max_frames}")
    root = Path(path).expanduser()
    if not root.is_dir():
        raise InputError(f"dataset folder not found: {root}")
    clips = {"davis_2017": _davis_clips, "custom": _custom_clips, "videos": _video_clips}[name](root, max_frames)
    if not clips:
        raise InputError(f"no clips found in {root} for the {name} layout ({LAYOUTS[name]})")
    logger.info("%s: %d clip(s) in %s", name, len(clips), root)
    return clips


def detect_layout(path: str | os.PathLike) -> str:
    """The layout of dataset folder ``path``: ``davis_2017`` (has JPEGImages/), ``custom`` (a sub-folder has color/ or
    grayscale/), else ``videos``."""
    root = Path(path).expanduser()
    if (root / "JPEGImages").is_dir():
        return "davis_2017"
    if root.is_dir() and any((child / sub).is_dir() for child in root.iterdir() for sub in ("color", "grayscale")):
        return "custom"
    return "videos"


def to_input(frame: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB -> the black-and-white input a model sees: gray RGB with the frame's Lab L."""
    return np.repeat(luminance_to_gray(rgb_to_luminance(frame))[..., None], 3, axis=-1)


def _luminance_of(open_truth: FrameSource) -> FrameSource:
    return lambda: (to_input(frame) for frame in open_truth())


def _images(paths: list[Path]) -> FrameSource:
    return lambda: (read_image(path) for path in paths)


def _broken(name: str, source: Path, error: InputError) -> Clip:
    """A listed clip whose every read raises ``error``."""
    logger.warning("clip %s cannot be read: %s", name, error)

    def fail() -> Iterator[np.ndarray]:
        raise error
        yield  # pragma: no cover - makes this a generator, so the error comes at the first next()

    return Clip(name, fail, fail, 0, source)


def _image_clip(name: str, folder: Path, max_frames: int | None) -> Clip:
    frames = list_images(folder)[:max_frames]
    if not frames:
        return _broken(name, folder, InputError(f"no image frames in {folder}"))
    truth = _images(frames)
    return Clip(name, _luminance_of(truth), truth, len(frames), folder)


def _davis_clips(root: Path, max_frames: int | None) -> list[Clip]:
    images = root / "JPEGImages" / "480p"
    if not images.is_dir():
        raise InputError(f"not a DAVIS 2017 folder: {images} is missing ({LAYOUTS['davis_2017']})")
    return [_image_clip(folder.name, folder, max_frames) for folder in davis_sequences(root, "val")]


def _custom_clip(folder: Path, max_frames: int | None) -> Clip:
    name = folder.name
    for sub in ("grayscale", "color"):
        if not (folder / sub).is_dir():
            return _broken(name, folder, InputError(f"clip {name}: missing folder {folder / sub}"))
    gray, color = list_images(folder / "grayscale"), list_images(folder / "color")
    if [p.stem for p in gray] != [p.stem for p in color]:
        only = sorted({p.stem for p in gray} ^ {p.stem for p in color}, key=lambda s: natural_key(Path(s)))
        detail = f"e.g. {only[0]!r} is in one folder only" if only else "they are in a different order"
        return _broken(name, folder, InputError(
            f"clip {name}: grayscale/ has {len(gray)} and color/ {len(color)} frames whose names do not pair up "
            f"({detail})"))
    if not gray:
        return _broken(name, folder, InputError(f"clip {name}: no image frames in {folder / 'color'}"))
    gray, color = gray[:max_frames], color[:max_frames]
    return Clip(name, _luminance_of(_images(gray)), _images(color), len(color), folder)  # to_input: R = G = B


def _custom_clips(root: Path, max_frames: int | None) -> list[Clip]:
    folders = list_folders(root)
    clips = [_custom_clip(folder, max_frames) for folder in folders
             if (folder / "grayscale").is_dir() or (folder / "color").is_dir()]
    skipped = len(folders) - len(clips)
    if skipped:
        logger.info("custom: skipped %d folder(s) with neither grayscale/ nor color/", skipped)
    return clips


def _video_clip(path: Path, name: str, max_frames: int | None) -> Clip:
    try:
        num_frames = probe_video(path).num_frames
    except InputError as err:
        return _broken(name, path, err)
    if max_frames is not None:
        num_frames = min(num_frames, max_frames)

    def truth() -> Iterator[np.ndarray]:
        return iter_frames(path, max_frames=max_frames)

    return Clip(name, _luminance_of(truth), truth, num_frames, path)


def _video_clips(root: Path, max_frames: int | None) -> list[Clip]:
    paths = list_videos(root)
    stems = [p.stem for p in paths]
    names = [p.stem if stems.count(p.stem) == 1 else p.name for p in paths]  # a.mp4 + a.mkv: keep the suffix
    return [_video_clip(path, name, max_frames) for path, name in zip(paths, names, strict=True)]
