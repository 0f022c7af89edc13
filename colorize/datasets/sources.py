"""Where training frames come from: three folder layouts, each read as a list of :class:`Sequence`.

- ``frames`` (the documented training layout; ``data_dir`` is a split folder such as ``data/train``)::

      color/<video>/<frame>.png      ground-truth color frames, RGB (PNG or JPEG), one sub-folder per video
      grayscale/<video>/<frame>.png  optional: the black-and-white input of each frame (same file names);
                                     without it the input is the color frame's Lab L
      depth/<video>/<frame>.png      optional (include_depth): one-channel 8- or 16-bit depth, scaled to [0, 1]
      semantic/<video>/<frame>.png   optional (include_semantic): one-channel 8- or 16-bit segment / class ids

  Frames of a video are taken in natural order of their names (``2.png`` before ``10.png``). The seed's flat
  form, ``color/<frame>.png`` (and ``grayscale/<frame>.png`` ...) without video sub-folders, is one video named
  after ``data_dir``.
- ``videos``: a folder of color video files. Each is decoded once, at construction, into memory with its longer
  side at most ``max_side`` (fine for a few short clips; convert large sets to the ``frames`` layout).
- ``davis``: DAVIS 2017, ``JPEGImages/480p/<sequence>/*.jpg``, read frame by frame. With ``split`` (the trainer
  passes ``train`` for ``train_dir`` and ``val`` for ``val_dir``) only the sequences listed in
  ``ImageSets/2017/<split>.txt`` are used, so one DAVIS folder serves both without training on validation clips.

For ``videos`` and ``davis`` the input is the color frame's luminance, so gray/color pairs are made on the fly.
"""

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from colorize.color import resize, rgb_to_luminance, working_size
from colorize.errors import InputError
from colorize.io import davis_sequences, iter_frames, list_folders, list_images, list_videos, probe_video, read_image

logger = logging.getLogger(__name__)

LAYOUTS = ("frames", "videos", "davis")


@dataclass
class Frame:
    """One training frame; all arrays share (H, W)."""

    rgb: np.ndarray  # (H, W, 3) uint8, the true colors
    lum: np.ndarray  # (H, W) float32 Lab L in [0, 100] of the black-and-white input
    depth: np.ndarray | None = None  # (H, W) float32 in [0, 1]
    semantic: np.ndarray | None = None  # (H, W) int64 ids >= 0


class Sequence:
    """Frames of one video, by index. Subclasses implement ``__len__`` and ``frame``."""

    name: str

    def __len__(self) -> int:
        raise NotImplementedError

    def frame(self, index: int) -> Frame:
        raise NotImplementedError


class ArraySequence(Sequence):
    """Color frames held in memory, (T, H, W, 3) uint8 RGB; the input is their luminance."""

    def __init__(self, name: str, frames: np.ndarray) -> None:
        self.name, self.frames = name, frames

    def __len__(self) -> int:
        return len(self.frames)

    def frame(self, index: int) -> Frame:
        rgb = self.frames[index]
        return Frame(rgb, rgb_to_luminance(rgb))


class FolderSequence(Sequence):
    """One image file per frame: color, and optionally grayscale input, depth and semantic files."""

    def __init__(self, name: str, color: list[Path], gray: list[Path] | None = None,
                 depth: list[Path] | None = None, semantic: list[Path] | None = None) -> None:
        self.name, self.color, self.gray, self.depth, self.semantic = name, color, gray, depth, semantic

    def __len__(self) -> int:
        return len(self.color)

    def frame(self, index: int) -> Frame:
        rgb = read_image(self.color[index])
        lum = rgb_to_luminance(read_image(self.gray[index]) if self.gray else rgb)
        depth = None if self.depth is None else _read_depth(self.depth[index])
        semantic = None if self.semantic is None else _read_channel(self.semantic[index]).astype(np.int64)
        for extra in (depth, semantic):
            if extra is not None and extra.shape != lum.shape:
                raise InputError(f"{self.name} frame {index}: depth/semantic {extra.shape} and color {lum.shape} "
                                 "differ in size")
        return Frame(rgb, lum, depth, semantic)


