"""Continuing a killed run: checkpoints kept inside its partial output folder (``.OUT.partial-<pid>``).

    .resume/settings.json   the run's settings and their fingerprint: a later run continues the folder only when
                            its own settings give the same fingerprint (same input file, frames, keyframes, config)
    .resume/state.pkl       {"frames": N, "taken": T, "state": ...}: frames 0..N-1 are written (their PNGs are on
                            disk) and the state after the colorizer took frames 0..T-1 (:func:`snapshot`; T > N when
                            the stabilizer holds frames N..T-1 for its look-ahead, their chroma inside its state)

``.resume/`` is deleted when the run completes, so a finished output never holds it. A resumed run reads frames
0..N-1 back from ``colorized_frames/`` (the videos, the contact sheet and the scores are rebuilt from them, so the
final output equals an uninterrupted run's) and colorizes from frame N on.
"""

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import shutil
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from colorize.errors import InputError
from colorize.io import atomic_file, leftovers

logger = logging.getLogger(__name__)

RESUME_DIR = ".resume"
SETTINGS = "settings.json"
STATE = "state.pkl"
# Attributes never saved: settings and inputs (rebuilt the same from the settings the fingerprint covers), and
# resources (the backward pass's memory-mapped arrays, recomputed; OpenCV estimators, stateless between calls).
_NOT_STATE = frozenset({"config", "references", "backward", "views"})


@dataclass
class ResumePlan:
    """How :func:`~colorize.pipeline.run.write_frames` resumes and checkpoints a run."""

    start: int = 0  # frames already written: read back from colorized_frames/, not colorized again
    taken: int = 0  # frames the colorizer had taken (>= start; the stabilizer's state holds start..taken-1)
    every: int = 0  # save a checkpoint every this many frames (0: never)
    snapshot: Callable[[], bytes] | None = None  # the colorizer's (and stabilizer's) state after the last frame


def fingerprint(settings: dict[str, Any]) -> str:
    """sha256 (hex) of ``settings`` as canonical JSON."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def image_digest(image: np.ndarray) -> str:
    """sha256 (hex) of an image's shape, dtype and pixels: keyframes take part in the fingerprint by content."""
    digest = hashlib.sha256(f"{image.shape}{image.dtype}".encode())
    digest.update(np.ascontiguousarray(image).tobytes())
    return digest.hexdigest()


