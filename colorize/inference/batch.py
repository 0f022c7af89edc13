"""Batches of videos: one output folder per video, failures reported without stopping the rest, completed videos
skipped on a re-run, and the list shared between processes under ``accelerate launch`` (merged at the end).
"""

import json
import logging
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def process_rank() -> tuple[int, int]:
    """(rank, world size) of this process: from ``accelerate launch`` / ``torchrun`` (RANK, WORLD_SIZE), else (0, 1)."""
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))


def wait_for_everyone() -> None:
    """Block until every process of an ``accelerate launch`` run gets here."""
    from accelerate import PartialState

    PartialState().wait_for_everyone()


def shard(videos: list[Path], rank: int, world_size: int) -> list[Path]:
    """The share of process ``rank`` of ``world_size``: every ``world_size``-th video from ``rank`` on."""
    if not 0 <= rank < world_size:
        raise ValueError(f"rank must be in [0, {world_size}), got {rank}")
    return videos[rank::world_size]


def run_batch(process: Process, videos: list[str | os.PathLike], output_base_dir: str | os.PathLike,
              overwrite: bool = False, rank: int | None = None, world_size: int | None = None) -> dict[str, Any]:
    """Run ``process`` on this process's share of ``videos``, each into ``output_base_dir/<file stem>``.

    A video whose folder already holds ``run.json`` (complete: outputs appear only when whole) is skipped unless
    ``overwrite``. Any error in one video is recorded with its message and the next goes on. With one process the
    summary goes to ``batch_summary.json``; with several each writes ``batch_summary.rank<R>.json`` and the caller
    merges them with :func:`merge_summaries` once all are done. ``rank``/``world_size`` default to
    :func:`process_rank`. Returns ``{"successful", "failed", "skipped", "videos": {path: result}}``.
    """
    videos = [Path(video) for video in videos]
    stems = [video.stem for video in videos]
    clashes = sorted({stem for stem in stems if stems.count(stem) > 1})
    if clashes:
        raise InputError(f"videos with the same name would share an output folder: {', '.join(clashes)}")
    if rank is None or world_size is None:
        rank, world_size = process_rank()
    base = Path(output_base_dir)
    base.mkdir(parents=True, exist_ok=True)
    results = {}
    for video in shard(videos, rank, world_size):
        results[str(video)] = _one(process, video, base / video.stem, overwrite)
    summary = _summarise(results)
    name = SUMMARY if world_size == 1 else f"batch_summary.rank{rank}.json"
    _write_json(base / name, summary)
    return summary


def merge_summaries(output_base_dir: str | os.PathLike, world_size: int) -> dict[str, Any]:
    """Merge the per-process summaries of a run on ``world_size`` processes into ``batch_summary.json``."""
    base = Path(output_base_dir)
    results: dict[str, Any] = {}
    for rank in range(world_size):
        part = base / f"batch_summary.rank{rank}.json"
        if not part.is_file():
            raise ColorizeError(f"process {rank} of {world_size} left no summary ({part}): did it fail?")
        results.update(json.loads(part.read_text())["videos"])
    summary = _summarise(results)
    _write_json(base / SUMMARY, summary)
    for rank in range(world_size):
        (base / f"batch_summary.rank{rank}.json").unlink()
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
