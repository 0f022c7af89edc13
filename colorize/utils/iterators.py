"""Small iterator helpers."""

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


def with_next(items: Iterable[T]) -> Iterator[tuple[T, T | None]]:
    """Each item with the one after it (None after the last): the source is read one item ahead."""
    items = iter(items)
    current = next(items, _END)
    while current is not _END:
        following = next(items, _END)
        yield current, None if following is _END else following
        current = following


def read_ahead(items: Iterable[T], depth: int = 4, name: str = "colorize-read-ahead") -> Iterator[T]:
    """The items of ``items``, produced on a background thread up to ``depth`` ahead of the consumer (e.g. decoding
    the next frames while this one is processed). An error raised by the source is raised here, in order; closing
    the iterator early (``break``, an error in the consumer) stops the thread within one item."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not _put(buffer, (item, None), stop):
                    return
            _put(buffer, (_END, None), stop)
        except BaseException as error:  # handed to the consumer, raised there
            _put(buffer, (_END, error), stop)
        finally:
            close = getattr(source, "close", None)  # a generator's own clean-up (an open file) runs on this thread
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item, error = buffer.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _put(buffer: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    """Put ``entry`` once there is room; False if ``stop`` was set first."""
    while not stop.is_set():
        try:
            buffer.put(entry, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False
