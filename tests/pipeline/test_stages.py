"""The geometry and semantic stages through VideoColorizationPipeline, on the rendered scene (``synthetic_scene``)."""

import json
import shutil

import numpy as np
import pytest

from colorize.color import resize, rgb_to_lab
from colorize.geometry import CameraView, backproject, read_ply
from colorize.io import read_image
from colorize.models import Colorizer, ModelNeeds
from colorize.pipeline import PipelineConfig, VideoColorizationPipeline
from colorize.pipeline.config import GeometryConfig, OutputConfig
from colorize.pipeline.engine import RunSettings, prepare, run_video
from colorize.pipeline.stages import open_stages

FRAMES = 12


def _run(scene, out, **sections) -> dict:
    config = {"output": {"visualization": False, "save_frames": False}, **sections}
    VideoColorizationPipeline(output_dir=out, device="cpu", config=config).process_video(
        scene.video, reference=scene.reference, max_frames=FRAMES)
    return json.loads((out / "run.json").read_text())


def test_no_stages_by_default(tmp_path):
    assert open_stages(PipelineConfig(), tmp_path / "any.mp4", (120, 160)) is None


def test_depth_folder_without_poses_gives_camera_space_clouds_and_no_reprojection(synthetic_scene, tmp_path):
    folder = tmp_path / "depth"
    shutil.copytree(synthetic_scene.depth, folder, ignore=shutil.ignore_patterns("poses.npz"))
    plain = _run(synthetic_scene, tmp_path / "plain")
    report = _run(synthetic_scene, tmp_path / "out", geometry={"source": f"folder:{folder}"})
    assert plain["stages"] is None
    assert report["stages"]["reprojection"] is False and report["stages"]["point_clouds"] == 2
    for index in range(FRAMES):  # without poses, propagation is the flow's alone: the same frames
        name = f"colorized_frames/{index:04d}.png"
        np.testing.assert_array_equal(read_image(tmp_path / "out" / name), read_image(tmp_path / "plain" / name))
    depth = np.load(folder / "00010.npy")
    with np.load(folder / "intrinsics.npz") as intrinsics:
        expected, _ = backproject(CameraView(depth, intrinsics["data"][10], np.eye(4)))
    np.testing.assert_allclose(read_ply(tmp_path / "out" / "point_clouds" / "0010.ply").points, expected, atol=1e-5)
    maps = tmp_path / "out" / "depth_maps"
    assert (maps / "intrinsics.npz").is_file() and not (maps / "poses.npz").exists()


@pytest.fixture(scope="module")
def metric_depth_model(tmp_path_factory, tiny_depth_model):
    """The tiny Depth Anything with a metric head (sigmoid times 10 m)."""
    from transformers import AutoConfig, DepthAnythingForDepthEstimation

    folder = tmp_path_factory.mktemp("metric_depth")
    config = AutoConfig.from_pretrained(tiny_depth_model)
    config.depth_estimation_type, config.max_depth = "metric", 10
    DepthAnythingForDepthEstimation(config).save_pretrained(folder)
    shutil.copy(tiny_depth_model / "preprocessor_config.json", folder)
    return folder


def test_metric_depth_model_gives_millimetre_maps_and_camera_space_clouds(synthetic_scene, tmp_path,
                                                                          metric_depth_model, one_torch_thread):
    report = _run(synthetic_scene, tmp_path / "out",
                  geometry={"source": "depth-model", "depth_model": str(metric_depth_model), "point_cloud_every": 5})
    assert report["stages"]["depth"] == "metric" and report["stages"]["reprojection"] is False
    assert report["stages"]["point_clouds"] == 3 and report["stages"]["depth_maps"] == FRAMES  # frames 0, 5, 10
    maps = tmp_path / "out" / "depth_maps"
    with np.load(maps / "intrinsics.npz") as intrinsics:  # the assumed 60-degree field of view at 160x120
        np.testing.assert_allclose(intrinsics["data"][0], [80 / np.tan(np.radians(30)), 80 / np.tan(np.radians(30)),
                                                           79.5, 59.5])
    assert not (maps / "poses.npz").exists()
    cloud = read_ply(tmp_path / "out" / "point_clouds" / "0005.ply")
    assert len(cloud.points) == 120 * 160 and (cloud.points[:, 2] > 0).all() and cloud.points[:, 2].max() < 10


class TruthColorizer(Colorizer):
    """Any colorizer other than propagation: here the true chroma of the decoded frames, in batches of 4."""

    name, needs = "truth", ModelNeeds(weights=False, gpu="no", memory_gib=0.0)

    def __init__(self, frames: np.ndarray) -> None:
        self.truth, self.index, self.batch_size = np.stack([rgb_to_lab(f)[..., 1:] for f in frames]), 0, 4

    def colorize(self, lum, conditions=None):
        self.index += len(lum)
        return self.truth[self.index - len(lum):self.index]


def test_stages_run_with_any_colorizer(synthetic_scene, tmp_path):
    """Depth maps and point clouds from the depth folder with a batched colorizer; geometry alone leaves its chroma
    as it was, and the clouds carry its colors (the truth's here) at the working size."""
    frames = synthetic_scene.decoded[:FRAMES]
    stages = PipelineConfig(geometry=GeometryConfig(source=f"folder:{synthetic_scene.depth}", point_cloud_every=5),
                            output=OutputConfig(visualization=False, save_frames=False))
    reports = {}
    for name, settings in (("plain", RunSettings(stages.output)), ("staged", RunSettings(stages.output, stages=stages))):
        job = prepare(synthetic_scene.video, tmp_path / name, max_frames=FRAMES)
        reports[name] = run_video(job, TruthColorizer(frames), settings)
    assert reports["plain"]["stages"] is None
    assert reports["staged"]["stages"]["depth_maps"] == FRAMES and reports["staged"]["stages"]["point_clouds"] == 3
    for index in range(FRAMES):
        name = f"colorized_frames/{index:04d}.png"
        np.testing.assert_array_equal(read_image(tmp_path / "staged" / name), read_image(tmp_path / "plain" / name))
    cloud = read_ply(tmp_path / "staged" / "point_clouds" / "0005.ply")
    truth = resize(frames[5], (120, 160)).reshape(-1, 3).astype(np.float32)
    assert np.abs(cloud.colors.astype(np.float32) - truth).mean() < 3.0  # the colorizer's colors, not gray
