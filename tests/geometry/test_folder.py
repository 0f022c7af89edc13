import cv2
import numpy as np
import pytest

from colorize.errors import InputError
from colorize.geometry import read_depth_folder


def test_depth_folder_with_camera_files(tmp_path, synthetic_video):
    views = synthetic_video.views
    np.save(tmp_path / "00000.npy", views[0].depth)
    cv2.imwrite(str(tmp_path / "00001.png"), np.rint(views[1].depth * 1000).astype(np.uint16))
    np.savez(tmp_path / "intrinsics.npz", data=np.stack([views[0].intrinsics, views[1].intrinsics]), inds=[0, 1])
    np.savez(tmp_path / "poses.npz", data=np.stack([views[0].pose, views[1].pose]), inds=[0, 1])
    track = read_depth_folder(tmp_path)
    assert list(track) == [0, 1]
    np.testing.assert_array_equal(track[0].depth, views[0].depth)
    np.testing.assert_allclose(track[1].depth, views[1].depth, atol=5e-4)  # millimetres
    np.testing.assert_allclose(track[1].pose, views[1].pose)


def test_without_camera_files_a_static_camera_with_a_60_degree_view_is_assumed(tmp_path):
    np.save(tmp_path / "7.npy", np.full((10, 20), 2.0, np.float32))
    view = read_depth_folder(tmp_path)[7]
    np.testing.assert_allclose(view.intrinsics, [10 / np.tan(np.radians(30)), 10 / np.tan(np.radians(30)), 9.5, 4.5])
    np.testing.assert_array_equal(view.pose, np.eye(4))


def test_an_empty_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no depth maps"):
        read_depth_folder(tmp_path)
