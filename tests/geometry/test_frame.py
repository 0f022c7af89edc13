import numpy as np

from colorize.geometry import VideoFrame


def test_attributes_and_camera_view():
    frame = VideoFrame(index=3, gray=np.zeros((4, 5), np.uint8), depth=np.ones((4, 5)))
    assert frame.attributes() == ["gray", "depth"]
    assert frame.camera_view() is None  # no intrinsics or pose yet
    frame.intrinsics, frame.pose = np.array([5.0, 5.0, 2.0, 1.5]), np.eye(4)
    view = frame.camera_view()
    assert view.depth.dtype == np.float32 and view.depth.shape == (4, 5)
