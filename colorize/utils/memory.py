"""Giving freed memory back to the operating system during long runs.

glibc's allocator keeps freed blocks in its heaps for reuse. Over hours of frames (decoded frames, flow fields,
chroma and encoder buffers, allocated on several threads) those heaps fragment and the resident size creeps up
although the memory in use stays flat (benchmarks/README.md, "Film-length soak"). ``malloc_trim(0)`` hands the
free pages of every heap back to the kernel. Other C libraries (macOS, Windows, musl) have no such call: there
this does nothing.
"""

import ctypes
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (e.g. musl)
        return None
    return getattr(libc, "malloc_trim", None)


def release_free_memory() -> bool:
    """Return the allocator's free pages to the operating system; True if any were returned (glibc only)."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
