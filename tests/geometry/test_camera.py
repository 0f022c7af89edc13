import numpy as np
import pytest

from colorize.geometry import CameraView, backproject, intrinsics_from_fov, project, resize_view, scale_intrinsics


def _view(seed: int = 0) -> CameraView:
    rng = np.random.default_rng(seed)
    depth = rng.uniform(1.0, 5.0, (12, 16)).astype(np.float32)
    depth[0, 0], depth[1, 1] = 0.0, np.nan  # unknown depth
    angle = 0.3
    pose = np.eye(4)
    pose[:3, :3] = [[np.cos(angle), 0, np.sin(angle)], [0, 1, 0], [-np.sin(angle), 0, np.cos(angle)]]
    pose[:3, 3] = [0.5, -0.2, 1.0]
    return CameraView(depth, np.array([20.0, 22.0, 7.5, 5.5]), pose)


def test_backproject_then_project_returns_each_pixel_and_its_depth():
    view = _view()
    points, pixels = backproject(view)
    assert len(points) == 12 * 16 - 2 and 0 not in pixels and 17 not in pixels
    xy, z = project(points, view)
    np.testing.assert_allclose(xy[:, 0], pixels % 16, atol=1e-9)
    np.testing.assert_allclose(xy[:, 1], pixels // 16, atol=1e-9)
    np.testing.assert_allclose(z, view.depth.reshape(-1)[pixels], rtol=1e-6)


def test_backprojection_follows_opencv_axes():
    """A pixel right of and below the principal point lies at +x, +y in camera space (x right, y down)."""
    view = CameraView(np.full((3, 3), 2.0), np.array([1.0, 1.0, 1.0, 1.0]), np.eye(4))
    points, _ = backproject(view)
    np.testing.assert_allclose(points[8], [2.0, 2.0, 2.0])  # pixel (x=2, y=2): one focal length off, at z=2
    np.testing.assert_allclose(points[4], [0.0, 0.0, 2.0])


def test_scale_intrinsics_keeps_pixel_centres():
    scaled = scale_intrinsics(np.array([100.0, 100.0, 79.5, 59.5]), (120, 160), (240, 320))
    np.testing.assert_allclose(scaled, [200.0, 200.0, 159.5, 119.5])


def test_resized_view_sees_the_same_world_points():
    """Halving the view: depth by nearest neighbour, intrinsics scaled; a pixel's world point is unchanged."""
    view = _view()
    view.depth[np.isnan(view.depth)] = 3.0
    half = resize_view(view, (6, 8))
    assert half.depth.shape == (6, 8) and resize_view(view, (12, 16)) is view
    np.testing.assert_allclose(half.intrinsics, scale_intrinsics(view.intrinsics, (12, 16), (6, 8)))
    np.testing.assert_array_equal(half.pose, view.pose)
    assert set(np.unique(half.depth)) <= set(np.unique(view.depth))  # no depth between surfaces is invented
    points, pixels = backproject(half)
    xy, z = project(points, view)  # the full-size view sees each within half a pixel of where its depth came from
    np.testing.assert_allclose(xy, 2 * np.stack([pixels % 8, pixels // 8], axis=1) + 0.5, atol=1e-6)
    sampled = view.depth[2 * (pixels // 8), 2 * (pixels % 8)]  # nearest neighbour takes the top-left of each 2x2
    np.testing.assert_allclose(z, sampled, rtol=1e-6)


def test_camera_view_rejects_wrong_shapes():
    with pytest.raises(ValueError, match="intrinsics"):
        CameraView(np.ones((4, 4)), np.ones(3), np.eye(4))


def test_intrinsics_from_fov_spans_the_field_of_view():
    fx, fy, cx, cy = intrinsics_from_fov((120, 160), 90.0)
    assert (fx, fy, cx, cy) == pytest.approx((80.0, 80.0, 79.5, 59.5))  # tan(45°) = 1: focal = half the width
