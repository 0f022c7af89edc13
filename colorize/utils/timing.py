"""Where a run's time goes: wall-clock seconds summed per named stage, on whichever thread each stage runs.

    times = StageTimes()
    for frame in times.iterate("main", "reading", frames):   # the time each ``next`` waited
        with times("main", "colorizing"):
            ...
    times.summary()   # {"main": {"reading": 1.2, "colorizing": 9.8}, "output": {...}}
    per_frame(times.summary(), frames)   # "main: colorizing 45.1, reading 2.0 | output: ..." (ms a frame)

Stages are grouped by the thread they run on, so that a group's sum can be read against the run's wall time: the
group whose stages fill the run is the one that sets its speed, and a group that spends its time waiting on another
(``waiting for output``, ``reading``) points at that other one.
"""

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class StageTimes:
    """Seconds per (thread group, stage), summed over a run; safe to add to from several threads."""

    def __init__(self) -> None:
        self._seconds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self._lock = threading.Lock()

    def add(self, group: str, stage: str, seconds: float) -> None:
        with self._lock:
            self._seconds[group][stage] += seconds

    @contextmanager
    def __call__(self, group: str, stage: str) -> Iterator[None]:
        """Time the ``with`` block as ``stage`` of ``group`` (also when it raises)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(group, stage, time.perf_counter() - start)

    def iterate(self, group: str, stage: str, items: Iterable[T]) -> Iterator[T]:
        """``items``, timing each ``next`` as ``stage``: what the consumer waited for them."""
        iterator = iter(items)
        while True:
            with self(group, stage):
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            yield item

    def summary(self, digits: int = 3) -> dict[str, dict[str, float]]:
        """{group: {stage: seconds}}, rounded to ``digits``."""
        with self._lock:
            return {group: {stage: round(seconds, digits) for stage, seconds in stages.items()}
                    for group, stages in self._seconds.items()}


def per_frame(summary: dict[str, dict[str, float]], frames: int) -> str:
    """One line from a :meth:`StageTimes.summary` (or run.json's ``timing.stages``): milliseconds a frame per stage,
    largest first in each group, e.g. ``main: colorizing 45.1, reading 2.0 | output: writing 9.3``."""
    if frames <= 0:
        return "no frames"
    return " | ".join(f"{group}: " + ", ".join(f"{stage} {1000 * seconds / frames:.1f}"
                                              for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]))
                      for group, stages in summary.items())
