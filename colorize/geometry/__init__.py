"""3D guidance: camera geometry (depth, intrinsics, poses) from ViPE's output or a depth folder, point-cloud
splatting and reprojection-guided propagation, and a rendered test scene. ViPE and OpenEXR are imported only when
their files are read."""

from colorize.geometry.camera import CameraView, backproject, pixel_rays, project, scale_intrinsics, transform
from colorize.geometry.depth import DEFAULT_DEPTH_MODEL, MonocularDepth
from colorize.geometry.folder import read_depth, read_depth_folder
from colorize.geometry.frame import VideoFrame
from colorize.geometry.pointcloud import PointCloud, PointCloudProcessor, frame_point_cloud, read_ply, write_ply
from colorize.geometry.reprojection import ReprojectionConfig, ReprojectionPropagator
from colorize.geometry.semantic import DEFAULT_SEGMENTATION_MODEL, SemanticSegmentationProcessor
from colorize.geometry.splat import splat
from colorize.geometry.synthetic import Score, SyntheticVideo, camera_path, render_video, score_propagation
from colorize.geometry.track import CameraTrack, read_indexed_npz
from colorize.geometry.vipe import ViPEOutput, decode_exr_depth, find_vipe_outputs

__all__ = [
    "CameraView", "backproject", "pixel_rays", "project", "scale_intrinsics", "transform",
    "DEFAULT_DEPTH_MODEL", "MonocularDepth", "read_depth", "read_depth_folder", "VideoFrame",
    "PointCloud", "PointCloudProcessor", "frame_point_cloud", "read_ply", "write_ply",
    "ReprojectionConfig", "ReprojectionPropagator", "DEFAULT_SEGMENTATION_MODEL", "SemanticSegmentationProcessor",
    "splat",
    "Score", "SyntheticVideo", "camera_path", "render_video", "score_propagation",
    "CameraTrack", "read_indexed_npz", "ViPEOutput", "decode_exr_depth", "find_vipe_outputs",
]
