"""A killed run continues where its last checkpoint left it and ends with the PNGs of an uninterrupted run; a run
with other settings starts over; the propagation state round-trips through a snapshot."""

import functools
import json
import os
import pickle
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import colorize.pipeline.engine as pipeline_module
import colorize.utils.cli as cli_module
from colorize.cli import main
from colorize.data import sample_video
from colorize.errors import InputError
from colorize.inference import EnhancedColorizationInference, InferenceConfig
from colorize.io import iter_frames, read_image, write_png
from colorize.pipeline import VideoColorizationPipeline, resume
from colorize.pipeline.config import OutputConfig
from colorize.propagation import ForwardPropagation, PropagationConfig, Reference, propagate_chroma
from colorize.utils.cli import Terminated

ROOT = Path(__file__).resolve().parents[2]
FRAMES = 80  # bikes: cuts at 30 and 76 (pseudo-keyframes from the prior there)
CONFIG = {"propagation": {"max_side": 160}, "output": {"checkpoint_every": 4, "visualization": False}}
REFERENCE = next(iter_frames(sample_video("bikes"), max_frames=1))  # frame 0's true colors
SETTINGS = ["--max-frames", str(FRAMES), "--max-side", "160", "--set", "output.checkpoint_every=4",
            "--set", "output.visualization=false"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("resume") / "reference.png"
    write_png(path, next(iter_frames(sample_video("bikes"), max_frames=1)))
    return path


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, reference) -> Path:
    out = tmp_path_factory.mktemp("full") / "out"
    assert main([str(sample_video("bikes")), "-o", str(out), "--reference", str(reference), "-q", *SETTINGS]) == 0
    return out


def _same_pngs(out: Path, expected: Path) -> None:
    names = sorted(path.name for path in (expected / "colorized_frames").iterdir())
    assert len(names) == FRAMES and sorted(path.name for path in (out / "colorized_frames").iterdir()) == names
    for folder in ("colorized_frames", "frames"):
        for name in names:
            assert np.array_equal(read_image(out / folder / name), read_image(expected / folder / name)), name


def _count_frames(monkeypatch, interrupt_at: int | None = None, checkpoint: tuple[Path, int] | None = None,
                  interrupt: Callable[[], None] | None = None) -> list[int]:
    """Count the frames the engine colorizes (from now on, in the returned list); Ctrl-C at frame ``interrupt_at``
    (or ``interrupt()``, which may return and let the frame go on), once ``checkpoint`` = (partial folder, frames
    taken) is on disk (the output thread saves it a little later)."""
    calls = []

    def counted(*args):
        if len(calls) == interrupt_at:
            deadline = time.monotonic() + 30
            while checkpoint and (resume.load(checkpoint[0]) or (0, 0))[1] < checkpoint[1]:
                assert time.monotonic() < deadline, f"no checkpoint of {checkpoint[1]} frames in {checkpoint[0]}"
                time.sleep(0.01)
            if interrupt is None:
                raise KeyboardInterrupt
            interrupt()
        calls.append(1)
        return propagate_chroma(*args)

    monkeypatch.setattr(pipeline_module, "propagate_chroma", counted)
    return calls


def test_killed_process_resumes_to_the_same_pngs(tmp_path, reference, uninterrupted):
    target = random.randint(8, 56)  # the checkpoint after which the process is killed (kill -9)
    command = [sys.executable, str(ROOT / "video_colorization_program.py"), str(sample_video("bikes")), "-o",
               str(tmp_path / "out"), "--reference", str(reference), "-q", *SETTINGS]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    while process.poll() is None:
        partials = list(tmp_path.glob(".out.partial-*"))
        checkpoint = resume.load(partials[0]) if partials else None
        if checkpoint is not None and checkpoint[0] >= target:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    assert process.wait(timeout=60) == -signal.SIGKILL, f"finished before frame {target}: {process.stderr.read()}"
    (partial,) = tmp_path.glob(".out.partial-*")
    killed_at = resume.load(partial)[0]

    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"resuming {tmp_path / 'out'} from frame {killed_at}: a killed run" in result.stderr
    assert json.loads((tmp_path / "out" / "run.json").read_text())["resumed_from_frame"] == killed_at >= target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing hidden left beside it
    assert not (tmp_path / "out" / ".resume").exists()
    _same_pngs(tmp_path / "out", uninterrupted)


def test_interrupted_run_with_a_later_keyframe_resumes_in_process(tmp_path, monkeypatch, uninterrupted):
    """Keyframes at 0 and 20 (a backward pass, recomputed on resume); Ctrl-C at frame 27 keeps the partial."""
    frames = list(iter_frames(sample_video("bikes"), max_frames=21))
    keyframes = {0: frames[0], 20: frames[20]}
    VideoColorizationPipeline(tmp_path / "full", config=CONFIG).process_video(sample_video("bikes"),
                                                                              keyframes=keyframes, max_frames=FRAMES)
    calls = _count_frames(monkeypatch, interrupt_at=27, checkpoint=(tmp_path / f".out.partial-{os.getpid()}", 24))
    with pytest.raises(KeyboardInterrupt) as interrupted:
        VideoColorizationPipeline(tmp_path / "out", config=CONFIG).process_video(
            sample_video("bikes"), keyframes=keyframes, max_frames=FRAMES)
    assert interrupted.value.kept_partial.name == f".out.partial-{os.getpid()}"
    assert resume.load(interrupted.value.kept_partial)[0] == 24
    calls = _count_frames(monkeypatch)
    pipeline = VideoColorizationPipeline(tmp_path / "out", config=CONFIG, resume=True)
    pipeline.process_video(sample_video("bikes"), keyframes=keyframes, max_frames=FRAMES)
    assert pipeline.last_report["resumed_from_frame"] == 24 and len(calls) == FRAMES - 24  # frames 0-23 read back
    _same_pngs(tmp_path / "out", tmp_path / "full")


