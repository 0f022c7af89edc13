"""Thread pools: module-level ones that survive ``fork``, and bounded queues of jobs.

A ``ThreadPoolExecutor`` created at import and used before a fork (a DataLoader's workers, multiprocessing's default
start method on Linux) is copied into the child with the record of its threads but not the threads themselves: work
submitted there waits for ever. :class:`SharedPool` hands out one executor per process instead.
"""

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor


class SharedPool:
    """A lazily created ``ThreadPoolExecutor`` of ``workers`` threads, made anew in a forked child."""

    def __init__(self, workers: int, name: str) -> None:
        self.workers, self.name = workers, name
        self._executor: ThreadPoolExecutor | None = None
        self._pid = -1

    def get(self) -> ThreadPoolExecutor:
        if self._executor is None or self._pid != os.getpid():
            self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=self.name)
            self._pid = os.getpid()
        return self._executor


class BoundedJobs:
    """Jobs submitted in order to one executor, at most ``limit`` of them unfinished: :meth:`submit` waits for the
    oldest beyond that (memory stays flat) and raises its error here; :meth:`wait` waits for them all."""

    def __init__(self, executor: Executor, limit: int) -> None:
        self.executor, self.limit = executor, limit
        self._jobs: deque[Future] = deque()

    def submit(self, function: Callable[..., object], *args: object) -> None:
        self._jobs.append(self.executor.submit(function, *args))
        while len(self._jobs) > self.limit:
            self._jobs.popleft().result()

    def wait(self) -> None:
        while self._jobs:
            self._jobs.popleft().result()

    def cancel(self) -> None:
        """Cancel the jobs not started yet (after an error)."""
        for job in self._jobs:
            job.cancel()
