"""ViPE's output written the way ``vipe/utils/io.py`` (``save_artifacts``) writes it, then read back."""

import tempfile
import zipfile

import cv2
import numpy as np
import pytest

from colorize.errors import InputError
from colorize.geometry import ViPEOutput, find_vipe_outputs

OpenEXR = pytest.importorskip("OpenEXR")
Imath = pytest.importorskip("Imath")


def _write_vipe(root, name, views, pose_frames, depth_frames, masks=None):
    """As ViPE's save_pose/intrinsics/depth_artifacts: npz (data, inds) and a zip of half-float EXRs (channel Z)."""
    (root / "pose").mkdir(parents=True)
    (root / "intrinsics").mkdir()
    (root / "depth").mkdir()
    np.savez(root / "pose" / f"{name}.npz", data=np.stack([views[i].pose for i in pose_frames]),
             inds=np.array(pose_frames))
    np.savez(root / "intrinsics" / f"{name}.npz", data=np.stack([views[i].intrinsics for i in range(len(views))]),
             inds=np.arange(len(views)))
    with zipfile.ZipFile(root / "depth" / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for index in depth_frames:
            height, width = views[index].depth.shape
            header = OpenEXR.Header(width, height)
            header["channels"] = {"Z": Imath.Channel(Imath.PixelType(Imath.PixelType.HALF))}
            with tempfile.NamedTemporaryFile(suffix=".exr") as file:
                exr = OpenEXR.OutputFile(file.name, header)
                exr.writePixels({"Z": views[index].depth.astype(np.float16).tobytes()})
                exr.close()
                archive.write(file.name, f"{index:05d}.exr")
    if masks is not None:
        (root / "mask").mkdir()
        with zipfile.ZipFile(root / "mask" / f"{name}.zip", "w") as archive:
            for index, mask in masks.items():
                archive.writestr(f"{index:05d}.png", cv2.imencode(".png", mask)[1].tobytes())


def test_reads_back_depth_intrinsics_poses_and_skips_missing_frames(tmp_path, synthetic_video):
    views = synthetic_video.views[:6]
    mask = np.zeros((120, 160), np.uint8)
    mask[10:20, 30:50] = 3
    _write_vipe(tmp_path, "clip", views, pose_frames=[0, 1, 3, 4, 5], depth_frames=[0, 1, 2, 3, 5], masks={1: mask})
    [output] = find_vipe_outputs(tmp_path)
    assert output.name == "clip"
    track = output.track()
    assert list(track) == [0, 1, 3, 5] and 2 not in track and 4 not in track  # no pose for 2, no depth for 4
    with pytest.raises(KeyError):
        track[2]
    view = track[3]
    assert view.depth.dtype == np.float32 and view.depth.shape == (120, 160)
    np.testing.assert_allclose(view.depth, views[3].depth, rtol=1e-3)  # half floats: 11-bit mantissa
    np.testing.assert_allclose(view.pose, views[3].pose)
    np.testing.assert_allclose(view.intrinsics, views[3].intrinsics)
    masks = output.instance_masks()
    assert list(masks) == [1] and np.array_equal(masks[1], mask)


def test_missing_artifact_is_a_one_line_input_error(tmp_path):
    (tmp_path / "pose").mkdir()
    np.savez(tmp_path / "pose" / "clip.npz", data=np.eye(4)[None], inds=np.array([0]))
    with pytest.raises(InputError, match=r"no intrinsics/clip\.npz"):
        ViPEOutput(tmp_path, "clip").track()


def test_wrong_npz_layout_is_reported(tmp_path, synthetic_video):
    _write_vipe(tmp_path, "clip", synthetic_video.views[:2], pose_frames=[0, 1], depth_frames=[0, 1])
    np.savez(tmp_path / "pose" / "clip.npz", data=np.zeros((2, 3, 4)), inds=np.arange(2))
    with pytest.raises(InputError, match=r"expected data \(N, 4, 4\)"):
        ViPEOutput(tmp_path, "clip").track()