def file_identity(path: Path) -> dict[str, Any]:
    """Resolved path, size and modification time of an input file (a changed file gives a new fingerprint)."""
    stat = path.stat()
    return {"path": str(path.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def start(root: Path, settings: dict[str, Any]) -> None:
    """Mark partial folder ``root`` as resumable with these ``settings`` (once checkpoints follow)."""
    (root / RESUME_DIR).mkdir(exist_ok=True)
    with atomic_file(root / RESUME_DIR / SETTINGS) as tmp:
        tmp.write_text(json.dumps({"fingerprint": fingerprint(settings), "settings": settings}, indent=2,
                                  default=str))


def save(root: Path, frames: int, state: bytes, taken: int | None = None) -> None:
    """Checkpoint: frames 0..``frames``-1 are on disk and ``state`` is what the colorizer (and the stabilizer) held
    after taking frames 0..``taken``-1 (default ``frames``)."""
    checkpoint = {"frames": frames, "taken": frames if taken is None else taken, "state": state}
    with atomic_file(root / RESUME_DIR / STATE) as tmp:
        tmp.write_bytes(pickle.dumps(checkpoint, protocol=pickle.HIGHEST_PROTOCOL))


def load(root: Path) -> tuple[int, int, bytes] | None:
    """(frames written, frames taken, pickled state) of the last checkpoint in ``root``, or None."""
    path = root / RESUME_DIR / STATE
    if not path.is_file():
        return None
    checkpoint = pickle.loads(path.read_bytes())  # our own file, inside our own output folder
    return checkpoint["frames"], checkpoint.get("taken", checkpoint["frames"]), checkpoint["state"]


def resumable(root: Path) -> bool:
    """Whether partial folder ``root`` holds settings and at least one checkpoint."""
    return (root / RESUME_DIR / SETTINGS).is_file() and (root / RESUME_DIR / STATE).is_file()


def finish(root: Path) -> None:
    """Remove the checkpoints of a completed run."""
    shutil.rmtree(root / RESUME_DIR, ignore_errors=True)


def find_resumable(output_dir: str | os.PathLike, settings: dict[str, Any]) -> Path | None:
    """The partial folder of a dead run into ``output_dir`` with these ``settings`` and a checkpoint, or None.

    When several match, the one with the most frames written."""
    wanted, best, best_frames = fingerprint(settings), None, -1
    for item in leftovers(output_dir):
        if item.kind != "partial" or item.alive or not resumable(item.path):
            continue
        try:
            saved = json.loads((item.path / RESUME_DIR / SETTINGS).read_text())
            frames = load(item.path)[0] if saved.get("fingerprint") == wanted else -1
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, KeyError, TypeError):
            continue  # torn or foreign: removed as stale instead
        if frames > best_frames:
            best, best_frames = item.path, frames
    return best


def snapshot(obj: object) -> dict[str, Any]:
    """The state of a stateful colorizer (e.g. :class:`~colorize.propagation.ForwardPropagation`) as plain data:
    its arrays, numbers and keyframes, and those of the colorize objects it holds (its propagator, its cut
    detector), recursively. Settings, inputs and resources are left out (``_NOT_STATE``); :func:`restore` puts the
    state back into an object built from the same settings."""
    state: dict[str, Any] = {}
    for name, value in vars(obj).items():
        if name in _NOT_STATE:
            continue
        if _is_data(value):
            state[name] = value
        elif _is_component(value):
            state[name] = _Nested(snapshot(value))
    return state


def restore(obj: object, state: dict[str, Any]) -> None:
    """Put a :func:`snapshot` back into ``obj`` (built from the same settings)."""
    for name, value in state.items():
        if isinstance(value, _Nested):
            restore(getattr(obj, name), value)
        else:
            setattr(obj, name, value)


class _Nested(dict):
    """The snapshot of an object held by the snapshotted one."""


def _is_data(value: object) -> bool:
    if value is None or isinstance(value, (bool, int, float, complex, str, np.ndarray, np.generic)):
        return True
    if isinstance(value, (list, tuple, set, frozenset, deque)):
        return all(_is_data(item) for item in value)
    if isinstance(value, dict):
        return all(_is_data(key) and _is_data(item) for key, item in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # Keyframe, the stabilizer's frames: records
        return type(value).__module__.startswith(("colorize.propagation", "colorize.temporal")) and all(
            _is_data(getattr(value, field.name)) for field in dataclasses.fields(value))
    return False


def _is_component(value: object) -> bool:
    return (hasattr(value, "__dict__") and not isinstance(value, type) and not dataclasses.is_dataclass(value)
            and type(value).__module__.startswith("colorize."))


def choose(output_dir: Path, settings: dict[str, Any] | None, mode: bool | None) -> Path | None:
    """The dead run's partial folder to continue, by ``mode``: None continues one with the same ``settings`` when
    there is one, True requires it (InputError otherwise), False never continues (``settings`` None: this run cannot
    be resumed). Other stale leftovers are removed later by :func:`~colorize.io.atomic_dir`."""
    found = find_resumable(output_dir, settings) if settings is not None and mode is not False else None
    if found is None:
        if mode:
            why = ("no killed run into it with the same settings" if settings is not None else "these settings keep "
                   "no checkpoints (needs keyframe propagation, output.save_colorized_frames and no geometry or "
                   "semantic stage)")
            raise InputError(f"nothing to resume in {output_dir}: {why}")
        return None
    frames = load(found)[0]
    logger.warning("resuming %s from frame %d: a killed run with the same settings left it in %s", output_dir,
                   frames, found.name)
    return found