def load_sequences(layout: str, root: str | os.PathLike, include_depth: bool = False,
                   include_semantic: bool = False, max_side: int = 256, split: str | None = None) -> list[Sequence]:
    """The sequences of ``layout`` (one of :data:`LAYOUTS`) under ``root``; InputError when there are none.

    ``split`` (``"train"``, ``"val"``) selects a DAVIS split when ``ImageSets/2017/<split>.txt`` exists; the other
    layouts have a folder per split and ignore it.
    """
    if layout not in LAYOUTS:
        raise InputError(f"unknown data layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    root = Path(root).expanduser()
    if not root.is_dir():
        raise InputError(f"data folder not found: {root}")
    if layout != "frames" and (include_depth or include_semantic):
        raise InputError(f"depth and semantic maps exist only in the frames layout, not in {layout} ({root})")
    if layout == "frames":
        sequences = _frames_layout(root, include_depth, include_semantic)
    elif layout == "videos":
        sequences = _videos_layout(root, max_side)
    else:
        sequences = _davis_layout(root, split)
    if not sequences:
        raise InputError(f"no videos found in {root} for the {layout} layout (see colorize.datasets.sources)")
    logger.info("%s: %d video(s), %d frames in %s", layout, len(sequences), sum(map(len, sequences)), root)
    return sequences


def _read_channel(path: Path) -> np.ndarray:
    """A one-channel image as stored (8 or 16 bit); the first channel of a color image."""
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise InputError(f"not a readable image: {path}")
    return image if image.ndim == 2 else image[..., 0]


def _read_depth(path: Path) -> np.ndarray:
    """(H, W) float32 depth in [0, 1]: integer images divided by their type's maximum (255 or 65535)."""
    depth = _read_channel(path)
    if depth.dtype.kind == "f":
        return np.clip(depth, 0.0, 1.0).astype(np.float32)
    return depth.astype(np.float32) / np.iinfo(depth.dtype).max


def _frames_layout(root: Path, include_depth: bool, include_semantic: bool) -> list[Sequence]:
    color_root = root / "color"
    if not color_root.is_dir():
        raise InputError(f"{root} has no color/ folder (expected {root}/color/<video>/<frame>.png)")
    wanted = ["grayscale"] if (root / "grayscale").is_dir() else []
    wanted += ["depth"] * include_depth + ["semantic"] * include_semantic
    folders = list_folders(color_root)
    flat = not folders and bool(list_images(color_root))  # color/<frame>.png: one video, named after root
    sequences = []
    for folder in [color_root] if flat else folders:
        color = list_images(folder)
        name = root.name if flat else folder.name
        extras = {}
        for kind in wanted:
            where = root / kind if flat else root / kind / folder.name
            paths = list_images(where) if where.is_dir() else []
            if [p.stem for p in paths] != [p.stem for p in color]:
                raise InputError(f"{where}: its frames do not pair up with {folder} "
                                 f"({len(paths)} vs {len(color)} files, matched by name)")
            extras[kind] = paths
        if color:
            sequences.append(FolderSequence(name, color, extras.get("grayscale"), extras.get("depth"),
                                            extras.get("semantic")))
    return sequences


def _videos_layout(root: Path, max_side: int) -> list[Sequence]:
    sequences = []
    for path in list_videos(root):
        info = probe_video(path)
        size = working_size(info.height, info.width, max_side)
        sequences.append(ArraySequence(path.stem, np.stack([resize(frame, size) for frame in iter_frames(path)])))
    return sequences


def _davis_layout(root: Path, split: str | None) -> list[Sequence]:
    images = root / "JPEGImages" / "480p"
    if not images.is_dir():
        raise InputError(f"not a DAVIS folder: {images} is missing (expected JPEGImages/480p/<sequence>/*.jpg)")
    return [FolderSequence(folder.name, frames) for folder in davis_sequences(root, split)
            if (frames := list_images(folder))]
