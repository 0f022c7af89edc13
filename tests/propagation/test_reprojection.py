import numpy as np
import pytest

from colorize.geometry import CameraView
from colorize.propagation import AnchoredPropagator, Keyframe, ReprojectionPropagator
from testkit.synthetic import score_propagation


def test_3d_guidance_beats_flow_only_after_the_camera_returns(synthetic_video):
    """The issue's proof: frame 0 the only reference, >= 3 dB better on the frames after the return."""
    flow_only = score_propagation(AnchoredPropagator(), synthetic_video)
    guided = score_propagation(ReprojectionPropagator(synthetic_video.views), synthetic_video)
    assert guided.psnr_returned >= flow_only.psnr_returned + 3.0, (guided, flow_only)
    assert guided.psnr_all > flow_only.psnr_all


def test_reprojection_into_a_later_frame_matches_its_true_chroma(synthetic_video, synthetic_lab):
    keyframe, lums, labs = synthetic_lab
    propagator = ReprojectionPropagator(synthetic_video.views)
    propagator.reset(keyframe)
    ab, trust = propagator.reproject(lums[40], synthetic_video.views[40])
    trusted = trust > 0.5
    assert trusted.mean() > 0.5
    assert np.abs(ab - labs[40][..., 1:])[trusted].mean() < 2.0  # ab units; cell colors differ by tens


def test_depth_test_rejects_a_surface_that_moved(synthetic_video, synthetic_lab):
    """Where the frame's depth says something else stands (a moving object), the flow's chroma is kept."""
    keyframe, lums, _ = synthetic_lab
    views = list(synthetic_video.views)
    moved = views[1].depth.copy()
    moved[40:80, 60:100] *= 0.5  # an object halfway to the camera
    views[1] = CameraView(moved, views[1].intrinsics, views[1].pose)
    guided, flow = ReprojectionPropagator(views), AnchoredPropagator()
    guided.reset(keyframe)
    flow.reset(keyframe)
    step, flow_step = guided.step(lums[1]), flow.step(lums[1])
    _, trust = guided.reproject(lums[1], views[1])
    assert (trust[40:80, 60:100] == 0).all() and trust[:40].mean() > 0.3
    np.testing.assert_allclose(step.ab[45:75, 65:95], flow_step.ab[45:75, 65:95], atol=1e-4)


def test_views_of_another_size_are_refused(synthetic_video, synthetic_lab):
    keyframe, _, _ = synthetic_lab
    small = Keyframe(0, keyframe.lum8[::2, ::2], keyframe.ab[::2, ::2])
    with pytest.raises(ValueError, match="scale_intrinsics"):
        ReprojectionPropagator(synthetic_video.views).reset(small)


def test_backward_runs_step_to_earlier_frames(synthetic_video, synthetic_lab):
    """A keyframe at frame 10 propagated backwards: step k reprojects into frame 10 - k."""
    _, lums, labs = synthetic_lab
    propagator = ReprojectionPropagator(synthetic_video.views, direction=-1)
    propagator.reset(Keyframe(10, lums[10], labs[10][..., 1:].copy()))
    for index in (9, 8):
        step = propagator.step(lums[index])
    _, trust = propagator.reproject(lums[8], synthetic_video.views[8])
    trusted = trust > 0.5
    assert trusted.mean() > 0.5
    assert np.abs(step.ab - labs[8][..., 1:])[trusted].mean() < 2.0
