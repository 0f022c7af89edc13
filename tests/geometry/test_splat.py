import numpy as np

from colorize.geometry import splat


def test_nearest_surface_wins_and_empty_pixels_stay_empty():
    pixels = np.array([[2.0, 1.0], [2.0, 1.0], [0.0, 0.0]])
    depth = np.array([3.0, 1.0, 2.0])
    values = np.array([[10.0], [20.0], [30.0]])
    image, zbuffer = splat(pixels, depth, values, (4, 5))
    assert image[1, 2, 0] == 20.0 and zbuffer[1, 2] == 1.0  # the nearer of the two points at (2, 1)
    assert image[0, 0, 0] == 30.0 and image[1, 1, 0] == 30.0  # the 2x2 footprint of the point at (0, 0)
    assert np.isinf(zbuffer[3, 4]) and image[3, 4, 0] == 0.0


def test_on_one_surface_the_point_closest_to_the_pixel_centre_wins():
    """Two points of one surface (depths within the tolerance) cover pixel (1, 0): the one projecting onto it wins
    even though the other is slightly nearer."""
    pixels = np.array([[0.0, 0.0], [1.0, 0.0]])
    image, _ = splat(pixels, np.array([1.0, 1.01]), np.array([[1.0], [2.0]]), (2, 3))
    assert image[0, 1, 0] == 2.0 and image[0, 0, 0] == 1.0


def test_points_behind_the_camera_or_outside_are_dropped():
    pixels = np.array([[1.0, 1.0], [50.0, 1.0], [np.nan, 0.0]])
    image, zbuffer = splat(pixels, np.array([-1.0, 2.0, 2.0]), np.ones((3, 2)), (3, 3))
    assert np.isinf(zbuffer).all() and not image.any()
