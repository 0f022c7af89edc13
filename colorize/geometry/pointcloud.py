"""World-space point clouds of frames (color and semantic label per point), written as PLY files.

:class:`PointCloudProcessor` is the pipeline stage: for each :class:`VideoFrame` with depth, intrinsics and pose it
fills ``frame.point_cloud`` and writes ``point_clouds/NNNNN.ply`` (the frame index, zero-padded; binary
little-endian: float x, y, z in metres, uchar red, green, blue, and int label when the frame has a semantic mask;
-1 means no label).
"""

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from colorize.geometry.camera import backproject
from colorize.geometry.frame import VideoFrame
from colorize.io import atomic_file

logger = logging.getLogger(__name__)

_FIELDS = [("x", "<f4", "float"), ("y", "<f4", "float"), ("z", "<f4", "float"),
           ("red", "u1", "uchar"), ("green", "u1", "uchar"), ("blue", "u1", "uchar")]
_LABEL = ("label", "<i4", "int")


@dataclass
class PointCloud:
    """``points`` (N, 3) float32 world coordinates in metres, ``colors`` (N, 3) uint8 RGB, ``labels`` (N,) int32
    semantic class ids or None."""

    points: np.ndarray
    colors: np.ndarray
    labels: np.ndarray | None = None


def frame_point_cloud(frame: VideoFrame) -> PointCloud | None:
    """The frame's pixels with known depth lifted to the world, colored by ``colorized_rgb`` (else ``rgb``, else
    ``gray``) and labelled by ``semantic_mask``; None unless depth, intrinsics and pose are known."""
    view = frame.camera_view()
    if view is None:
        return None
    points, pixels = backproject(view)
    if frame.colorized_rgb is not None or frame.rgb is not None:
        image = frame.colorized_rgb if frame.colorized_rgb is not None else frame.rgb
        colors = image.reshape(-1, 3)[pixels]
    elif frame.gray is not None:
        colors = np.repeat(frame.gray.reshape(-1, 1)[pixels], 3, axis=1)
    else:
        colors = np.full((len(pixels), 3), 128, np.uint8)
    labels = None if frame.semantic_mask is None else frame.semantic_mask.reshape(-1)[pixels].astype(np.int32)
    return PointCloud(points.astype(np.float32), colors.astype(np.uint8), labels)


def write_ply(path: Path, cloud: PointCloud) -> None:
    """Write ``cloud`` as a binary little-endian PLY (atomically: a partial file is never left behind)."""
    fields = _FIELDS + ([_LABEL] if cloud.labels is not None else [])
    records = np.empty(len(cloud.points), dtype=[(name, dtype) for name, dtype, _ in fields])
    for axis, name in enumerate("xyz"):
        records[name] = cloud.points[:, axis]
    for channel, name in enumerate(("red", "green", "blue")):
        records[name] = cloud.colors[:, channel]
    if cloud.labels is not None:
        records["label"] = cloud.labels
    header = ["ply", "format binary_little_endian 1.0", f"element vertex {len(records)}"]
    header += [f"property {kind} {name}" for name, _, kind in fields] + ["end_header", ""]
    with atomic_file(Path(path)) as temporary:
        with open(temporary, "wb") as file:
            file.write("\n".join(header).encode("ascii"))
            file.write(records.tobytes())


def read_ply(path: Path) -> PointCloud:
    """Read a PLY written by :func:`write_ply`."""
    with open(path, "rb") as file:
        lines = []
        while not lines or lines[-1] != "end_header":
            lines.append(file.readline().decode("ascii").strip())
        names = [line.split()[2] for line in lines if line.startswith("property")]
        known = {name: dtype for name, dtype, _ in _FIELDS + [_LABEL]}
        records = np.frombuffer(file.read(), dtype=[(name, known[name]) for name in names])
    points = np.stack([records[name] for name in "xyz"], axis=1)
    colors = np.stack([records[name] for name in ("red", "green", "blue")], axis=1)
    return PointCloud(points, colors, records["label"].copy() if "label" in names else None)


class PointCloudProcessor:
    """Pipeline stage: ``processor(frame)`` sets ``frame.point_cloud`` and writes ``OUTPUT/NNNNN.ply``.

    ``every``: keep every n-th frame only (point clouds of consecutive frames mostly repeat each other);
    ``digits``: zero padding of the frame index in the file names. ``count``: files written so far.
    """

    def __init__(self, output: Path, every: int = 1, digits: int = 5) -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.output = Path(output)
        self.every, self.digits = every, digits
        self.count = 0

    def __call__(self, frame: VideoFrame) -> VideoFrame:
        if frame.index % self.every:
            return frame
        cloud = frame_point_cloud(frame)
        if cloud is None:
            logger.debug("frame %d: no depth, intrinsics or pose: no point cloud", frame.index)
            return frame
        frame.point_cloud = cloud.points
        self.output.mkdir(parents=True, exist_ok=True)
        write_ply(self.output / f"{frame.index:0{self.digits}d}.ply", cloud)
        self.count += 1
        return frame
