"""VideoColorizationPipeline end to end on a short real clip: outputs, luminance, audio, streaming, bad input."""

import hashlib
import json
import logging
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from colorize.color import rgb_to_lab, rgb_to_luminance
from colorize.errors import ColorizeError, InputError
from colorize.io import iter_frames, probe_video, read_image, write_png
from colorize.metrics import psnr
from colorize.pipeline import VideoColorizationPipeline
from colorize.propagation.frames import colorize_frames
from testkit.clips import decode_audio, dominant_hz

NUM_FRAMES = 16


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def run(tmp_path_factory, clip_with_tone, decoded_clip):
    """One full run with frame 0's true colors as reference and the input as ground truth."""
    out = tmp_path_factory.mktemp("run") / "out"
    before = _sha(clip_with_tone)
    final = VideoColorizationPipeline(output_dir=out, device="cpu").process_video(
        clip_with_tone, reference=decoded_clip[0], ground_truth="input")
    return out, final, before


def test_writes_the_documented_layout(run):
    out, final, _ = run
    assert final == out / "final_colorized_video.mp4"
    assert sorted(p.name for p in (out / "frames").iterdir()) == [f"{i:04d}.png" for i in range(NUM_FRAMES)]
    assert len(list((out / "colorized_frames").glob("*.png"))) == NUM_FRAMES
    assert (out / "visualization" / "contact_sheet.png").is_file()
    side = probe_video(out / "visualization" / "side_by_side.mp4")
    assert side.num_frames == NUM_FRAMES and side.width > 2 * 176  # input | colorized | ground truth
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no partial leftovers


def test_final_video_keeps_rate_size_and_audio(run):
    _, final, _ = run
    info = probe_video(final)
    assert (info.width, info.height, info.fps, info.num_frames, info.has_audio) == (176, 144, 24, NUM_FRAMES, True)
    _, rate, samples = decode_audio(final)
    assert abs(dominant_hz(samples, rate) - 440.0) < 5.0
    assert abs(len(samples) / rate - NUM_FRAMES / 24) < 0.1


def test_input_is_not_modified(run, clip_with_tone):
    assert _sha(clip_with_tone) == run[2]


def test_luminance_is_the_input_luminance(run, decoded_clip):
    out, _, _ = run
    for index in (0, 7, 15):
        colorized = read_image(out / "colorized_frames" / f"{index:04d}.png")
        diff = np.abs(rgb_to_luminance(colorized) - rgb_to_luminance(decoded_clip[index]))
        assert diff.mean() < 0.3 and diff.max() < 1.5  # L in [0, 100]; uint8 RGB rounding only


def test_report_figures_match_the_written_frames(run, decoded_clip):
    out, _, _ = run
    report = json.loads((out / "run.json").read_text())
    assert report["frames"] == NUM_FRAMES and report["keyframes"] == [0] and report["timing"]["fps"] > 0
    written = np.stack([read_image(out / "colorized_frames" / f"{i:04d}.png") for i in range(NUM_FRAMES)])
    recomputed = psnr(written[1:], np.stack(decoded_clip[1:]))
    assert report["quality"]["psnr_propagated_frames"] == pytest.approx(recomputed, abs=1e-3)
    assert report["quality"]["psnr_propagated_frames"] > 30.0  # measured 36.4 dB on these frames


def test_report_says_where_the_time_went(run):
    out, _, _ = run
    timing = json.loads((out / "run.json").read_text())["timing"]
    stages = timing["stages"]
    assert set(stages) == {"main", "output", "scoring"}  # this run scores against its ground truth
    assert {"reading", "colorizing", "reading ground truth"} <= set(stages["main"])
    assert {"composing", "writing"} <= set(stages["output"]) and set(stages["scoring"]) == {"scoring"}
    assert all(seconds > 0 for group in stages.values() for seconds in group.values())
    # The main thread's stages run one after another inside the run: together no longer than it.
    assert sum(stages["main"].values()) <= timing["seconds"]


def test_refuses_a_previous_run_and_replaces_it_with_overwrite(run, clip_with_tone, decoded_clip):
    out, _, _ = run
    with pytest.raises(InputError, match="previous run"):
        VideoColorizationPipeline(output_dir=out).process_video(clip_with_tone, reference=decoded_clip[0])
    marker = out / "frames" / "0000.png"
    stamp = marker.stat().st_mtime_ns
    VideoColorizationPipeline(output_dir=out, overwrite=True).process_video(clip_with_tone, reference=decoded_clip[0])
    assert marker.stat().st_mtime_ns != stamp and not (out / "visualization" / "side_by_side.mp4").stat().st_size == 0


@pytest.mark.parametrize("where, stage", [("engine", "propagate_chroma"),  # in the main thread
                                          ("run", "compose_lab"),  # in the output thread
                                          ("outputs", "write_png")])  # in a PNG thread
