"""Reference-guided chroma propagation: keyframes' colors carried through a video by optical flow (and, with
camera poses, by reprojection), and the driver that runs it over a clip or a live stream."""

from colorize.propagation.anchored import AnchoredConfig, AnchoredPropagator
from colorize.propagation.base import ChromaPropagator, Keyframe, PropagationStep
from colorize.propagation.baselines import ChainPropagator, CopyPropagator, GrayPropagator
from colorize.propagation.frames import (
    FrameSource,
    StreamColorizer,
    colorize_frames,
    colorize_sequence,
    fit_reference,
    plan_propagation,
    propagate_chroma,
    working_lum8,
)
from colorize.propagation.keyframes import Reference, make_keyframe
from colorize.propagation.prior import transfer_chroma
from colorize.propagation.reprojection import ReprojectionConfig, ReprojectionPropagator
from colorize.propagation.scenecut import SceneCutConfig, SceneCutDetector
from colorize.propagation.video import (
    METHODS,
    BackwardStore,
    ForwardPropagation,
    PropagationConfig,
    blend,
    detect_shots,
    make_propagator,
    propagate_backward,
)

__all__ = [
    "AnchoredConfig", "AnchoredPropagator", "ChromaPropagator", "Keyframe", "PropagationStep",
    "ChainPropagator", "CopyPropagator", "GrayPropagator", "Reference", "make_keyframe", "transfer_chroma",
    "SceneCutConfig", "SceneCutDetector", "METHODS", "BackwardStore", "ForwardPropagation", "PropagationConfig",
    "ReprojectionConfig", "ReprojectionPropagator", "blend", "detect_shots", "make_propagator", "propagate_backward",
    "FrameSource", "StreamColorizer", "colorize_frames", "colorize_sequence", "fit_reference", "plan_propagation",
    "propagate_chroma", "working_lum8",
]
