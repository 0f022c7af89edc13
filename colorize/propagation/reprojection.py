"""3D-guided propagation: the keyframe's chroma lifted to a colored world-space point cloud and splatted into
every new frame, as a candidate beside the flow propagator's output.

Per frame (working resolution, luminance on the uint8 scale):
1. The flow propagator (:class:`~colorize.propagation.AnchoredPropagator` by default) gives its chroma and
   confidence.
2. The keyframe's points (its pixels back-projected with their depth and the keyframe's pose) are projected into
   the frame and z-buffered (:func:`~colorize.geometry.splat.splat`); each pixel gets the nearest point's chroma
   and keyframe luminance.
3. The reprojection is trusted where the point's depth agrees with the frame's own depth (else the surface there
   is not the one the keyframe saw: an occlusion or something that moved) and where the keyframe luminance it
   carries explains the frame's luminance structure (the confidence of :mod:`colorize.propagation.matching`,
   the same test the flow candidates pass). Where it is trusted it wins over the flow, which cannot come back
   to a place once it has lost it; elsewhere (dynamic or unseen regions) the flow's output is kept.

The luminance test is looser than the flow's (``key_scale`` 20 against the anchored step's 10): splatting across a
change of scale resamples the keyframe, which raises the patch error of correct matches. Tuned on the rendered test
scene only (tests/support/testkit/synthetic.py); the measurements are in benchmarks/README.md (``geometry.py``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from colorize.flow import warp
from colorize.geometry.camera import CameraView, backproject, project
from colorize.geometry.splat import splat
from colorize.propagation.anchored import AnchoredPropagator
from colorize.propagation.base import ChromaPropagator, Keyframe, PropagationStep
from colorize.propagation.matching import confidence, patch_error, structure


@dataclass
class ReprojectionConfig:
    """How :class:`ReprojectionPropagator` trusts its reprojected keyframe candidate (tuning notes
    in this module's docstring)."""

    depth_tolerance: float = 0.05  # relative depth difference above which a reprojected point is rejected
    key_scale: float = 20.0  # patch error (uint8 levels) at which the reprojection's confidence is 1/e
    match_radius: int = 3  # patch half-size for the luminance test (pixels)

    def __post_init__(self) -> None:
        if self.depth_tolerance <= 0 or self.key_scale <= 0 or self.match_radius < 1:
            raise ValueError(f"reprojection needs depth_tolerance > 0, key_scale > 0, match_radius >= 1; got "
                             f"{self.depth_tolerance}, {self.key_scale}, {self.match_radius}")


class ReprojectionPropagator(ChromaPropagator):
    """Flow propagation plus a reprojected keyframe candidate; ``views[i]`` is frame i's geometry.

    ``views``: a list of :class:`CameraView` (one per frame) or a mapping frame index -> view such as a
    :class:`~colorize.geometry.CameraTrack`; frames without a view (and all frames of a run whose keyframe has
    none) get the flow's output alone. The keyframe's ``index`` says where a run starts and every ``step`` moves
    one frame in ``direction`` (+1 forward, -1 backward). Views must have the size of the luminance frames.
    ``config`` is ``PropagationConfig.reprojection``; ``flow`` defaults to an :class:`AnchoredPropagator` with its
    default settings (:func:`colorize.propagation.make_propagator` passes the configured one).
    """

    name = "reprojection"

    def __init__(self, views: Sequence[CameraView] | Mapping[int, CameraView], config: ReprojectionConfig | None = None,
                 flow: ChromaPropagator | None = None, direction: int = 1) -> None:
        if direction not in (1, -1):
            raise ValueError(f"direction must be 1 or -1, got {direction}")
        self.config = config or ReprojectionConfig()
        self.views = views if isinstance(views, Mapping) else dict(enumerate(views))
        self.flow = flow or AnchoredPropagator()
        self.direction = direction

    def reset(self, keyframe: Keyframe) -> PropagationStep:
        view = self._view(keyframe.index, keyframe.lum8.shape)
        self._points, pixels = backproject(view) if view is not None else (np.zeros((0, 3)), np.zeros(0, np.int64))
        height, width = keyframe.lum8.shape
        self._key_xy = np.stack([pixels % width, pixels // width], axis=1).astype(np.float32)
        self._key_values = np.dstack([keyframe.ab, keyframe.lum8]).astype(np.float32)  # a, b, luminance
        self._index = keyframe.index
        return self.flow.reset(keyframe)

    def prefetch(self, upcoming: np.ndarray) -> None:
        self.flow.prefetch(upcoming)

    def step(self, lum8: np.ndarray) -> PropagationStep:
        self._index += self.direction
        flow = self.flow.step(lum8)
        view = self._view(self._index, lum8.shape)
        if view is None or not len(self._points):
            return flow
        reprojected, trust = self.reproject(lum8, view)
        # As the keyframe candidate over the previous output in the anchored step: the flow's output keeps the
        # weight of its own confidence only where the reprojection is unsure.
        flow_weight = flow.confidence * (1.0 - trust)
        total = trust + flow_weight
        ab = (trust[..., None] * reprojected + flow_weight[..., None] * flow.ab) / np.maximum(total, 1e-6)[..., None]
        ab = np.where(total[..., None] > 1e-6, ab, flow.ab)
        return PropagationStep(ab.astype(np.float32), np.minimum(total, 1.0))

    def reproject(self, lum8: np.ndarray, view: CameraView) -> tuple[np.ndarray, np.ndarray]:
        """The keyframe's chroma splatted into a frame of luminance ``lum8`` seen by ``view``: ((H, W, 2) ab,
        (H, W) confidence in [0, 1]).

        The z-buffer picks, per pixel, the keyframe point it sees; the keyframe is then sampled bilinearly at that
        point's keyframe pixel shifted by the pixel's offset from the point's projection (sub-pixel accuracy
        that taking the point's own color would lose).
        """
        cfg = self.config
        pixels, depth = project(self._points, view)
        carried, zbuffer = splat(pixels, depth, np.hstack([self._key_xy, pixels]), lum8.shape)
        # Keyframe pixel + (this pixel - the point's projection): the offset is a flow into the keyframe.
        values = warp(self._key_values, carried[..., :2] - carried[..., 2:])
        visible = np.abs(zbuffer - view.depth) <= cfg.depth_tolerance * view.depth  # False where nothing landed
        source = np.where(visible, values[..., 2], -1000.0).astype(np.float32)
        error = patch_error(structure(lum8.astype(np.float32)), source, cfg.match_radius)
        return values[..., :2], confidence(np.minimum(error, 255.0), cfg.key_scale) * visible

    def _view(self, index: int, size: tuple[int, int]) -> CameraView | None:
        if index not in self.views:
            return None
        view = self.views[index]
        if view.depth.shape != size:
            raise ValueError(f"frame {index}: depth is {view.depth.shape[1]}x{view.depth.shape[0]} but the frames are "
                             f"{size[1]}x{size[0]}; resize the depth and scale_intrinsics() to the working size")
        return view