def test_a_failure_leaves_no_output(tmp_path, clip_with_tone, decoded_clip, monkeypatch, where, stage):
    import importlib

    module = importlib.import_module(f"colorize.pipeline.{where}")

    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("disk full")
        return original(*args)

    original = getattr(module, stage)
    monkeypatch.setattr(module, stage, failing)
    with pytest.raises(RuntimeError, match="disk full"):
        VideoColorizationPipeline(output_dir=tmp_path / "out").process_video(clip_with_tone, reference=decoded_clip[0])
    assert list(tmp_path.iterdir()) == []


def test_keyframe_folder_and_resized_reference(tmp_path, clip_with_tone, decoded_clip, caplog):
    keys = tmp_path / "keys"
    keys.mkdir()
    write_png(keys / "0000.png", cv2.resize(decoded_clip[0], (352, 288)))  # another size: resized, with a note
    write_png(keys / "0012.png", decoded_clip[12])
    with caplog.at_level(logging.WARNING, logger="colorize"):
        pipeline = VideoColorizationPipeline(output_dir=tmp_path / "out")
        pipeline.process_video(clip_with_tone, keyframes=keys, ground_truth="input")
    assert "352x288" in caplog.text and "resized" in caplog.text
    assert pipeline.last_report["keyframes"] == [0, 12]
    assert pipeline.last_report["quality"]["psnr_propagated_frames"] > 30.0


@pytest.mark.parametrize("kwargs, error, message", [
    ({}, ColorizeError, "--reference"),
    ({"keyframes": {99: np.zeros((144, 176, 3), np.uint8)}}, InputError, "outside the video"),
])
def test_bad_color_sources(tmp_path, clip_with_tone, kwargs, error, message, empty_cache):
    with pytest.raises(error, match=message):
        VideoColorizationPipeline(output_dir=tmp_path / "out").process_video(clip_with_tone, **kwargs)
    assert not (tmp_path / "out").exists()


@pytest.fixture
def small_models(monkeypatch):
    """Models with weights generate at 64 px in 2 steps (the tests' tiny pipelines; 512 px takes minutes on 2 cores)."""
    from colorize.models import ColorizerSettings

    monkeypatch.setattr(VideoColorizationPipeline, "_settings", lambda self: ColorizerSettings(
        device="cpu", inference_steps=self.config.inference_steps, resolution=64, batch_size=2))


def test_without_a_reference_the_recommended_model_with_weights_on_disk_runs(tmp_path, clip_with_tone, offline,
                                                                            small_models):
    # Tiny randomly initialised pipelines under the real model ids in an offline Hugging Face cache (``offline``).
    pipeline = VideoColorizationPipeline(output_dir=tmp_path / "out", device="cpu", config={"inference_steps": 2})
    final = pipeline.process_video(clip_with_tone, max_frames=3)
    report = pipeline.last_report
    assert report["model"] == "controlnet_colorization" and report["frames"] == 3 and report["temporal"] is not None
    lum_in = [rgb_to_luminance(frame) for frame in iter_frames(clip_with_tone, max_frames=3)]
    written = sorted((tmp_path / "out" / "colorized_frames").iterdir())
    for path, lum in zip(written, lum_in, strict=True):
        colorized = read_image(path)
        assert np.abs(rgb_to_luminance(colorized) - lum).max() < 1.5  # the luminance is kept
        assert np.abs(rgb_to_lab(colorized)[..., 1:]).mean() > 0.5  # and it has chroma of the model's own
    assert final == tmp_path / "out" / "final_colorized_video.mp4" and final.is_file()


def test_a_configured_model_runs_in_the_pipeline(tmp_path, clip_with_tone, decoded_clip, offline, small_models):
    config = {"colorization_model": "stable_diffusion_inpaint", "inference_steps": 2}
    pipeline = VideoColorizationPipeline(output_dir=tmp_path / "out", device="cpu", config=config)
    pipeline.process_video(clip_with_tone, reference=decoded_clip[0], max_frames=2)
    assert pipeline.last_report["model"] == "stable_diffusion_inpaint" and pipeline.last_report["frames"] == 2


@pytest.mark.parametrize("model_id", ["gray", "copy", "chain"])
def test_a_configured_baseline_runs_its_own_method_not_anchored(tmp_path, clip_with_tone, decoded_clip, model_id):
    # colorization_model: gray ran the config's propagation method (anchored), as the inference engine once did.
    from colorize.models.propagation import propagation_config
    from colorize.propagation.frames import colorize_sequence

    frames = decoded_clip[:6]
    pipeline = VideoColorizationPipeline(output_dir=tmp_path / "out", device="cpu",
                                         config={"colorization_model": model_id})
    pipeline.process_video(clip_with_tone, reference=frames[0], max_frames=len(frames))
    written = [read_image(path) for path in sorted((tmp_path / "out" / "colorized_frames").iterdir())]

    def expected(model: str) -> list[np.ndarray]:
        return list(colorize_sequence(lambda: iter(frames), {0: frames[0]}, len(frames), propagation_config(model)))

    assert len(written) == len(frames)
    assert max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(written, expected(model_id))) <= 1
    assert max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(written, expected("propagation"))) > 5


