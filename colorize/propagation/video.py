"""Propagation over a whole video: keyframes at any index, both temporal directions, scene cuts.

Frames are fed in order to :class:`ForwardPropagation`, which keeps only the current state, so memory does
not grow with the video. Frames that have a keyframe *later* in their shot also get a backward pass
(:func:`propagate_backward`, over luminance kept in a disk-backed array), and the two directions are
blended by confidence and temporal distance. No color crosses a scene cut: a shot without any keyframe
continues from a reference keyframe whose scene its first frame shows again (shot / reverse shot, a passer-by who
filled the frame), else gets a pseudo-keyframe on its first frame from the global color prior of the nearest keyframe.

With camera ``views`` (frame index -> :class:`~colorize.geometry.CameraView` at the working size, e.g. from ViPE
or a depth folder) every pass uses :class:`~colorize.propagation.ReprojectionPropagator` around the configured flow
propagator; without them nothing changes.
"""

import logging
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from colorize.choices import METHODS
from colorize.color.upsample import UPSAMPLING
from colorize.flow import DISFlow, FlowConfig
from colorize.geometry.camera import CameraView
from colorize.io import scratch_array
from colorize.propagation.anchored import AnchoredConfig, AnchoredPropagator
from colorize.propagation.base import ChromaPropagator, Keyframe, PropagationStep
from colorize.propagation.baselines import ChainPropagator, CopyPropagator, GrayPropagator
from colorize.propagation.keyframes import Reference, make_keyframe
from colorize.propagation.reprojection import ReprojectionConfig, ReprojectionPropagator
from colorize.propagation.scenecut import MATCH_FLOW, SceneCutConfig, SceneCutDetector, shows_same_scene

logger = logging.getLogger(__name__)
WARNED_SHOTS = 3  # shots without a keyframe logged one by one; later ones only counted (a film has thousands)
SCENE_CANDIDATES = 3  # reference keyframes, nearest first, that a shot without a keyframe is compared with


@dataclass
class PropagationConfig:
    method: str = "anchored"  # anchored (this project's) | chain | copy | gray (baselines)
    max_side: int = 640  # working resolution: longer side in pixels; chroma is upsampled under full-res L
    upsample: str = "bilinear"  # chroma upsampling to full resolution: bilinear | guided (colorize.color.upsample)
    anchored: AnchoredConfig = field(default_factory=AnchoredConfig)
    scene_cut: SceneCutConfig = field(default_factory=SceneCutConfig)
    reprojection: ReprojectionConfig = field(default_factory=ReprojectionConfig)  # used only with camera views

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown propagation method {self.method!r}; choose one of {METHODS}")
        if self.upsample not in UPSAMPLING:
            raise ValueError(f"unknown chroma upsampling {self.upsample!r}; choose one of {UPSAMPLING}")


Views = Mapping[int, CameraView]  # frame index -> camera view at the working size (frames without one: flow only)


def make_propagator(config: PropagationConfig, views: Views | None = None, direction: int = 1) -> ChromaPropagator:
    """The propagator named by ``config.method``; with camera ``views``, wrapped in a
    :class:`~colorize.propagation.ReprojectionPropagator` that steps in ``direction`` (+1 forward, -1 backward)."""
    if config.method == "anchored":
        flow: ChromaPropagator = AnchoredPropagator(config.anchored)
    elif config.method == "chain":
        flow = ChainPropagator(FlowConfig(preset=config.anchored.flow_preset, max_side=10_000))
    else:
        flow = CopyPropagator() if config.method == "copy" else GrayPropagator()
    if views is None:
        return flow
    return ReprojectionPropagator(views, config.reprojection, flow=flow, direction=direction)


