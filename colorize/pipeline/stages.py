"""The optional per-frame stages of a run: geometry (ViPE, a depth folder or a depth model) and semantic segmentation.

What each geometry source gives (all at the working size, ``propagation.max_side``):

- ``vipe`` / ``folder:PATH`` with ``poses.npz``: depth, intrinsics and camera poses. Propagation uses them
  (:class:`~colorize.propagation.ReprojectionPropagator`, in both passes); ``depth_maps/`` and world-space
  ``point_clouds/`` are written.
- ``folder:PATH`` without poses: depth (and intrinsics, or an assumed field of view) but no camera motion, so no
  reprojection; ``depth_maps/`` and camera-space ``point_clouds/``.
- ``depth-model``: monocular depth per frame, without poses, so no reprojection either. A metric model gives
  ``depth_maps/`` in millimetres and camera-space point clouds (assumed field of view); a relative one (the default
  Depth Anything) only normalised inverse-depth maps, because relative depth has no scale to lift points with.

``semantic``: class labels per frame (``semantic_masks/``); the connected components of each class tracked over the
shot by optical flow (:class:`~colorize.geometry.SegmentTracker`: segment ids, ``VideoFrame.semantic_segments``), and
each tracked segment's mean chroma held to its running mean (:class:`~colorize.geometry.SegmentChroma`), so two
objects of one class keep their own colors. Both restart at every scene cut and keyframe. Point clouds carry the
output colors and, with segmentation on, the class labels.
"""

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from colorize.color import compose_lab, luminance_to_gray, luminance_to_uint8, resize, upsample_chroma
from colorize.geometry import (
    DEFAULT_SEGMENTATION_MODEL,
    CameraView,
    DepthMapWriter,
    MonocularDepth,
    PointCloudProcessor,
    ResizedViews,
    SegmentChroma,
    SegmentTracker,
    SemanticSegmentationProcessor,
    VideoFrame,
    intrinsics_from_fov,
    read_depth_folder,
    vipe_output_for,
)
from colorize.io import write_png
from colorize.pipeline.config import PipelineConfig
from colorize.propagation import ForwardPropagation, SceneCutDetector, working_lum8
from colorize.utils.device import resolve_device

logger = logging.getLogger(__name__)


