"""Entry points under faults: SIGTERM and Ctrl-C stop within a second (143 / 130) keeping a resumable partial, a
write error of the disk is one line, --clean removes what killed runs left, -q / --progress switch the bars."""

import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import colorize.utils.progress as progress_module
from colorize.cli import main
from colorize.data import sample_video
from colorize.io import iter_frames, write_png
from colorize.pipeline import resume

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def command(tmp_path_factory):
    """The program on 200 frames of bikes at a 160 px working size, checkpoints every 4 frames; append -o OUT."""
    reference = tmp_path_factory.mktemp("cli_faults") / "reference.png"
    write_png(reference, next(iter_frames(sample_video("bikes"), max_frames=1)))
    return [sys.executable, str(ROOT / "video_colorization_program.py"), str(sample_video("bikes")), "--reference",
            str(reference), "--max-frames", "200", "--max-side", "160", "--set", "output.checkpoint_every=4", "-q"]


@pytest.mark.parametrize("sig, status, word",
                         [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")])
def test_signal_stops_within_a_second_and_keeps_the_partial_to_resume(tmp_path, command, capsys, sig, status, word):
    process = subprocess.Popen([*command, "-o", str(tmp_path / "out")], stderr=subprocess.PIPE, text=True)
    while process.poll() is None and not any(resume.load(path) for path in tmp_path.glob(".out.partial-*")):
        time.sleep(0.01)
    sent = time.perf_counter()
    process.send_signal(sig)
    assert process.wait(timeout=30) == status
    assert time.perf_counter() - sent < 1.0
    (partial,) = tmp_path.glob(".out.partial-*")
    lines = process.stderr.read().strip().splitlines()
    assert lines[-1] == f"{word}: partial output kept in {partial} (the same command resumes it; --clean removes it)"
    assert "Traceback" not in "\n".join(lines) and not (tmp_path / "out").exists()

    assert main(["--clean", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.startswith(f"removed 1 leftover(s) of killed runs beside {tmp_path / 'out'}")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, command):
    """Files limited to 200 kB (RLIMIT_FSIZE): the write fails in the real process as on a full disk."""
    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    result = subprocess.run([*command, "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120,
                            preexec_fn=limit_file_size)
    assert result.returncode == 2
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"error: cannot write {tmp_path}/.out.partial-") and ": File too large (" in line
    assert line.endswith(f" MiB free on that disk); nothing was written to {tmp_path / 'out'}")
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag, shown", [("-q", False), ("--progress", True)])
def test_quiet_silences_progress_bars_and_progress_forces_them(tmp_path, capsys, monkeypatch, flag, shown):
    monkeypatch.setattr(progress_module, "disable_progress_bar", None)  # default: bars only on a terminal
    argv = ["--demo", "--sample", "carphone", "--max-frames", "3", "-o", str(tmp_path / "demo"), flag]
    assert main(argv) == 0
    assert ("colorizing (propagation): 100%" in capsys.readouterr().err) is shown  # stderr is not a terminal here
