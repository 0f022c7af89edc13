"""Reading and writing videos, images and output folders. See :mod:`colorize.io.video` for color and timing."""

from colorize.io.atomic import atomic_dir, atomic_file, check_output_dir
from colorize.io.files import VIDEO_SUFFIXES, davis_sequences, list_folders, list_images, list_videos, natural_key
from colorize.io.images import IMAGE_SUFFIXES, list_keyframe_images, read_image, write_png
from colorize.io.leftovers import Leftover, leftovers, remove_stale, scratch_array, scratch_dir
from colorize.io.video import VideoInfo, VideoWriter, iter_frames, probe_video, upright_rgb

__all__ = [
    "VideoInfo", "VideoWriter", "iter_frames", "probe_video", "upright_rgb",
    "IMAGE_SUFFIXES", "list_keyframe_images", "read_image", "write_png",
    "atomic_dir", "atomic_file", "check_output_dir",
    "Leftover", "leftovers", "remove_stale", "scratch_array", "scratch_dir",
    "VIDEO_SUFFIXES", "davis_sequences", "list_folders", "list_images", "list_videos", "natural_key",
]
