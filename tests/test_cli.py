"""The command line: end to end on a short real clip, and every bad input as one line with exit code 2."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from colorize.cli import main
from colorize.data import sample_video
from colorize.io import iter_frames, write_png
from colorize.utils.testing import write_clip

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    frames = list(iter_frames(sample_video("carphone"), max_frames=8))
    folder = tmp_path_factory.mktemp("cli")
    write_png(folder / "reference.png", frames[0])
    return write_clip(folder / "clip.mp4", frames), folder / "reference.png"


def test_program_end_to_end(tmp_path, clip):
    video, reference = clip
    result = subprocess.run(
        [sys.executable, str(ROOT / "video_colorization_program.py"), str(video), "-o", str(tmp_path / "out"),
         "--reference", str(reference), "--ground-truth", "input", "-q"],
        capture_output=True, text=True, env={**os.environ, "COLORIZE_NO_PROGRESS": "1"}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "PSNR" in result.stdout and (tmp_path / "out" / "final_colorized_video.mp4").is_file()
    assert (tmp_path / "out" / "run.json").is_file()


def test_console_command_is_installed(tmp_path, clip):
    command = Path(sys.executable).parent / "colorize"
    assert command.is_file(), "pip install -e . installs the `colorize` command"
    video, reference = clip
    result = subprocess.run([str(command), str(video), "--output", str(tmp_path / "out"), "--reference",
                             str(reference), "--set", "output.visualization=false", "-q"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "visualization").exists()


def test_demo_reports_quality(tmp_path, capsys):
    assert main(["--demo", "--sample", "carphone", "--max-frames", "6", "-o", str(tmp_path / "demo"), "-q"]) == 0
    assert "quality vs true colours: PSNR" in capsys.readouterr().out


def _bad_inputs(tmp_path, video, reference):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "run.json").write_text("{}")
    return {
        "missing video": ([str(tmp_path / "nope.mp4"), "-o", str(tmp_path / "o"), "--reference", reference],
                          "video not found"),
        "not a video": ([str(text), "-o", str(tmp_path / "o"), "--reference", reference], "not a readable video"),
        "empty file": ([str(empty), "-o", str(tmp_path / "o"), "--reference", reference], "not a readable video"),
        "missing reference": ([video, "-o", str(tmp_path / "o"), "--reference", str(tmp_path / "no.png")],
                              "image not found"),
        "no colour source": ([video, "-o", str(tmp_path / "o")], "--reference"),
        "keyframe past the end": ([video, "-o", str(tmp_path / "o"), "--reference", reference,
                                   "--reference-frame", "50"], "outside the video"),
        "previous run": ([video, "-o", str(previous), "--reference", reference], "--overwrite"),
        "unknown setting": ([video, "-o", str(tmp_path / "o"), "--reference", reference, "--set", "flow.speed=3"],
                            "unknown config key"),
        "missing keyframe folder": ([video, "-o", str(tmp_path / "o"), "--keyframes", str(tmp_path / "keys")],
                                    "keyframe folder not found"),
    }


@pytest.mark.parametrize("case", ["missing video", "not a video", "empty file", "missing reference",
                                  "no colour source", "keyframe past the end", "previous run", "unknown setting",
                                  "missing keyframe folder"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, clip, capsys, case):
    video, reference = clip
    argv, message = _bad_inputs(tmp_path, str(video), str(reference))[case]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err
    assert not (tmp_path / "o").exists()


def test_bad_input_from_a_real_process_has_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "colorize", str(tmp_path / "nope.mp4"), "-o", str(tmp_path / "o"),
                             "--reference", str(tmp_path / "r.png")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: video not found") and "Traceback" not in result.stderr
