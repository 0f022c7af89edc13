"""What killed runs leave beside an output folder, and how to find and remove it.

A run into ``OUT`` works under hidden siblings tagged with its process id: ``.OUT.partial-<pid>`` (the outputs,
renamed to ``OUT`` when complete), ``.OUT.scratch-<pid>-<random>`` (scratch arrays) and ``.OUT.old-<pid>`` (a
previous run moved aside by ``--overwrite``). Those of a process that no longer exists are *stale*: nothing will ever
finish or remove them; so are those whose pid now belongs to a process started after they were last modified (a
reused pid). Scratch folders written before they carried a pid (``.OUT.scratch-<random>``) count as stale
when no live run is writing into ``OUT``.
"""

import errno
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

_TAGS = ("partial", "scratch", "old")


@dataclass(frozen=True)
class Leftover:
    """A hidden sibling of an output folder: ``kind`` is partial, scratch or old; ``pid`` None when unknown."""

    path: Path
    kind: str
    pid: int | None
    alive: bool


def pid_alive(pid: int, since: float | None = None) -> bool:
    """Whether process ``pid`` exists and could have made a leftover last modified at ``since`` (seconds since the
    epoch): a process that started later only got the same pid again (pids are reused, e.g. after a reboot or in a
    restarted container). This process counts as dead for the same reason."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    started = process_start_time(pid)
    return since is None or started is None or started <= since + 1.0  # /proc/stat's boot time is in whole seconds


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started, in seconds since the epoch (Linux ``/proc``); None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # after the name: field 3 on
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time in clock ticks after boot
    except (OSError, IndexError, StopIteration, ValueError):
        return None


def leftovers(path: str | os.PathLike) -> list[Leftover]:
    """The hidden siblings of output folder ``path`` (see the module docstring), sorted by name."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    pattern = re.compile(rf"\.{re.escape(path.name)}\.({'|'.join(_TAGS)})-(.+)")
    found = []
    for entry in sorted(path.parent.iterdir()):
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        kind, tag = match.groups()
        pid_text = tag.split("-", 1)[0] if kind == "scratch" and "-" in tag else tag
        pid = int(pid_text) if pid_text.isdigit() else None
        since = _mtime(entry) if kind != "old" else None  # an old folder keeps the mtime of the run that wrote it
        found.append(Leftover(entry, kind, pid, pid is not None and pid_alive(pid, since)))
    live_run = any(item.alive for item in found if item.kind == "partial")
    return [item if item.pid is not None else Leftover(item.path, item.kind, None, live_run) for item in found]


def remove_stale(path: str | os.PathLike, keep: Path | None = None) -> list[Path]:
    """Delete the stale leftovers of output folder ``path`` (all but ``keep``); logs one line if any. Returns them."""
    stale = [item for item in leftovers(path) if not item.alive and item.path != keep]
    freed = sum(_size(item.path) for item in stale)
    for item in stale:
        _remove(item.path)
    if stale:
        logger.warning("removed %d stale leftover(s) of killed runs beside %s (%s; %.1f MiB freed)", len(stale),
                       path, ", ".join(item.path.name for item in stale), freed / 2**20)
    return [item.path for item in stale]


def remove_dead_partial_files(folder: Path) -> None:
    """Inside an adopted partial folder: delete the half-written files (``.NAME.partial-<pid>.EXT``) of its dead
    owner, e.g. the video it was encoding."""
    for entry in folder.rglob(".*.partial-*"):
        if entry.is_file():
            entry.unlink()


@contextmanager
def scratch_dir(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary folder beside output folder ``path`` (on the disk the user chose, not in /tmp), tagged with this
    process's id so a later run can tell it is stale if this one is killed; removed on exit."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{path.name}.scratch-{os.getpid()}-", dir=path.parent) as scratch:
        yield Path(scratch)


def scratch_array(path: str | os.PathLike, dtype: np.dtype | type, shape: tuple[int, ...]) -> np.memmap:
    """A memory-mapped ``.npy`` array at ``path`` (in a :func:`scratch_dir`) with its disk space reserved now: a disk
    too full for it fails here with an OSError (ENOSPC), which a run reports in one line, instead of killing the
    process with SIGBUS when a page of a sparse mapping is first written."""
    array = np.lib.format.open_memmap(path, "w+", dtype, shape)
    if hasattr(os, "posix_fallocate"):
        with open(path, "r+b") as file:
            try:
                os.posix_fallocate(file.fileno(), 0, os.fstat(file.fileno()).st_size)
            except OSError as err:
                if err.errno not in (errno.EOPNOTSUPP, errno.EINVAL):  # a file system that cannot reserve: sparse
                    raise OSError(err.errno, err.strerror, str(path)) from None
    return array


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file() and not entry.is_symlink())


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
