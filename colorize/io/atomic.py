"""All-or-nothing outputs: a file or folder appears under its final name only once it is complete.

Work happens under a hidden sibling name (``.NAME.partial-<pid>``, same folder, so the final rename is atomic on
one filesystem); an exception removes it. Stale partials from killed runs carry the pid and are safe to delete.
"""

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from colorize.errors import InputError

logger = logging.getLogger(__name__)


def partial_path(path: Path, tag: str = "partial") -> Path:
    """Hidden sibling of ``path`` for work in progress: ``dir/out.mp4`` -> ``dir/.out.partial-<pid>.mp4``.

    The suffix is kept so tools that pick a format from the extension (PyAV, OpenCV) still work.
    """
    path = Path(path)
    return path.with_name(f".{path.stem}.{tag}-{os.getpid()}{path.suffix}")


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it over ``path`` on success, delete it on any exception."""
    path = Path(path)
    tmp = partial_path(path)
    try:
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def check_output_dir(path: str | os.PathLike, overwrite: bool) -> None:
    """Raise InputError if ``path`` is a file, or a non-empty folder and ``overwrite`` is False. Call before work."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"output path exists and is not a directory: {path}")
    if path.is_dir() and not overwrite and any(path.iterdir()):
        raise InputError(f"output directory already holds a previous run: {path} (use --overwrite to replace it)")


@contextmanager
def atomic_dir(path: str | os.PathLike, overwrite: bool) -> Iterator[Path]:
    """Yield an empty temporary folder next to ``path``; on success it becomes ``path``, on exception it is removed.

    Refuses (InputError, before yielding) a non-empty ``path`` unless ``overwrite``. With ``overwrite`` the old folder
    is moved aside only after the new one is complete, then deleted, so an interrupted run never loses it.
    """
    path = Path(path)
    check_output_dir(path, overwrite)
    tmp = partial_path(path)
    shutil.rmtree(tmp, ignore_errors=True)  # leftover of an earlier process that had the same pid
    tmp.mkdir(parents=True)
    try:
        yield tmp
        check_output_dir(path, overwrite)  # something may have appeared at ``path`` while we worked
        if path.is_dir():
            old = partial_path(path, tag="old")
            os.replace(path, old)  # also for an empty folder: os.replace onto a directory is not portable
            try:
                os.replace(tmp, path)
            except BaseException:
                os.replace(old, path)  # put the previous run back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    logger.debug("wrote %s", path)
