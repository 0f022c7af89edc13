"""All-or-nothing output files and folders."""

import errno
import os
import subprocess
import sys

import pytest

from colorize.errors import InputError, OutputWriteError
from colorize.io import atomic_dir, atomic_file, check_output_dir


@pytest.fixture(scope="module")
def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_atomic_file_appears_only_on_success(tmp_path):
    out = tmp_path / "result.txt"
    with atomic_file(out) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".txt" and tmp.name.startswith(".result.partial-")
        tmp.write_text("new")
        assert not out.exists()
    assert out.read_text() == "new" and list(tmp_path.iterdir()) == [out]


def test_atomic_file_keeps_old_file_on_error(tmp_path):
    out = tmp_path / "result.txt"
    out.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_file(out) as tmp:
            tmp.write_text("half")
            raise KeyboardInterrupt
    assert out.read_text() == "old" and list(tmp_path.iterdir()) == [out]


def test_atomic_dir_builds_under_a_temporary_name(tmp_path):
    out = tmp_path / "run"
    with atomic_dir(out, overwrite=False) as tmp:
        assert tmp.is_dir() and tmp.parent == tmp_path and tmp.name.startswith(".run.partial-")
        (tmp / "frames").mkdir()
        (tmp / "frames" / "0000.png").write_bytes(b"x")
        assert not out.exists()
    assert (out / "frames" / "0000.png").read_bytes() == b"x" and list(tmp_path.iterdir()) == [out]


def test_atomic_dir_accepts_an_empty_existing_folder(tmp_path):
    (tmp_path / "run").mkdir()
    with atomic_dir(tmp_path / "run", overwrite=False) as tmp:
        (tmp / "a").write_text("1")
    assert [p.name for p in (tmp_path / "run").iterdir()] == ["a"]


def test_atomic_dir_refuses_a_previous_run_before_any_work(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "old.txt").write_text("old")
    message = f"output directory already holds a previous run: {out} (use --overwrite to replace it)"
    assert str(pytest.raises(InputError, check_output_dir, out, False).value) == message
    with pytest.raises(InputError, match="already holds a previous run"):
        with atomic_dir(out, overwrite=False):
            pytest.fail("the body must not run")
    assert [p.name for p in tmp_path.iterdir()] == ["run"] and (out / "old.txt").read_text() == "old"


def test_atomic_dir_overwrite_replaces_only_when_complete(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with atomic_dir(out, overwrite=True) as tmp:
        (tmp / "new.txt").write_text("new")
        assert (out / "old.txt").exists()  # the previous run is untouched while we work
    assert [p.name for p in out.iterdir()] == ["new.txt"] and list(tmp_path.iterdir()) == [out]


def test_atomic_dir_error_removes_temp_and_keeps_old(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_dir(out, overwrite=True) as tmp:
            (tmp / "new.txt").write_text("new")
            raise RuntimeError
    assert list(tmp_path.iterdir()) == [out] and [p.name for p in out.iterdir()] == ["old.txt"]


def test_check_output_dir_rejects_a_file(tmp_path):
    (tmp_path / "run").write_text("")
    with pytest.raises(InputError, match="output path exists and is not a directory"):
        check_output_dir(tmp_path / "run", overwrite=True)
    check_output_dir(tmp_path / "absent", overwrite=False)  # nothing there yet: fine


def test_atomic_dir_removes_stale_partials_and_continues_an_adopted_one(tmp_path, dead_pid):
    out = tmp_path / "run"
    for name in (f".run.partial-{dead_pid}", f".run.scratch-{dead_pid}-x", ".run2.partial-1"):
        (tmp_path / name).mkdir()
    with atomic_dir(out, overwrite=False) as tmp:  # stale leftovers of "run" removed, not another folder's
        assert sorted(p.name for p in tmp_path.iterdir()) == [tmp.name, ".run2.partial-1"]
    stale = tmp_path / f".run.partial-{dead_pid}"  # a killed run's outputs, and the video it was encoding
    stale.mkdir()
    (stale / "a.txt").write_text("kept")
    (stale / ".video.partial-1.mp4").write_text("half-written")
    with atomic_dir(tmp_path / "run3", overwrite=False, adopt=stale) as adopted:
        assert [p.name for p in adopted.iterdir()] == ["a.txt"]
    assert (tmp_path / "run3" / "a.txt").read_text() == "kept" and not stale.exists()


def test_atomic_dir_keeps_a_resumable_partial_on_interrupt(tmp_path):
    with pytest.raises(KeyboardInterrupt) as interrupted:
        with atomic_dir(tmp_path / "run", overwrite=False, keep_on_interrupt=lambda folder: True) as tmp:
            raise KeyboardInterrupt
    assert interrupted.value.kept_partial == tmp and tmp.is_dir()
    with pytest.raises(KeyboardInterrupt) as interrupted:
        with atomic_dir(tmp_path / "other", overwrite=False, keep_on_interrupt=lambda folder: False) as tmp:
            raise KeyboardInterrupt
    assert not hasattr(interrupted.value, "kept_partial") and not tmp.exists()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_is_one_line_naming_the_path_and_the_space_left(tmp_path, code):
    out = tmp_path / "run"
    with pytest.raises(OutputWriteError) as failed:
        with atomic_dir(out, overwrite=False) as tmp:
            raise OSError(code, os.strerror(code), str(tmp / "frames" / "0007.png"))
    message = str(failed.value)
    assert message.startswith(f"cannot write {tmp}/frames/0007.png: {os.strerror(code)} (")
    assert message.endswith(f" MiB free on that disk); nothing was written to {out}") and "\n" not in message
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(PermissionError):  # not the disk's fault: raised as it is
        with atomic_dir(out, overwrite=False):
            raise PermissionError(errno.EPERM, "Operation not permitted")