def blend(forward: PropagationStep, backward: PropagationStep, to_left: int, to_right: int) -> PropagationStep:
    """Blend two directions for a frame ``to_left`` frames after one keyframe and ``to_right`` before the next.

    Weights are confidence times closeness: ``w_f = c_f · to_right``, ``w_b = c_b · to_left`` (plus a small
    floor so that two unsure directions still average by distance).
    """
    w_f = (forward.confidence + 1e-3) * to_right
    w_b = (backward.confidence + 1e-3) * to_left
    total = w_f + w_b
    ab = (w_f[..., None] * forward.ab + w_b[..., None] * backward.ab) / total[..., None]
    confidence = (w_f * forward.confidence + w_b * backward.confidence) / total
    return PropagationStep(ab.astype(np.float32), confidence.astype(np.float32))


class BackwardStore:
    """Disk-backed (memory-mapped) chroma and confidence of the backward pass, float16 at working size."""

    def __init__(self, path, num_frames: int, size: tuple[int, int]) -> None:
        self.ab = scratch_array(f"{path}/backward_ab.npy", np.float16, (num_frames, *size, 2))
        self.confidence = scratch_array(f"{path}/backward_conf.npy", np.float16, (num_frames, *size))
        self.has = np.zeros(num_frames, bool)

    def __setitem__(self, index: int, step: PropagationStep) -> None:
        self.ab[index], self.confidence[index], self.has[index] = step.ab, step.confidence, True

    def __getitem__(self, index: int) -> PropagationStep:
        return PropagationStep(self.ab[index].astype(np.float32), self.confidence[index].astype(np.float32))


def detect_shots(lum8_frames, config: SceneCutConfig | None = None) -> list[int]:
    """First frame index of every shot (always starting with 0) for an iterable of (H, W) uint8 frames."""
    detector = SceneCutDetector(config)
    return [0] + [i for i, lum8 in enumerate(lum8_frames) if detector.update(lum8) and i > 0]


def propagate_backward(lum8_frames: np.ndarray, keyframes: dict[int, Keyframe], shot_starts: list[int],
                       store: BackwardStore, config: PropagationConfig, views: Views | None = None) -> None:
    """Fill ``store`` for every frame that has a keyframe later in its shot (``lum8_frames``: (N, H, W));
    ``views``: camera views for 3D guidance (see :func:`make_propagator`)."""
    propagator = make_propagator(config, views, direction=-1)
    indices = sorted(keyframes)
    for position, key in enumerate(indices):
        shot_start = shot_starts[bisect_right(shot_starts, key) - 1]
        stop = max(shot_start, indices[position - 1] + 1 if position else shot_start)
        propagator.reset(keyframes[key])
        for t in range(key - 1, stop - 1, -1):
            if t > stop:
                propagator.prefetch(np.asarray(lum8_frames[t - 1]))
            store[t] = propagator.step(np.asarray(lum8_frames[t]))