def test_single_frames_without_a_reference_use_the_recommended_model(decoded_clip, offline, small_models):
    pipeline = VideoColorizationPipeline(device="cpu", config={"inference_steps": 2})
    gray = cv2.cvtColor(decoded_clip[0], cv2.COLOR_RGB2GRAY)
    bgr = pipeline.colorize_single_frame(gray)
    assert bgr.shape == (144, 176, 3) and pipeline._live == "controlnet_colorization"
    lab = rgb_to_lab(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    kept = np.abs(lab[..., 0] - rgb_to_luminance(gray))  # the gray frame's L, up to rounding and gamut clipping
    assert kept.mean() < 0.5 and np.abs(lab[..., 1:]).mean() > 0.5


def test_streaming_matches_offline_and_keeps_state(decoded_clip, empty_cache):
    pipeline = VideoColorizationPipeline(device="cpu")
    with pytest.raises(ColorizeError, match="set_reference"):
        pipeline.colorize_single_frame(decoded_clip[0])
    pipeline.set_reference(cv2.cvtColor(decoded_clip[0], cv2.COLOR_RGB2BGR))
    gray = [cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY) for frame in decoded_clip[:8]]
    streamed = [pipeline.colorize_single_frame(frame) for frame in gray]
    assert all(frame.shape == (144, 176, 3) and frame.dtype == np.uint8 for frame in streamed)
    offline = list(colorize_frames(gray, decoded_clip[0], pipeline.config.propagation))
    for bgr, rgb in zip(streamed, offline):
        np.testing.assert_array_equal(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), rgb)
    # state is kept: a fresh pipeline fed only frame 7 does not reproduce the streamed frame 7
    fresh = VideoColorizationPipeline(device="cpu")
    fresh.set_reference(cv2.cvtColor(decoded_clip[0], cv2.COLOR_RGB2BGR))
    assert not np.array_equal(fresh.colorize_single_frame(gray[7]), streamed[7])


def test_colorizing_without_ground_truth_does_not_import_torch(tmp_path, clip_with_tone, decoded_clip):
    # torch (through the metrics) costs seconds and ~0.8 GB at start-up; propagation does not need it.
    write_png(tmp_path / "reference.png", decoded_clip[0])
    script = (
        "import sys\n"
        "from colorize import VideoColorizationPipeline\n"
        f"VideoColorizationPipeline(output_dir={str(tmp_path / 'out')!r}).process_video(\n"
        f"    {str(clip_with_tone)!r}, reference={str(tmp_path / 'reference.png')!r}, max_frames=3)\n"
        "print('torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "COLORIZE_NO_PROGRESS": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("keyframe", [0, 9])  # one pass; a backward pass from frame 9 as well
def test_each_step_is_given_the_frame_after_it(tmp_path, clip_with_tone, decoded_clip, monkeypatch, keyframe):
    # The frame loop reads one frame ahead so that the propagator can start on the next frame's flow early: before
    # every step but the last of a pass, the propagator is told exactly the frame its next step will get.
    from colorize.propagation import AnchoredPropagator

    calls, told = [], {}
    step, prefetch = AnchoredPropagator.step, AnchoredPropagator.prefetch

    def recorded_step(self, lum8):
        calls.append((self, lum8, told.pop(id(self), None)))
        return step(self, lum8)

    def recorded_prefetch(self, upcoming):
        told[id(self)] = upcoming
        prefetch(self, upcoming)

    monkeypatch.setattr(AnchoredPropagator, "step", recorded_step)
    monkeypatch.setattr(AnchoredPropagator, "prefetch", recorded_prefetch)
    VideoColorizationPipeline(output_dir=tmp_path / "out", device="cpu").process_video(
        clip_with_tone, reference=decoded_clip[keyframe], reference_frame=keyframe)
    passes = {}
    for propagator, lum8, upcoming in calls:
        passes.setdefault(id(propagator), []).append((lum8, upcoming))
    lengths = [NUM_FRAMES - 1] if keyframe == 0 else [keyframe, NUM_FRAMES - 1 - keyframe]  # backward, forward
    assert sorted(len(steps) for steps in passes.values()) == sorted(lengths)
    for steps in passes.values():
        for (_, upcoming), (following, _) in zip(steps, steps[1:]):
            np.testing.assert_array_equal(upcoming, following)
        assert steps[-1][1] is None  # the last frame of the pass: nothing after it