def test_stabilized_run_resumes_with_the_lookahead_it_held(tmp_path, monkeypatch):
    """enhanced_inference's way: propagation through the stabilizer, 8 frames of look-ahead. Ctrl-C at frame 29:
    the checkpoint after 28 frames taken has 20 written, the stabilizer holding 20-27; the resumed run reads 0-19
    back, queues 20-27 again without colorizing them, and ends with the uninterrupted run's PNGs."""
    config = InferenceConfig(propagation=PropagationConfig(max_side=160),
                             output=OutputConfig(checkpoint_every=4, visualization=False))
    assert config.stabilizer.lookahead == 8
    run = functools.partial(EnhancedColorizationInference(device="cpu", config=config).process_video,
                            sample_video("bikes"), model_id="propagation", reference=REFERENCE, max_frames=FRAMES)
    run(output_dir=tmp_path / "full")
    _count_frames(monkeypatch, interrupt_at=29, checkpoint=(tmp_path / f".out.partial-{os.getpid()}", 28))
    with pytest.raises(KeyboardInterrupt) as interrupted:
        run(output_dir=tmp_path / "out")
    assert resume.load(interrupted.value.kept_partial)[:2] == (20, 28)
    calls = _count_frames(monkeypatch)
    report = EnhancedColorizationInference(device="cpu", config=config, resume=True).process_video(
        sample_video("bikes"), tmp_path / "out", "propagation", reference=REFERENCE, max_frames=FRAMES)
    assert report["resumed_from_frame"] == 20 and len(calls) == FRAMES - 28
    _same_pngs(tmp_path / "out", tmp_path / "full")


def test_other_settings_start_over_and_resume_true_needs_a_partial(tmp_path, reference, caplog):
    stale = tmp_path / ".out.partial-999999999"  # no such process
    stale.mkdir()
    resume.start(stale, {"input": "another video"})
    resume.save(stale, 8, b"")
    with pytest.raises(InputError, match="nothing to resume in .*: no killed run into it with the same settings"):
        VideoColorizationPipeline(tmp_path / "out", config=CONFIG, resume=True).process_video(
            sample_video("bikes"), reference=reference, max_frames=8)
    pipeline = VideoColorizationPipeline(tmp_path / "out", config=CONFIG)
    pipeline.process_video(sample_video("bikes"), reference=reference, max_frames=8)
    assert pipeline.last_report["resumed_from_frame"] == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert any("removed 1 stale leftover(s) of killed runs" in message for message in caplog.messages)


def test_a_run_killed_under_another_version_starts_over(tmp_path, monkeypatch, reference):
    """A checkpoint holds the propagator's internal state, whose layout may change between versions: the version is
    part of the fingerprint, so the partial of another version is not continued (and is cleared as stale)."""
    monkeypatch.setattr(pipeline_module, "__version__", "0.0.1")
    _count_frames(monkeypatch, interrupt_at=9, checkpoint=(tmp_path / f".out.partial-{os.getpid()}", 8))
    with pytest.raises(KeyboardInterrupt) as interrupted:
        VideoColorizationPipeline(tmp_path / "out", config=CONFIG).process_video(
            sample_video("bikes"), reference=reference, max_frames=12)
    assert resume.load(interrupted.value.kept_partial)[0] == 8
    monkeypatch.undo()  # this version again, and frames counted no more
    pipeline = VideoColorizationPipeline(tmp_path / "out", config=CONFIG)
    pipeline.process_video(sample_video("bikes"), reference=reference, max_frames=12)
    assert pipeline.last_report["resumed_from_frame"] == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("method", ["anchored", "chain"])
def test_snapshot_restores_the_propagation_state(bikes_frames, method):
    lum8 = [np.ascontiguousarray(frame[::4, ::4, 1]) for frame in bikes_frames[:40]]
    config = PropagationConfig(method=method)
    references = {0: Reference.from_rgb(np.ascontiguousarray(bikes_frames[0][::4, ::4]), lum8[0].shape)}
    first = ForwardPropagation(config, references)
    for frame in lum8[:33]:  # across the cut at 30 (online detection)
        first(frame)
    state = pickle.loads(pickle.dumps(resume.snapshot(first)))
    second = ForwardPropagation(config, references)
    resume.restore(second, state)
    for frame in lum8[33:]:
        assert np.array_equal(first(frame).ab, second(frame).ab)
    assert second.cuts == first.cuts == [30]


def test_a_signal_during_a_frame_stops_before_the_next_one(tmp_path, monkeypatch, reference):
    """The CLI's SIGTERM handler, fired as frame 9's chroma starts: that frame goes on (nothing is raised inside it,
    where a lock may be held), the run stops before frame 10 and keeps its partial to resume."""
    partial = tmp_path / f".out.partial-{os.getpid()}"
    calls = _count_frames(monkeypatch, interrupt_at=8, checkpoint=(partial, 8),
                          interrupt=lambda: cli_module._stop(signal.SIGTERM, None))
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with pytest.raises(Terminated) as stopped:
            VideoColorizationPipeline(tmp_path / "out", config=CONFIG).process_video(
                sample_video("bikes"), reference=reference, max_frames=40)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert len(calls) == 9  # frame 9 went on past the signal (raised there, it would count 8); frame 10 never started
    assert stopped.value.kept_partial == partial and resume.load(partial)[0] == 8
