"""Finding media files and sub-folders: image and video suffixes, natural order (``frame2`` before ``frame10``)."""

import logging
import re
from pathlib import Path

from colorize.io.images import IMAGE_SUFFIXES

logger = logging.getLogger(__name__)

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".avi", ".webm", ".mpg", ".mpeg", ".ts", ".y4m", ".gif"})


def natural_key(path: Path) -> list:
    """Sort key ordering ``frame2.png`` before ``frame10.png``."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def list_images(folder: Path) -> list[Path]:
    """Image files directly in ``folder`` (hidden files skipped), in natural order."""
    return _list(Path(folder), IMAGE_SUFFIXES)


def list_videos(folder: Path) -> list[Path]:
    """Video files directly in ``folder`` (hidden files skipped), in natural order."""
    return _list(Path(folder), VIDEO_SUFFIXES)


def list_folders(folder: Path) -> list[Path]:
    """Sub-folders directly in ``folder`` (hidden ones skipped), in natural order."""
    return sorted((p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith(".")), key=natural_key)


def davis_sequences(root: Path, split: str | None) -> list[Path]:
    """Sequence folders ``root/JPEGImages/480p/<name>`` of a DAVIS 2017 ``split`` (``"train"``, ``"val"``).

    The split's names come from ``root/ImageSets/2017/<split>.txt``; without that file (or with ``split=None``)
    every sequence is listed. Names the split lists but the folder lacks are skipped with a warning.
    """
    images = Path(root) / "JPEGImages" / "480p"
    split_file = Path(root) / "ImageSets" / "2017" / f"{split}.txt"
    if split is None or not split_file.is_file():
        return list_folders(images)
    names = [line.strip() for line in split_file.read_text().splitlines() if line.strip()]
    missing = [name for name in names if not (images / name).is_dir()]
    if missing:
        logger.warning("%d sequence(s) of %s are not in %s, skipped: %s", len(missing), split_file, images,
                       ", ".join(missing))
    logger.info("DAVIS: %d sequence(s) from %s", len(names) - len(missing), split_file)
    return sorted((images / name for name in names if name not in missing), key=natural_key)


def _list(folder: Path, suffixes: frozenset[str]) -> list[Path]:
    found = (p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith(".") and p.is_file())
    return sorted(found, key=natural_key)
