"""The geometry of a whole video as a mapping frame index -> :class:`CameraView`, for frames where it is known.

Providers (ViPE's output, a depth folder) know depth, intrinsics and poses per frame, possibly not for every frame
(ViPE saves an ``inds`` array for each). A frame is in the track only when all three are known for it; depth is
read when the frame is looked up, so a long video is never held in memory.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import numpy as np

from colorize.errors import InputError
from colorize.geometry.camera import CameraView, resize_view


class CameraTrack(Mapping[int, CameraView]):
    """``track[i]`` is frame i's :class:`CameraView`; ``i in track`` says whether frame i has one.

    Args:
        read_depth: frame index -> (H, W) float32 depth in metres (called on lookup only).
        depth_frames: the frame indices that have depth.
        intrinsics: frame index -> (4,) fx, fy, cx, cy in pixels.
        poses: frame index -> (4, 4) camera-to-world (OpenCV axes).
    """

    def __init__(self, read_depth: Callable[[int], np.ndarray], depth_frames, intrinsics: Mapping[int, np.ndarray],
                 poses: Mapping[int, np.ndarray]) -> None:
        self._read_depth = read_depth
        self._frames = set(depth_frames) & set(intrinsics) & set(poses)
        self._intrinsics, self._poses = intrinsics, poses

    def __getitem__(self, index: int) -> CameraView:
        if index not in self._frames:
            raise KeyError(index)
        return CameraView(self._read_depth(index), self._intrinsics[index], self._poses[index])

    def __contains__(self, index: object) -> bool:  # without reading the depth, as Mapping's default would
        return index in self._frames

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._frames))

    def __len__(self) -> int:
        return len(self._frames)


class ResizedViews(Mapping[int, CameraView]):
    """``views`` (any mapping frame index -> :class:`CameraView`) seen at ``size`` = (H, W), resized on lookup
    (:func:`~colorize.geometry.camera.resize_view`): what propagation at the working resolution needs. The last
    ``keep`` views looked up are kept, so that the stages of one frame read and decode its depth once."""

    def __init__(self, views: Mapping[int, CameraView], size: tuple[int, int], keep: int = 2) -> None:
        self.views, self.size, self.keep = views, (int(size[0]), int(size[1])), keep
        self._recent: OrderedDict[int, CameraView] = OrderedDict()

    def __getitem__(self, index: int) -> CameraView:
        if index not in self._recent:
            self._recent[index] = resize_view(self.views[index], self.size)
            while len(self._recent) > self.keep:
                self._recent.popitem(last=False)
        return self._recent[index]

    def __contains__(self, index: object) -> bool:
        return index in self.views

    def __iter__(self) -> Iterator[int]:
        return iter(self.views)

    def __len__(self) -> int:
        return len(self.views)


def read_indexed_npz(path: Path, shape: tuple[int, ...]) -> dict[int, np.ndarray]:
    """A ViPE-style ``.npz`` (``data``: (N, *shape), ``inds``: (N,) frame indices) as frame index -> (*shape) array."""
    try:
        with np.load(path) as archive:
            data, indices = archive["data"], archive["inds"]
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"cannot read {path} (expected an .npz with 'data' and 'inds'): {err}") from err
    if data.shape[1:] != shape or len(indices) != len(data):
        raise InputError(f"{path}: expected data (N, {', '.join(map(str, shape))}) and inds (N,), got data "
                         f"{data.shape} and inds {indices.shape}")
    return {int(index): value.astype(np.float64) for index, value in zip(indices, data)}
