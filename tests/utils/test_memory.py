"""Giving freed memory back to the operating system (glibc's malloc_trim)."""

from pathlib import Path

import pytest

from colorize.utils.memory import _malloc_trim, release_free_memory


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(_malloc_trim() is None, reason="needs glibc's malloc_trim (Linux)")
def test_fragmented_heap_is_given_back():
    # 64 KiB blocks come from the heap (below glibc's mmap threshold); freeing every other one leaves holes that
    # the allocator keeps, since a block still in use sits above each of them, until they are trimmed.
    blocks = [bytearray(64 * 1024) for _ in range(3200)]  # 200 MiB, touched (zeroed)
    del blocks[::2]
    before = _rss_mib()
    assert release_free_memory()
    assert before - _rss_mib() > 50  # about 100 MiB of holes
    del blocks


def test_without_glibc_it_does_nothing(monkeypatch):
    monkeypatch.setattr("colorize.utils.memory._malloc_trim", lambda: None)
    assert release_free_memory() is False
