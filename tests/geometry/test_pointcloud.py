import numpy as np

from colorize.geometry import PointCloud, PointCloudProcessor, VideoFrame, backproject, read_ply, write_ply


def test_ply_round_trip_with_and_without_labels(tmp_path):
    rng = np.random.default_rng(0)
    cloud = PointCloud(rng.normal(size=(50, 3)).astype(np.float32), rng.integers(0, 256, (50, 3), dtype=np.uint8),
                       rng.integers(-1, 150, 50).astype(np.int32))
    write_ply(tmp_path / "a.ply", cloud)
    back = read_ply(tmp_path / "a.ply")
    np.testing.assert_array_equal(back.points, cloud.points)
    np.testing.assert_array_equal(back.colors, cloud.colors)
    np.testing.assert_array_equal(back.labels, cloud.labels)
    write_ply(tmp_path / "b.ply", PointCloud(cloud.points, cloud.colors))
    assert read_ply(tmp_path / "b.ply").labels is None
    assert (tmp_path / "b.ply").read_bytes().startswith(b"ply\nformat binary_little_endian 1.0\nelement vertex 50\n")


def test_processor_writes_the_colored_labelled_cloud_of_frames_with_geometry(tmp_path, synthetic_video):
    view = synthetic_video.views[0]
    mask = np.zeros((120, 160), np.int32)
    mask[60:] = 7
    frame = VideoFrame(index=3, rgb=synthetic_video.rgb[0], depth=view.depth, intrinsics=view.intrinsics,
                       pose=view.pose, semantic_mask=mask)
    processor = PointCloudProcessor(tmp_path / "point_clouds")
    assert processor(frame) is frame
    cloud = read_ply(tmp_path / "point_clouds" / "00003.ply")
    expected, _ = backproject(view)
    np.testing.assert_allclose(cloud.points, expected, atol=1e-5)
    np.testing.assert_array_equal(cloud.colors, synthetic_video.rgb[0].reshape(-1, 3))
    assert (cloud.labels[: 60 * 160] == 0).all() and (cloud.labels[60 * 160:] == 7).all()
    np.testing.assert_array_equal(frame.point_cloud, cloud.points)
    processor(VideoFrame(index=4, rgb=synthetic_video.rgb[0]))  # no geometry: nothing written
    assert sorted(path.name for path in (tmp_path / "point_clouds").iterdir()) == ["00003.ply"]
    assert processor.count == 1
    every = PointCloudProcessor(tmp_path / "every", every=2, digits=4)
    for index in range(4):
        every(VideoFrame(index=index, rgb=synthetic_video.rgb[0], depth=view.depth, intrinsics=view.intrinsics,
                         pose=view.pose))
    assert sorted(path.name for path in (tmp_path / "every").iterdir()) == ["0000.ply", "0002.ply"]
