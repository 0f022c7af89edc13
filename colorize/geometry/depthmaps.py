"""``depth_maps/``: each frame's depth as a 16-bit PNG with a color-mapped preview, and the cameras that go with them.

Layout (NNNN: the frame index, zero-padded like the run's other frames)::

    depth_maps/NNNN.png            metric depth: uint16 millimetres, 0 unknown, clipped at 65.535 m
                                   relative depth (a model without scale): uint16 inverse depth normalised per frame
                                   to 1..65535 (larger is nearer; the frame's farthest is 1), 0 unknown
    depth_maps/preview/NNNN.png    color-mapped inverse depth (turbo: near is red, far is blue), for looking at
    depth_maps/intrinsics.npz      when known: data (N, 4) fx, fy, cx, cy in pixels of these maps, inds (N,)
    depth_maps/poses.npz           when known: data (N, 4, 4) camera-to-world (OpenCV axes), inds (N,)

With metric depth the folder is itself a depth folder: ``--geometry folder:OUT/depth_maps`` reads it back
(:func:`~colorize.geometry.read_depth_folder`).
"""

from pathlib import Path

import cv2
import numpy as np

from colorize.io import atomic_file, write_png

MAX_MILLIMETRES = np.iinfo(np.uint16).max


def inverse_depth_preview(inverse: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """(H, W) inverse depth (larger is nearer) -> (H, W, 3) uint8 RGB turbo color map, stretched between the 2nd
    and 98th percentiles of the known values; unknown pixels (``known`` False; by default 0 or non-finite) black."""
    known = np.isfinite(inverse) & (inverse > 0) if known is None else known
    if not known.any():
        return np.zeros((*inverse.shape, 3), np.uint8)
    low, high = np.percentile(inverse[known], [2, 98])
    scaled = np.clip((inverse - low) / max(high - low, 1e-12), 0.0, 1.0)
    levels = np.where(known, np.rint(scaled * 255), 0).astype(np.uint8)
    rgb = cv2.cvtColor(cv2.applyColorMap(levels, cv2.COLORMAP_TURBO), cv2.COLOR_BGR2RGB)
    rgb[~known] = 0
    return rgb


class DepthMapWriter:
    """Writes ``depth_maps/`` (layout in the module docstring) under ``root``: one :meth:`write` per frame, then
    :meth:`close` writes the camera files."""

    def __init__(self, root: Path, digits: int = 4) -> None:
        self.root, self.digits = Path(root), digits
        (self.root / "preview").mkdir(parents=True, exist_ok=True)
        self.count = 0
        self._intrinsics: dict[int, np.ndarray] = {}
        self._poses: dict[int, np.ndarray] = {}

    def write(self, index: int, depth: np.ndarray, relative: bool = False, intrinsics: np.ndarray | None = None,
              pose: np.ndarray | None = None) -> None:
        """Frame ``index``: ``depth`` (H, W) float32 metres, or a relative model's inverse depth when ``relative``;
        ``intrinsics`` (4,) and ``pose`` (4, 4), when known, for the camera files."""
        if relative:  # any finite value is known (0: as far as the model sees)
            known = np.isfinite(depth)
            inverse = np.where(known, depth, 0.0)
            low, high = (inverse[known].min(), inverse[known].max()) if known.any() else (0.0, 1.0)
            levels = np.rint(1 + (inverse - low) / max(high - low, 1e-12) * (MAX_MILLIMETRES - 1))
        else:
            known = np.isfinite(depth) & (depth > 0)
            inverse = np.where(known, 1.0 / np.where(known, depth, 1.0), 0.0)
            levels = np.minimum(np.rint(depth * 1000.0), MAX_MILLIMETRES)
        name = f"{index:0{self.digits}d}.png"
        write_png(self.root / name, np.where(known, levels, 0).astype(np.uint16))
        write_png(self.root / "preview" / name, inverse_depth_preview(inverse, known))
        if intrinsics is not None:
            self._intrinsics[index] = intrinsics
        if pose is not None:
            self._poses[index] = pose
        self.count += 1

    def close(self) -> None:
        """Write ``intrinsics.npz`` and ``poses.npz`` (ViPE's ``data``/``inds`` layout) for the frames that had them."""
        for name, values in (("intrinsics", self._intrinsics), ("poses", self._poses)):
            if values:
                indices = sorted(values)
                with atomic_file(self.root / f"{name}.npz") as temporary:
                    with open(temporary, "wb") as file:
                        np.savez(file, data=np.stack([values[i] for i in indices]), inds=np.array(indices))
