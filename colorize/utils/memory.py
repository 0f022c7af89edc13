"""The C allocator's handling of freed frame-sized buffers.

Every frame allocates and frees dozens of arrays of 1-4 MB (a 640x360 float32 plane is 0.9 MB). By default glibc
serves blocks that large with fresh pages or gives freed heap back to the system, so the next frame's buffers are
new pages again, each first touched through a page fault: in a virtual machine that can cost more than the
arithmetic on them (benchmarks/README.md, "Freed memory kept").
"""

import ctypes
import functools
import logging
import sys

logger = logging.getLogger(__name__)

# glibc's mallopt parameters (malloc.h) and the values set
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 << 20  # bytes: blocks up to this come from the heap (reused), larger ones from the system
TRIM_THRESHOLD = 256 << 20  # bytes: free memory kept at the top of the heap before any is given back


@functools.cache
def keep_freed_memory() -> bool:
    """Let glibc reuse freed frame-sized blocks instead of handing them back to the system and faulting in new pages
    (``mallopt``, process-wide; what ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` set at start).

    At most ``TRIM_THRESHOLD`` more memory stays resident between frames; memory stays flat. Called by the frame
    loop (:func:`colorize.pipeline.run.write_frames`), once per process. Returns whether it applied: False where the
    C library is not glibc (macOS, Windows, musl), where nothing changes.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    applied = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    logger.debug("glibc keeps freed blocks up to %d bytes: %s", MMAP_THRESHOLD, applied)
    return applied
