import cv2
import numpy as np

from colorize.geometry import DepthMapWriter, inverse_depth_preview, read_depth_folder


def test_metric_maps_read_back_as_a_depth_folder(tmp_path, synthetic_video):
    views = synthetic_video.views[:3]
    writer = DepthMapWriter(tmp_path / "depth_maps", digits=4)
    for index, view in enumerate(views):
        writer.write(index, view.depth, intrinsics=view.intrinsics, pose=view.pose if index != 1 else None)
    writer.close()
    assert writer.count == 3
    assert sorted(p.name for p in (tmp_path / "depth_maps" / "preview").iterdir()) == ["0000.png", "0001.png",
                                                                                       "0002.png"]
    track = read_depth_folder(tmp_path / "depth_maps")
    assert list(track) == [0, 2]  # frame 1 had no pose
    np.testing.assert_allclose(track[2].depth, views[2].depth, atol=0.5e-3)  # millimetres
    np.testing.assert_allclose(track[2].pose, views[2].pose)
    np.testing.assert_allclose(track[0].intrinsics, views[0].intrinsics)


def test_relative_maps_are_normalised_inverse_depth_and_unknown_is_zero(tmp_path):
    inverse = np.array([[0.5, 1.0], [2.0, np.nan]], np.float32)
    writer = DepthMapWriter(tmp_path)
    writer.write(7, inverse, relative=True)
    writer.close()
    levels = cv2.imread(str(tmp_path / "0007.png"), cv2.IMREAD_UNCHANGED)
    assert levels.dtype == np.uint16 and levels.tolist() == [[1, 21846], [65535, 0]]
    assert not (tmp_path / "intrinsics.npz").exists() and not (tmp_path / "poses.npz").exists()


def test_preview_is_near_red_far_blue_unknown_black():
    inverse = np.array([[1.0, 0.1, 0.0]], np.float32)
    preview = inverse_depth_preview(inverse)
    near, far, unknown = preview[0]
    assert near[0] > near[2] and far[2] > far[0] and unknown.tolist() == [0, 0, 0]
    assert inverse_depth_preview(np.zeros((2, 2), np.float32)).max() == 0
