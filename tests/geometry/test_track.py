import numpy as np
import pytest

from colorize.geometry import CameraTrack, ResizedViews
from colorize.propagation import AnchoredPropagator, ReprojectionPropagator


def test_frames_need_depth_intrinsics_and_pose_and_depth_is_read_on_lookup():
    reads = []

    def read_depth(index):
        reads.append(index)
        return np.full((2, 3), float(index), np.float32)

    intrinsics = dict.fromkeys([0, 1, 2], np.array([1.0, 1.0, 1.0, 0.5]))
    track = CameraTrack(read_depth, [0, 2, 3], intrinsics, dict.fromkeys([0, 1, 2, 3], np.eye(4)))
    assert list(track) == [0, 2] and len(track) == 2 and 2 in track and 3 not in track and reads == []
    assert track[2].depth[0, 0] == 2.0 and reads == [2]
    with pytest.raises(KeyError):
        track[3]  # depth and pose but no intrinsics


def test_resized_views_resize_on_lookup_and_decode_a_frame_once(synthetic_video):
    reads = []

    def read_depth(index):
        reads.append(index)
        return synthetic_video.views[index].depth

    views = synthetic_video.views
    track = CameraTrack(read_depth, range(4), {i: views[i].intrinsics for i in range(4)},
                        {i: views[i].pose for i in range(4)})
    half = ResizedViews(track, (60, 80))
    assert list(half) == [0, 1, 2, 3] and len(half) == 4 and 3 in half and 4 not in half and reads == []
    assert half[1].depth.shape == (60, 80) and half[1].intrinsics[0] == views[1].intrinsics[0] / 2
    half[1], half[2], half[1]  # the stages and the propagator of one frame look it up more than once
    assert reads == [1, 2]


def test_frames_without_geometry_get_the_flow_output(synthetic_video, synthetic_lab):
    """A track missing frame 2: the guided step there equals the flow propagator's own (not so at frame 1)."""
    keyframe, lums, _ = synthetic_lab
    views = {i: view for i, view in enumerate(synthetic_video.views[:4]) if i != 2}
    guided, flow = ReprojectionPropagator(views), AnchoredPropagator()
    guided.reset(keyframe)
    flow.reset(keyframe)
    assert not np.array_equal(guided.step(lums[1]).ab, flow.step(lums[1]).ab)
    guided_step, flow_step = guided.step(lums[2]), flow.step(lums[2])
    np.testing.assert_array_equal(guided_step.ab, flow_step.ab)
    np.testing.assert_array_equal(guided_step.confidence, flow_step.confidence)