class FrameStages:
    """Geometry and semantic stages of one run on ``video`` (frames of ``frame_size`` = (H, W), propagated at
    ``size``). Models and providers are opened here, before any output; :meth:`start` opens the writers under the
    run's folder, :meth:`chroma` is the frame loop's chroma function with propagation (:meth:`refine` takes any other
    colorizer's chroma), :meth:`finish` closes and summarises."""

    def __init__(self, config: PipelineConfig, video: Path, size: tuple[int, int], device: str = "auto") -> None:
        self.config, self.size = config, size
        geometry, semantic = config.geometry, config.semantic
        self.track: Mapping[int, CameraView] | None = None  # the provider's views, at its own size
        self.has_poses = False
        self.depth_model: MonocularDepth | None = None
        if geometry.source == "vipe":
            self.track = vipe_output_for(video, Path(geometry.vipe_dir).expanduser(), geometry.run_vipe).track()
            self.has_poses = True
        elif geometry.source.startswith("folder:"):
            folder = Path(geometry.source.removeprefix("folder:")).expanduser()
            self.track = read_depth_folder(folder, geometry.fov_degrees)
            self.has_poses = (folder / "poses.npz").is_file()
            if not self.has_poses:
                logger.warning("%s has no poses.npz: depth maps and camera-space point clouds only (reprojection "
                               "needs camera poses)", folder)
        elif geometry.source == "depth-model":
            self.depth_model = MonocularDepth(geometry.depth_model, resolve_device(device))
            logger.info("monocular depth (%s, %s) has no camera poses: depth maps%s, no reprojection",
                        geometry.depth_model, "metric" if self.depth_model.metric else "relative",
                        " and camera-space point clouds" if self.depth_model.metric else "")
        self.views = ResizedViews(self.track, size) if self.track is not None else None
        self.segmenter: SemanticSegmentationProcessor | None = None
        if semantic.model != "none":
            source = DEFAULT_SEGMENTATION_MODEL if semantic.model == "upernet" else semantic.model
            self.segmenter = SemanticSegmentationProcessor(source, semantic.momentum, resolve_device(device))
        self.tracker = SegmentTracker(semantic.tracking) if self.segmenter is not None else None
        self.consistency = SegmentChroma(semantic.consistency) if self.segmenter is not None else None
        self._cuts = SceneCutDetector(config.propagation.scene_cut)  # shots of colorizers other than propagation
        self._depth_maps: DepthMapWriter | None = None
        self._points: PointCloudProcessor | None = None
        self._masks: Path | None = None

    @property
    def reprojection_views(self) -> Mapping[int, CameraView] | None:
        """Views at the working size for :func:`~colorize.propagation.make_propagator`: only with camera poses."""
        return self.views if self.has_poses else None

    def start(self, root: Path, digits: int) -> None:
        """Open the writers of ``depth_maps/``, ``point_clouds/`` and ``semantic_masks/`` under ``root``."""
        geometry, has_depth = self.config.geometry, self.track is not None or self.depth_model is not None
        self._digits = digits
        if has_depth and geometry.depth_maps:
            self._depth_maps = DepthMapWriter(root / "depth_maps", digits)
        if geometry.point_cloud_every and (self.track is not None or (self.depth_model and self.depth_model.metric)):
            self._points = PointCloudProcessor(root / "point_clouds", geometry.point_cloud_every, digits)
        if self.segmenter is not None and self.config.semantic.masks:
            self._masks = root / "semantic_masks"
            self._masks.mkdir()

    def chroma(self, propagation: ForwardPropagation, index: int, lum: np.ndarray,
               upcoming: np.ndarray | None = None) -> np.ndarray:
        """Frame ``index`` (the next one of ``propagation``): (H, W) L in [0, 100] -> (H, W, 2) float32 ab.

        Propagation at the working size, then each stage on the frame; the chroma is upsampled under ``lum`` last.
        ``upcoming``: the next frame's L, where known (the propagation starts on it early).
        """
        small = resize(lum, self.size)
        lum8 = luminance_to_uint8(small)
        ab = propagation(lum8, None if upcoming is None else working_lum8(upcoming, self.size)).ab
        cut = index in propagation.cuts[-1:]
        ab = self._on_frame(index, small, lum8, ab, restart=cut or index in propagation.references, cut=cut)
        return upsample_chroma(ab, lum, propagation.config.upsample)

    def refine(self, index: int, lum: np.ndarray, ab: np.ndarray, keyframe: bool = False) -> np.ndarray:
        """Any colorizer's chroma through the stages: frame ``index`` in order, (H, W) L in [0, 100] and its (H, W, 2)
        ab -> (H, W, 2) ab. The stages run at the working size; what they change is upsampled onto ``ab``. Shots
        are found here (the colorizer does not say); a keyframe restarts the segment tracks like a cut."""
        small = resize(lum, self.size)
        lum8 = luminance_to_uint8(small)
        cut = self._cuts.update(lum8)  # never at the first frame
        ab_small = resize(ab.astype(np.float32, copy=False), self.size)
        refined = self._on_frame(index, small, lum8, ab_small, restart=cut or keyframe or index == 0, cut=cut)
        if refined is ab_small:  # no stage changes chroma (geometry only)
            return ab
        return ab + upsample_chroma(refined - ab_small, lum)

    def _on_frame(self, index: int, small: np.ndarray, lum8: np.ndarray, ab: np.ndarray, restart: bool,
                  cut: bool) -> np.ndarray:
        """Depth, labels, segment consistency and point clouds of one frame at the working size; returns its ab."""
        frame = VideoFrame(index=index, gray=luminance_to_gray(small))
        self._geometry(frame)
        if self.segmenter is not None:
            if cut:
                self.segmenter.reset()
            labels = self.segmenter(frame).semantic_mask
            if self._masks is not None:
                write_png(self._masks / f"{index:0{self._digits}d}.png",
                          labels.astype(np.uint8 if labels.max() < 256 else np.uint16))
            if restart:
                self.tracker.reset()
                self.consistency.reset()
            frame.semantic_segments = self.tracker(labels, lum8)
            ab = self.consistency(ab, frame.semantic_segments)
        if self._points is not None and index % self._points.every == 0:
            frame.colorized_rgb = compose_lab(small, ab)
            self._points(frame)
        return ab

    def _geometry(self, frame: VideoFrame) -> None:
        """Depth (and camera) of ``frame`` from the provider or the depth model; writes its depth map."""
        if self.views is not None and frame.index in self.views:
            view = self.views[frame.index]
            frame.depth, frame.intrinsics, frame.pose = view.depth, view.intrinsics, view.pose
        elif self.depth_model is not None:
            prediction = self.depth_model(frame.gray)
            if not self.depth_model.metric:  # relative inverse depth: written, never lifted to points
                if self._depth_maps is not None:
                    self._depth_maps.write(frame.index, prediction, relative=True)
                return
            frame.depth, frame.pose = prediction, np.eye(4)  # camera space: no poses
            frame.intrinsics = intrinsics_from_fov(self.size, self.config.geometry.fov_degrees)
        else:
            return
        if self._depth_maps is not None:
            self._depth_maps.write(frame.index, frame.depth, intrinsics=frame.intrinsics,
                                   pose=frame.pose if self.has_poses else None)

    def finish(self) -> dict[str, Any]:
        """Close the writers; what the stages did, for run.json."""
        if self._depth_maps is not None:
            self._depth_maps.close()
        geometry = self.config.geometry
        depth = None
        if self.track is not None:
            depth = "metric"
        elif self.depth_model is not None:
            depth = "metric" if self.depth_model.metric else "relative inverse depth"
        return {
            "geometry": geometry.source,
            "camera_frames": len(self.track) if self.track is not None else 0,
            "reprojection": self.reprojection_views is not None,
            "depth": depth,
            "depth_maps": self._depth_maps.count if self._depth_maps is not None else 0,
            "point_clouds": self._points.count if self._points is not None else 0,
            "semantic": self.config.semantic.model,
        }


def open_stages(config: PipelineConfig, video: Path, size: tuple[int, int], device: str = "auto"
                ) -> FrameStages | None:
    """The run's :class:`FrameStages`, or None when geometry and semantics are both off (the plain frame loop)."""
    if config.geometry.source == "none" and config.semantic.model == "none":
        return None
    return FrameStages(config, video, size, device)
