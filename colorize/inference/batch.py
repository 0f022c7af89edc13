"""Batches of videos: one output folder per video, failures reported without stopping the rest, completed videos
skipped on a re-run, and the list shared between processes under ``accelerate launch`` (merged at the end).

Several machines can share a batch only through a filesystem they all see: each process writes its videos' folders
under the output folder, and the main process writes the summary there.
"""

import json
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from colorize.errors import ColorizeError, InputError
from colorize.io import VIDEO_SUFFIXES, atomic_file, list_videos

logger = logging.getLogger(__name__)

SUMMARY = "batch_summary.json"
Process = Callable[[Path, Path], dict[str, Any]]  # (video, its output folder) -> its run report


def read_video_list(path: str | os.PathLike) -> list[Path]:
    """Videos listed in a text file, one per line (blank lines and ``#`` comments skipped; relative to the file)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"video list not found: {path}")
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    videos = [Path(line) if Path(line).is_absolute() else path.parent / line for line in lines if line]
    if not videos:
        raise InputError(f"video list {path} names no video")
    return videos


def videos_in(folder: str | os.PathLike) -> list[Path]:
    """The video files of ``folder`` (not its subfolders), sorted by name."""
    videos = list_videos(Path(folder))
    if not videos:
        raise InputError(f"no video files ({', '.join(sorted(VIDEO_SUFFIXES))}) in {folder}")
    return videos


class Processes(Protocol):
    """What a batch needs of accelerate's ``PartialState``: this process's place among those of the run."""

    process_index: int
    num_processes: int
    is_main_process: bool

    def split_between_processes(self, inputs: list, apply_padding: bool = False) -> AbstractContextManager[list]:
        """This process's contiguous share of ``inputs``."""

    def wait_for_everyone(self) -> None:
        """Block until every process gets here."""


class SingleProcess:
    """``PartialState`` of a run on one process, for a base install without accelerate."""

    process_index, num_processes, is_main_process = 0, 1, True

    @contextmanager
    def split_between_processes(self, inputs: list, apply_padding: bool = False) -> Iterator[list]:
        yield inputs

    def wait_for_everyone(self) -> None:
        pass


def process_state() -> Processes:
    """accelerate's ``PartialState`` (under ``accelerate launch``: one of several processes, each with its own
    ``state.device``), or :class:`SingleProcess` when accelerate is not installed."""
    try:
        from accelerate import PartialState
    except ModuleNotFoundError:
        return SingleProcess()
    return PartialState()


def gather(state: Processes, items: list) -> list:
    """The ``items`` of every process, concatenated in process order, on every process (``gather_object``)."""
    if state.num_processes == 1:
        return list(items)
    from accelerate.utils import gather_object

    return gather_object(items)


def run_batch(process: Process, videos: list[str | os.PathLike], output_base_dir: str | os.PathLike,
              overwrite: bool = False, state: Processes | None = None) -> dict[str, Any]:
    """Run ``process`` on this process's share of ``videos``, each into ``output_base_dir/<file stem>``.

    A video whose folder already holds ``run.json`` (complete: outputs appear only when whole) is skipped unless
    ``overwrite``. Any error in one video is recorded with its message and the next goes on. Under ``accelerate
    launch`` each process takes a contiguous share of the list (``split_between_processes``); the results of all
    are gathered (``gather_object``) and the main process writes ``batch_summary.json``. ``state``: default
    :func:`process_state`. Returns, on every process, ``{"successful", "failed", "skipped", "videos": {path:
    result}}`` for the whole list.
    """
    videos = [Path(video) for video in videos]
    stems = [video.stem for video in videos]
    clashes = sorted({stem for stem in stems if stems.count(stem) > 1})
    if clashes:
        raise InputError(f"videos with the same name would share an output folder: {', '.join(clashes)}")
    state = state or process_state()
    base = Path(output_base_dir)
    base.mkdir(parents=True, exist_ok=True)
    with state.split_between_processes(videos) as share:
        results = [(str(video), _one(process, video, base / video.stem, overwrite)) for video in share]
    summary = _summarise(dict(gather(state, results)))
    if state.is_main_process:
        _write_json(base / SUMMARY, summary)
    state.wait_for_everyone()  # the summary is complete on disk when any process returns
    return summary


def _one(process: Process, video: Path, output_dir: Path, overwrite: bool) -> dict[str, Any]:
    if (output_dir / "run.json").is_file() and not overwrite:
        logger.info("%s: already done in %s (skipped; --overwrite redoes it)", video, output_dir)
        return {"status": "skipped", "output_dir": str(output_dir)}
    started = time.perf_counter()
    try:
        report = process(video, output_dir)
    except Exception as err:  # noqa: BLE001 - one broken video must not stop the batch; the reason is recorded
        if not isinstance(err, ColorizeError):
            logger.debug("%s", traceback.format_exc())
        reason = f"{type(err).__name__}: {err}" if not isinstance(err, ColorizeError) else str(err)
        logger.error("%s failed: %s", video, reason)
        return {"status": "failed", "output_dir": str(output_dir), "error": reason}
    return {"status": "ok", "output_dir": str(output_dir), "model": report.get("model"),
            "frames": report.get("frames"), "seconds": round(time.perf_counter() - started, 3)}


def _summarise(results: dict[str, Any]) -> dict[str, Any]:
    statuses = [result["status"] for result in results.values()]
    return {"successful": statuses.count("ok") + statuses.count("skipped"), "failed": statuses.count("failed"),
            "skipped": statuses.count("skipped"), "videos": results}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with atomic_file(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2))
