"""Finding media files and sub-folders: image and video suffixes, natural order (``frame2`` before ``frame10``)."""

import re
from pathlib import Path

from colorize.io.images import IMAGE_SUFFIXES

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


def _list(folder: Path, suffixes: frozenset[str]) -> list[Path]:
    found = (p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith(".") and p.is_file())
    return sorted(found, key=natural_key)
