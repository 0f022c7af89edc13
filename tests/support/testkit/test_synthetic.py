import numpy as np

from colorize.geometry import backproject
from testkit.synthetic import BOX, ROOM, camera_path


def test_rendered_video_shapes_and_return(synthetic_video):
    video = synthetic_video
    assert video.rgb.shape == (48, 120, 160, 3) and video.rgb.dtype == np.uint8
    assert len(video.views) == 48 and video.returned == list(range(33, 48))
    np.testing.assert_allclose(video.views[-1].pose[:3, :3], np.eye(3), atol=1e-12)  # looking the way it started


def test_depth_puts_every_pixel_on_a_wall_or_on_the_box(synthetic_video):
    points, _ = backproject(synthetic_video.views[0])
    on_wall = np.isclose(points, ROOM[0], atol=1e-3).any(axis=1) | np.isclose(points, ROOM[1], atol=1e-3).any(axis=1)
    in_box = ((points >= BOX[0] - 1e-3) & (points <= BOX[1] + 1e-3)).all(axis=1)
    assert (on_wall | in_box).all() and (in_box & ~on_wall).mean() > 0.02


def test_camera_turns_away_and_back():
    yaws = [np.degrees(np.arctan2(pose[0, 2], pose[2, 2])) for pose in camera_path(48)]
    assert max(yaws) > 100 and abs(yaws[0]) < 1e-9 and abs(yaws[-1]) < 1e-9
