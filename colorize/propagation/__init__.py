"""Reference-guided chroma propagation: keyframes' colours carried through a video by optical flow."""

from colorize.propagation.anchored import AnchoredConfig, AnchoredPropagator
from colorize.propagation.base import ChromaPropagator, Keyframe, PropagationStep
from colorize.propagation.baselines import ChainPropagator, CopyPropagator, GrayPropagator
from colorize.propagation.keyframes import Reference, make_keyframe
from colorize.propagation.prior import transfer_chroma
from colorize.propagation.scenecut import SceneCutConfig, SceneCutDetector
from colorize.propagation.video import (
    METHODS,
    BackwardStore,
    ForwardPropagation,
    PropagationConfig,
    ReprojectionConfig,
    blend,
    detect_shots,
    make_propagator,
    propagate_backward,
)

__all__ = [
    "AnchoredConfig", "AnchoredPropagator", "ChromaPropagator", "Keyframe", "PropagationStep",
    "ChainPropagator", "CopyPropagator", "GrayPropagator", "Reference", "make_keyframe", "transfer_chroma",
    "SceneCutConfig", "SceneCutDetector", "METHODS", "BackwardStore", "ForwardPropagation", "PropagationConfig",
    "ReprojectionConfig", "blend", "detect_shots", "make_propagator", "propagate_backward",
]
