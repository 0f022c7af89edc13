"""The allocator setting: applied once on glibc, nothing touched elsewhere."""

import ctypes
import sys

import pytest

from colorize.utils import memory


@pytest.fixture(autouse=True)
def fresh_cache():
    memory.keep_freed_memory.cache_clear()
    yield
    memory.keep_freed_memory.cache_clear()


@pytest.mark.skipif(not sys.platform.startswith("linux") or not hasattr(ctypes.CDLL(None), "mallopt"),
                    reason="glibc's mallopt")
def test_applies_on_glibc():
    assert memory.keep_freed_memory() is True


def test_sets_both_thresholds(monkeypatch):
    calls = []

    class Mallopt:  # stands for the C function: ctypes attributes settable, calls recorded
        def __call__(self, parameter, value):
            calls.append((parameter, value))
            return 1

    class FakeLibc:
        mallopt = Mallopt()

    monkeypatch.setattr(memory.sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda name: FakeLibc())
    assert memory.keep_freed_memory() is True
    assert calls == [(-3, 32 << 20), (-1, 256 << 20)]  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD (malloc.h)


def test_without_mallopt_it_changes_nothing(monkeypatch):
    def no_library(name):
        raise OSError("no C library")

    monkeypatch.setattr(memory.sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", no_library)
    assert memory.keep_freed_memory() is False


def test_other_systems_are_left_alone(monkeypatch):
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda name: pytest.fail("the C library must not be touched"))
    assert memory.keep_freed_memory() is False
