"""Ctrl-C and SIGTERM raised where the main thread can stop safely.

Python raises a signal handler's exception wherever the main thread happens to be, also between a lock's
acquisition and the ``with`` that would release it. The lock then stays held, and a worker thread joined at clean-up
waits for it forever (seen: a SIGTERM during a frame loop left the output thread's ``ThreadPoolExecutor`` lock held,
and the process never exited). Loops that run with worker threads therefore take the stop at their own
:func:`stop_point` instead: inside :func:`deferred_stop`, :func:`raise_or_defer` only records it. Main thread only.
"""

import contextlib
from collections.abc import Iterator

_deferring = 0  # > 0 inside deferred_stop()
_pending: BaseException | None = None  # the stop recorded there, raised at the next stop_point()


def raise_or_defer(error: BaseException) -> None:
    """What a signal handler calls: raise ``error`` now, or inside :func:`deferred_stop` at the next
    :func:`stop_point`."""
    global _pending
    if not _deferring:
        raise error
    _pending = error


@contextlib.contextmanager
def deferred_stop() -> Iterator[None]:
    """Within, a stop is raised at :func:`stop_point` calls (make one at least every second), and at the end if none
    came. For a loop that hands work to other threads."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    stop_point()  # only when the body ended normally: a stop that came after its last stop point


def stop_point() -> None:
    """Raise the stop recorded by :func:`raise_or_defer`, if any."""
    global _pending
    if _pending is not None:
        error, _pending = _pending, None
        raise error
