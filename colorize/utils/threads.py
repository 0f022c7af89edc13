"""Module-level thread pools that survive ``fork``.

A ``ThreadPoolExecutor`` created at import and used before a fork (a DataLoader's workers, multiprocessing's default
start method on Linux) is copied into the child with the record of its threads but not the threads themselves: work
submitted there waits for ever. :class:`SharedPool` hands out one executor per process instead.
"""

import os
from concurrent.futures import ThreadPoolExecutor


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
