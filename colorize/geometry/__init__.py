"""3D guidance: camera geometry (depth, intrinsics, poses) from ViPE's output, a depth folder or a depth model,
point-cloud splatting and the per-frame stages (segmentation, depth maps, point
clouds, segments tracked over the shot, semantic chroma consistency).
ViPE is only ever run as a command and OpenEXR imported only when EXR files are read."""

from colorize.geometry.camera import (
    CameraView,
    backproject,
    intrinsics_from_fov,
    pixel_rays,
    project,
    resize_view,
    scale_intrinsics,
    transform,
)
from colorize.geometry.depth import DEFAULT_DEPTH_MODEL, MonocularDepth
from colorize.geometry.depthmaps import DepthMapWriter, inverse_depth_preview
from colorize.geometry.exr import decode_exr_depth
from colorize.geometry.folder import read_depth, read_depth_folder
from colorize.geometry.frame import VideoFrame
from colorize.geometry.instances import SegmentTracker, SegmentTrackerConfig
from colorize.geometry.pointcloud import PointCloud, PointCloudProcessor, frame_point_cloud, read_ply, write_ply
from colorize.geometry.segments import SegmentChroma, SegmentChromaConfig, segment_means
from colorize.geometry.semantic import DEFAULT_SEGMENTATION_MODEL, SemanticSegmentationProcessor
from colorize.geometry.splat import splat
from colorize.geometry.track import CameraTrack, ResizedViews, read_indexed_npz
from colorize.geometry.vipe import ViPEOutput, find_vipe_outputs, vipe_output_for

__all__ = [
    "CameraView", "backproject", "intrinsics_from_fov", "pixel_rays", "project", "resize_view", "scale_intrinsics",
    "transform",
    "DEFAULT_DEPTH_MODEL", "MonocularDepth", "DepthMapWriter", "inverse_depth_preview",
    "read_depth", "read_depth_folder", "VideoFrame", "SegmentTracker", "SegmentTrackerConfig",
    "PointCloud", "PointCloudProcessor", "frame_point_cloud", "read_ply", "write_ply",
    "SegmentChroma", "SegmentChromaConfig", "segment_means",
    "DEFAULT_SEGMENTATION_MODEL", "SemanticSegmentationProcessor", "splat",
    "CameraTrack", "ResizedViews", "read_indexed_npz", "ViPEOutput", "decode_exr_depth", "find_vipe_outputs",
    "vipe_output_for",
]
