"""Leftovers of killed runs beside an output folder: found by pid, removed, and a scratch folder tagged with ours."""

import errno
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from colorize.io import leftovers, remove_stale, scratch_array, scratch_dir
from colorize.io.leftovers import pid_alive


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a process that has exited (and was reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _make(parent, name, size=0):
    (parent / name).mkdir()
    (parent / name / "data.bin").write_bytes(b"x" * size)


def test_pid_alive(dead_pid):
    assert pid_alive(os.getppid()) and not pid_alive(dead_pid)
    assert not pid_alive(os.getpid())  # a leftover with our own pid is an earlier process's


def test_a_reused_pid_does_not_keep_a_leftover_alive(tmp_path):
    # A live process that started after the leftover was last written cannot be the one that wrote it.
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _make(tmp_path, f".out.partial-{process.pid}")  # made after the process started: could be its own
        assert [item.alive for item in leftovers(tmp_path / "out")] == [True]
        an_hour_ago = time.time() - 3600
        os.utime(tmp_path / f".out.partial-{process.pid}", (an_hour_ago, an_hour_ago))
        assert [item.alive for item in leftovers(tmp_path / "out")] == [False]
        assert remove_stale(tmp_path / "out") == [tmp_path / f".out.partial-{process.pid}"]
    finally:
        process.kill()
        process.wait()


def test_stale_leftovers_are_removed_live_ones_kept(tmp_path, dead_pid, caplog):
    live = os.getppid()
    for name in (f".out.partial-{dead_pid}", f".out.scratch-{dead_pid}-ab12", f".out.old-{dead_pid}",
                 f".out.partial-{live}", f".out.scratch-{live}-cd34", ".other.partial-1", "out"):
        _make(tmp_path, name, size=2**20 if name.endswith(str(dead_pid)) else 0)
    found = {item.path.name: item.alive for item in leftovers(tmp_path / "out")}
    assert found == {f".out.partial-{dead_pid}": False, f".out.scratch-{dead_pid}-ab12": False,
                     f".out.old-{dead_pid}": False, f".out.partial-{live}": True, f".out.scratch-{live}-cd34": True}
    with caplog.at_level("WARNING"):
        removed = remove_stale(tmp_path / "out")
    assert sorted(path.name for path in removed) == sorted(name for name, alive in found.items() if not alive)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.partial-1", f".out.partial-{live}",
                                                          f".out.scratch-{live}-cd34", "out"]
    (line,) = caplog.messages
    assert line.startswith("removed 3 stale leftover(s) of killed runs beside") and line.endswith("; 2.0 MiB freed)")


def test_old_style_scratch_without_pid_is_stale_only_when_no_run_is_live(tmp_path):
    _make(tmp_path, ".out.scratch-k3j4h_x9")
    _make(tmp_path, f".out.partial-{os.getppid()}")
    assert [item.alive for item in leftovers(tmp_path / "out")] == [True, True]  # a live run may own it
    shutil.rmtree(tmp_path / f".out.partial-{os.getppid()}")
    assert remove_stale(tmp_path / "out") == [tmp_path / ".out.scratch-k3j4h_x9"]


def test_scratch_dir_carries_our_pid_and_is_removed(tmp_path):
    with scratch_dir(tmp_path / "sub" / "out") as scratch:
        assert scratch.parent == tmp_path / "sub" and scratch.name.startswith(f".out.scratch-{os.getpid()}-")
        (scratch / "lum8.npy").write_bytes(b"0")
        (item,) = leftovers(tmp_path / "sub" / "out")
        assert item.kind == "scratch" and item.pid == os.getpid()
    assert list((tmp_path / "sub").iterdir()) == []


def test_scratch_array_reserves_its_disk_space(tmp_path):
    # A sparse file would take a few blocks now and SIGBUS later on a full disk; this one has its space already.
    array = scratch_array(tmp_path / "ab.npy", np.float16, (10, 64, 64, 2))
    assert (tmp_path / "ab.npy").stat().st_blocks * 512 >= array.nbytes
    array[3] = 1.5
    array.flush()
    assert np.load(tmp_path / "ab.npy")[3].mean() == 1.5 and np.load(tmp_path / "ab.npy")[2].max() == 0


def test_a_disk_too_full_for_a_scratch_array_fails_at_once_naming_it(tmp_path, monkeypatch):
    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(OSError) as failed:
        scratch_array(tmp_path / "lum8.npy", np.uint8, (100, 10, 10))
    assert failed.value.errno == errno.ENOSPC and failed.value.filename == str(tmp_path / "lum8.npy")
