"""All-or-nothing output files and folders."""

import pytest

from colorize.errors import InputError
from colorize.io import atomic_dir, atomic_file, check_output_dir


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