class ForwardPropagation:
    """Online colorization of a luminance stream: call with each frame's (H, W) uint8 luminance in order.

    ``references`` maps frame index -> :class:`Reference` (a color image for that frame, or a photo of a
    similar scene). ``shot_starts`` (from :func:`detect_shots`) is used when known; otherwise cuts are
    detected online. ``backward`` holds a backward pass to blend with, if one was run. ``views``: camera views
    for 3D guidance (see :func:`make_propagator`).
    """

    def __init__(self, config: PropagationConfig, references: dict[int, Reference],
                 shot_starts: list[int] | None = None, backward: BackwardStore | None = None,
                 keyframes: dict[int, Keyframe] | None = None, views: Views | None = None) -> None:
        if not references:
            raise ValueError("propagation needs at least one reference image")
        self.config = config
        self.references = references
        self.keyframes = dict(keyframes or {})
        self._shot_starts = None if shot_starts is None else set(shot_starts)
        self.backward = backward
        self._propagator = make_propagator(config, views)
        self._detector = SceneCutDetector(config.scene_cut) if shot_starts is None else None
        self._index = -1
        self._active = False  # whether the forward propagator holds a keyframe of the current shot
        self._last_key = 0
        self.cuts: list[int] = []
        self.unkeyed_shots = 0  # shots that started with no keyframe in them (colored from a global prior)
        self.returning_shots = 0  # shots with no keyframe that showed a reference keyframe's scene again
        self._scenes: dict[int, Keyframe] = {}  # the references' keyframes, kept for shots that return to them
        self._scene_flow = DISFlow(MATCH_FLOW)

    def __call__(self, lum8: np.ndarray, upcoming: np.ndarray | None = None) -> PropagationStep:
        """The next frame's chroma; ``upcoming``: the frame after it, where known (the propagator starts on it early;
        the result is the same without it)."""
        self._index += 1
        t = self._index
        if self._starts_shot(t, lum8):
            if t > 0:
                self.cuts.append(t)
            self._active = False
            # Earlier shots' keyframes are never used again: dropped, so memory stays flat over a film's many shots
            # (each pseudo-keyframe holds its chroma; a 2-hour film has thousands of shots).
            for index in [index for index in self.keyframes if index < t]:
                del self.keyframes[index]
        keyframe = self._keyframe_at(t, lum8)
        if keyframe is not None:
            self._active, self._last_key = True, t
            forward = self._propagator.reset(keyframe)
        elif self._active:
            if upcoming is not None:
                self._propagator.prefetch(upcoming)
            forward = self._propagator.step(lum8)
        else:
            forward = None

        has_backward = self.backward is not None and self.backward.has[t]
        if forward is not None and has_backward:
            next_key = self._next_keyframe(t)
            return blend(forward, self.backward[t], t - self._last_key, next_key - t)
        if has_backward:
            return self.backward[t]
        if forward is not None:
            return forward
        # A new shot with no keyframe anywhere in it: never carry colors over the cut, but one that shows a
        # reference keyframe's scene again continues from that keyframe.
        self._active, self._last_key = True, t
        seen = self._seen_keyframe(t, lum8)
        if seen is not None:
            self._propagator.reset(seen)
            return self._propagator.step(lum8)
        return self._propagator.reset(self._prior_keyframe(t, lum8))

    def _starts_shot(self, t: int, lum8: np.ndarray) -> bool:
        if self._shot_starts is not None:
            return t in self._shot_starts
        return self._detector.update(lum8) or t == 0

    def _keyframe_at(self, t: int, lum8: np.ndarray) -> Keyframe | None:
        if t in self.keyframes:
            return self.keyframes[t]
        if t in self.references:
            self.keyframes[t] = self._scenes[t] = make_keyframe(t, lum8, self.references[t])
            return self.keyframes[t]
        return None

    def _seen_keyframe(self, t: int, lum8: np.ndarray) -> Keyframe | None:
        """The reference keyframe (of the ``SCENE_CANDIDATES`` nearest to ``t``) whose scene frame ``t`` shows."""
        for index in sorted(self._scenes, key=lambda k: abs(k - t))[:SCENE_CANDIDATES]:
            if shows_same_scene(lum8, self._scenes[index].lum8, self.config.scene_cut, self._scene_flow):
                self.returning_shots += 1
                logger.info("frame %d starts a shot that shows the keyframe at frame %d again: colors carried from it",
                            t, index)
                return self._scenes[index]
        return None

    def _next_keyframe(self, t: int) -> int:
        return min(k for k in self.references if k > t)

    def _prior_keyframe(self, t: int, lum8: np.ndarray) -> Keyframe:
        nearest = min(self.references, key=lambda k: abs(k - t))
        self.unkeyed_shots += 1
        if self.unkeyed_shots <= WARNED_SHOTS:
            logger.warning("frame %d starts a shot with no keyframe: colors come from the global prior of the "
                           "keyframe at frame %d (supply a keyframe in this shot for exact colors)%s", t, nearest,
                           "; further such shots are counted, not logged" if self.unkeyed_shots == WARNED_SHOTS else "")
        # The reference itself, not its keyframe: for a photo, that keyframe is already a weakened match, and matching
        # it again left bikes' later shots a third as colorful (photo protocol: colorfulness 2.4 vs 7.4, GT 14.7).
        self.keyframes[t] = make_keyframe(t, lum8, self.references[nearest], other_shot=True)
        return self.keyframes[t]
