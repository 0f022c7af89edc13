"""All-or-nothing outputs: a file or folder appears under its final name only once it is complete.

Work happens under a hidden sibling name (``.NAME.partial-<pid>``, same folder, so the final rename is atomic on
one filesystem); an exception removes it. Stale partials from killed runs carry the pid: :func:`atomic_dir` removes
them, or continues one it is given (:mod:`colorize.io.leftovers`).
"""

import errno
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from colorize.errors import InputError, OutputWriteError
from colorize.io.leftovers import remove_dead_partial_files, remove_stale

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
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError) and err.filename is None:  # a failed write() names no file: say which
            err.filename = str(path)
        raise
    os.replace(tmp, path)


def check_output_dir(path: str | os.PathLike, overwrite: bool) -> None:
    """Raise InputError if ``path`` is a file, or a non-empty folder and ``overwrite`` is False. Call before work."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"output path exists and is not a directory: {path}")
    if path.is_dir() and not overwrite and any(path.iterdir()):
        raise InputError(f"output directory already holds a previous run: {path} (use --overwrite to replace it)")


# Write failures that are the disk's, not the program's: reported on one line with the space left.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO})


@contextmanager
def atomic_dir(path: str | os.PathLike, overwrite: bool, adopt: Path | None = None,
               keep_on_interrupt: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yield a temporary folder next to ``path``; on success it becomes ``path``, on exception it is removed.

    Refuses (InputError, before yielding) a non-empty ``path`` unless ``overwrite``. With ``overwrite`` the old folder
    is moved aside only after the new one is complete, then deleted, so an interrupted run never loses it.
    Stale leftovers of killed runs beside ``path`` are removed first, except ``adopt``: a dead run's partial folder
    that becomes this run's, to be continued (its half-written files are deleted). On Ctrl-C / SIGTERM
    (KeyboardInterrupt) the folder is kept when ``keep_on_interrupt(folder)`` says it can be resumed; the exception
    then carries it as ``kept_partial``. A write error of the disk (full, quota, read-only) becomes one
    :class:`OutputWriteError` line naming the path and the space left.
    """
    path = Path(path)
    check_output_dir(path, overwrite)
    tmp = partial_path(path)
    remove_stale(path, keep=adopt)
    if adopt != tmp:
        shutil.rmtree(tmp, ignore_errors=True)  # leftover of an earlier process that had the same pid
    if adopt is not None:
        if adopt != tmp:
            os.replace(adopt, tmp)
        os.utime(tmp)  # modified now, by this process: its pid is not a reused one (colorize.io.leftovers)
        remove_dead_partial_files(tmp)
    else:
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
    except KeyboardInterrupt as err:
        if keep_on_interrupt is not None and tmp.is_dir() and keep_on_interrupt(tmp):
            err.kept_partial = tmp  # type: ignore[attr-defined]
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if err.errno in WRITE_ERRNOS:
            raise write_error(err, path) from err
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    logger.debug("wrote %s", path)


def write_error(err: OSError, path: Path) -> OutputWriteError:
    """One line for a failed write under output ``path``: the file, the reason, the space left on its disk."""
    target = Path(err.filename) if err.filename else path
    try:
        free = f"{shutil.disk_usage(path.parent).free / 2**20:.1f} MiB free"
    except OSError:
        free = "free space unknown"
    reason = os.strerror(err.errno) if err.errno else str(err)
    return OutputWriteError(f"cannot write {target}: {reason} ({free} on that disk); nothing was written to {path}")
