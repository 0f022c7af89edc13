"""The command line: end to end on a short real clip, and every bad input as one line with exit code 2; 3D guidance
and semantics end to end on the rendered scene of testkit.synthetic (tiny random models for the weights)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from colorize.cli import main
from colorize.data import sample_video
from colorize.geometry import read_depth_folder, read_ply
from colorize.io import iter_frames, read_image, write_png
from colorize.metrics import psnr
from testkit.clips import write_clip
from testkit.vipe import write_vipe_output

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
    assert "quality vs true colors: PSNR" in capsys.readouterr().out


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
        "no color source": ([video, "-o", str(tmp_path / "o")], "--reference"),
        "keyframe past the end": ([video, "-o", str(tmp_path / "o"), "--reference", reference,
                                   "--reference-frame", "50"], "outside the video"),
        "previous run": ([video, "-o", str(previous), "--reference", reference], "--overwrite"),
        "unknown setting": ([video, "-o", str(tmp_path / "o"), "--reference", reference, "--set", "flow.speed=3"],
                            "unknown config key"),
        "missing keyframe folder": ([video, "-o", str(tmp_path / "o"), "--keyframes", str(tmp_path / "keys")],
                                    "keyframe folder not found"),
    }


@pytest.mark.parametrize("case", ["missing video", "not a video", "empty file", "missing reference",
                                  "no color source", "keyframe past the end", "previous run", "unknown setting",
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


# ---------------------------------------------------------------- 3D guidance and semantics (--geometry, --semantic)
@pytest.fixture(scope="module")
def scene(synthetic_scene):
    """The rendered scene as a video with a depth folder (``synthetic_scene`` in tests/conftest.py)."""
    return synthetic_scene


def _colorize(scene, out, *options) -> dict:
    """Run the CLI on the scene (no visualization: faster) and return its run.json."""
    argv = [str(scene.video), "-o", str(out), "--reference", str(scene.reference), "--set",
            "output.visualization=false", "-q", *options]
    assert main(argv) == 0
    return json.loads((out / "run.json").read_text())


def _psnr_after_return(scene, out) -> float:
    """Mean PSNR (dB) of the colorized frames after the camera's return against the decoded input's colors."""
    return float(np.mean([psnr(read_image(out / "colorized_frames" / f"{index:04d}.png"), scene.decoded[index])
                          for index in scene.returned]))


@pytest.fixture(scope="module")
def flow_only(scene, tmp_path_factory):
    out = tmp_path_factory.mktemp("flow_only") / "out"
    report = _colorize(scene, out, "--geometry", "none")
    assert report["stages"] is None and not (out / "depth_maps").exists()
    return _psnr_after_return(scene, out)


def test_geometry_folder_beats_flow_only_after_the_camera_returns(scene, flow_only, tmp_path, capsys):
    out = tmp_path / "out"
    report = _colorize(scene, out, "--geometry", f"folder:{scene.depth}")
    assert "depth_maps/" in capsys.readouterr().out  # the summary lists the folders written
    guided = _psnr_after_return(scene, out)
    assert guided >= flow_only + 3.0, (guided, flow_only)  # 21.6 to 22.1 vs 17.7 to 17.8 dB (x264 varies)
    assert report["stages"] == {"geometry": f"folder:{scene.depth}", "camera_frames": 48, "reprojection": True,
                                "depth": "metric", "depth_maps": 48, "point_clouds": 5, "semantic": "none"}
    assert sorted(p.name for p in (out / "point_clouds").iterdir()) == [f"{i:04d}.ply" for i in (0, 10, 20, 30, 40)]
    cloud = read_ply(out / "point_clouds" / "0020.ply")
    assert len(cloud.points) == 120 * 160 and cloud.labels is None
    # The cloud carries the output colors: the colorized frame's pixels, in order.
    colorized = read_image(out / "colorized_frames" / "0020.png").reshape(-1, 3).astype(int)
    assert np.abs(cloud.colors.astype(int) - colorized).mean() < 1.0
    # depth_maps/ is itself a depth folder (millimetres, cameras): it reads back as the geometry it came from.
    track = read_depth_folder(out / "depth_maps")
    assert len(track) == 48 and (out / "depth_maps" / "preview" / "0047.png").is_file()
    np.testing.assert_allclose(track[30].depth, np.load(scene.depth / "00030.npy"), atol=0.5e-3)
    with np.load(scene.depth / "poses.npz") as poses:
        np.testing.assert_allclose(track[30].pose, poses["data"][30])


def test_geometry_vipe_without_the_keyframe_pose_is_flow_only(scene, synthetic_video, flow_only, tmp_path):
    pytest.importorskip("OpenEXR")
    write_vipe_output(tmp_path / "vipe_results", "scene", synthetic_video.views, pose_frames=range(1, 48))
    out = tmp_path / "out"
    report = _colorize(scene, out, "--geometry", "vipe", "--vipe-dir", str(tmp_path / "vipe_results"),
                       "--set", "geometry.point_cloud_every=0")
    assert report["stages"]["camera_frames"] == 47 and report["stages"]["reprojection"]
    assert not (out / "point_clouds").exists() and len(list((out / "depth_maps").glob("*.png"))) == 47
    # ViPE dropped frame 0, the keyframe: no point has a color to reproject, so the flow's output is kept everywhere.
    assert abs(_psnr_after_return(scene, out) - flow_only) < 0.01


def test_geometry_vipe_beats_flow_only(scene, synthetic_video, flow_only, tmp_path):
    pytest.importorskip("OpenEXR")
    write_vipe_output(tmp_path / "vipe", "scene", synthetic_video.views, depth_frames=[i for i in range(48) if i != 40])
    out = tmp_path / "out"
    report = _colorize(scene, out, "--geometry", "vipe", "--vipe-dir", str(tmp_path / "vipe"),
                       "--set", "geometry.depth_maps=false", "--set", "geometry.point_cloud_every=0")
    assert report["stages"]["camera_frames"] == 47 and not (out / "depth_maps").exists()
    assert _psnr_after_return(scene, out) >= flow_only + 3.0  # half-float depth, frame 40 without it


def test_geometry_vipe_without_output_or_vipe_is_one_line(scene, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `vipe` command
    assert main([str(scene.video), "-o", str(tmp_path / "o"), "--reference", str(scene.reference),
                 "--geometry", "vipe", "--vipe-dir", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --geometry vipe: no ViPE output for scene") and "\n" not in err
    assert "`vipe infer" in err and not (tmp_path / "o").exists()


def test_semantic_masks_labelled_clouds_and_an_unchanged_keyframe(scene, tmp_path, geometry_offline,
                                                                 one_torch_thread):
    plain, out = tmp_path / "plain", tmp_path / "out"
    _colorize(scene, plain, "--max-frames", "12")
    report = _colorize(scene, out, "--max-frames", "12", "--semantic", "upernet", "--geometry",
                       f"folder:{scene.depth}")
    assert report["stages"]["semantic"] == "upernet" and report["stages"]["point_clouds"] == 2
    masks = [cv2.imread(str(out / "semantic_masks" / f"{i:04d}.png"), cv2.IMREAD_UNCHANGED) for i in range(12)]
    assert all(mask.shape == (120, 160) and mask.dtype == np.uint8 and mask.max() < 5 for mask in masks)
    cloud = read_ply(out / "point_clouds" / "0010.ply")
    np.testing.assert_array_equal(cloud.labels, masks[10].reshape(-1))
    # Frame 0 is the keyframe: its exact colors are never pulled by the semantic consistency.
    np.testing.assert_array_equal(read_image(out / "colorized_frames" / "0000.png"),
                                  read_image(plain / "colorized_frames" / "0000.png"))


def test_depth_model_writes_relative_depth_maps_only(scene, tmp_path, geometry_offline, one_torch_thread):
    out = tmp_path / "out"
    report = _colorize(scene, out, "--max-frames", "6", "--geometry", "depth-model")
    assert report["stages"] == {"geometry": "depth-model", "camera_frames": 0, "reprojection": False,
                                "depth": "relative inverse depth", "depth_maps": 6, "point_clouds": 0,
                                "semantic": "none"}
    levels = cv2.imread(str(out / "depth_maps" / "0003.png"), cv2.IMREAD_UNCHANGED)
    assert levels.dtype == np.uint16 and levels.shape == (120, 160) and levels.max() == 65535 and levels.min() == 1
    assert not (out / "point_clouds").exists() and not (out / "depth_maps" / "poses.npz").exists()


def test_missing_segmentation_weights_are_one_line(scene, tmp_path, empty_cache, capsys):
    assert main([str(scene.video), "-o", str(tmp_path / "o"), "--reference", str(scene.reference),
                 "--semantic", "upernet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: segmentation model: weights of openmmlab/upernet-convnext-small are not in")
    assert "hf download openmmlab/upernet-convnext-small" in err and "\n" not in err
    assert not (tmp_path / "o").exists()


def test_missing_depth_weights_from_a_real_process(scene, tmp_path):
    (tmp_path / "cache").mkdir()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(tmp_path / "cache"), "COLORIZE_NO_PROGRESS": "1"}
    result = subprocess.run([sys.executable, str(ROOT / "video_colorization_program.py"), str(scene.video), "-o",
                             str(tmp_path / "o"), "--reference", str(scene.reference), "--geometry", "depth-model"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: depth model: weights of LiheYoung/depth-anything-small-hf are not in the local")
    assert "hf download LiheYoung/depth-anything-small-hf" in line and not (tmp_path / "o").exists()


@pytest.mark.parametrize("source, message", [("points", "geometry source must be one of none, vipe, depth-model"),
                                             ("folder:", "geometry source must be one of"),
                                             ("folder:/nowhere", "no depth maps")])
def test_bad_geometry_source_is_one_line(scene, tmp_path, capsys, source, message):
    assert main([str(scene.video), "-o", str(tmp_path / "o"), "--reference", str(scene.reference),
                 "--geometry", source]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err
