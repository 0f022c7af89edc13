"""Reading what ``vipe infer`` saves, without importing ViPE.

For a video named NAME, ViPE's ``vipe/utils/io.py`` (``save_artifacts``) writes under its output folder:

- ``pose/NAME.npz``: ``data`` (N, 4, 4) camera-to-world matrices (OpenCV axes), ``inds`` (N,) frame indices;
- ``intrinsics/NAME.npz``: ``data`` (N, 4) fx, fy, cx, cy in pixels, ``inds``;
- ``depth/NAME.zip``: one EXR per frame named by its zero-padded index (``00012.exr``), metric depth in the
  half-float channel ``Z``;
- ``rgb/NAME.mp4``: the frames it ran on; optionally ``mask/NAME.zip``: PNG instance masks named like the depth.

Frames may be missing from any of them (ViPE drops frames it has no estimate for); :class:`CameraTrack` only holds
the frames that have all three. EXR needs the ``OpenEXR`` package (``pip install colorize-video[vipe]``; any version
ViPE works with, see :mod:`colorize.geometry.exr`): the OpenCV wheels are built without their EXR codec.

:func:`vipe_output_for` finds a video's output (NAME is the video file's stem, as ViPE names it) and, when there is
none and the ``vipe`` command is installed, runs ``vipe infer VIDEO --output FOLDER`` first, as a subprocess.
"""

import logging
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from colorize.errors import ColorizeError, InputError
from colorize.geometry.exr import decode_exr_depth
from colorize.geometry.track import CameraTrack, read_indexed_npz

logger = logging.getLogger(__name__)

ARTIFACTS = {"pose": ".npz", "intrinsics": ".npz", "depth": ".zip", "mask": ".zip", "rgb": ".mp4"}  # kind -> suffix


@dataclass
class ViPEOutput:
    """One video's artifacts in a ViPE output folder."""

    root: Path
    name: str

    def path(self, kind: str) -> Path:
        """The file of one artifact: ``pose``, ``intrinsics``, ``depth``, ``mask`` or ``rgb``."""
        return self.root / kind / f"{self.name}{ARTIFACTS[kind]}"

    def track(self) -> CameraTrack:
        """Depth, intrinsics and poses as a :class:`CameraTrack` (depth decoded on lookup)."""
        for path in map(self.path, ("pose", "intrinsics", "depth")):
            if not path.is_file():
                raise InputError(f"ViPE output {self.root} has no {path.relative_to(self.root)} (run `vipe infer` "
                                 f"on {self.name} first, or check --geometry vipe's folder)")
        poses = read_indexed_npz(self.path("pose"), (4, 4))
        intrinsics = read_indexed_npz(self.path("intrinsics"), (4,))
        depth_path = self.path("depth")
        members = _indexed_members(depth_path)
        track = CameraTrack(lambda index: _read_exr_depth(depth_path, members[index]), members, intrinsics, poses)
        logger.info("ViPE %s: %d frames with depth, intrinsics and pose (%d depth, %d intrinsics, %d poses)",
                    self.name, len(track), len(members), len(intrinsics), len(poses))
        return track

    def instance_masks(self) -> dict[int, np.ndarray]:
        """Frame index -> (H, W) uint8 instance ids from ``mask/NAME.zip``; empty when ViPE saved none."""
        path = self.path("mask")
        if not path.is_file():
            return {}
        with zipfile.ZipFile(path) as archive:
            return {index: cv2.imdecode(np.frombuffer(archive.read(member), np.uint8), cv2.IMREAD_UNCHANGED)
                    for index, member in _indexed_members(path).items()}


VIPE_HOME = "https://github.com/nv-tlabs/vipe"


def vipe_output_for(video: Path, root: Path, run: bool = True) -> ViPEOutput:
    """The ViPE output of ``video`` in the folder ``root``. When it has none and ``run`` is set, ``vipe infer`` makes
    it first if ViPE is installed; otherwise an :class:`InputError` says how to get it (one line)."""
    video, root = Path(video), Path(root)
    output = ViPEOutput(root, video.stem)
    if output.path("pose").is_file():
        return output
    command = shutil.which("vipe")
    where = f"no ViPE output for {video.stem} in {root} (no pose/{video.stem}.npz)"
    if not run or command is None:
        why = "running ViPE is off (geometry.run_vipe)" if not run else "the `vipe` command is not installed"
        raise InputError(f"--geometry vipe: {where} and {why}; install ViPE ({VIPE_HOME}) or run "
                         f"`vipe infer {video} --output {root}` where it is, then pass that folder with --vipe-dir")
    logger.info("%s: running `vipe infer` (%s)", where, command)
    result = subprocess.run([command, "infer", str(video), "--output", str(root)], check=False)
    if result.returncode != 0:
        raise ColorizeError(f"`vipe infer {video} --output {root}` failed with exit code {result.returncode} "
                            "(its messages are above)")
    if not output.path("pose").is_file():
        raise InputError(f"`vipe infer` finished but wrote no pose/{video.stem}.npz in {root}")
    return output


def find_vipe_outputs(root: Path) -> list[ViPEOutput]:
    """Every video with a pose file in the ViPE output folder ``root``, by name."""
    return [ViPEOutput(Path(root), path.stem) for path in sorted(Path(root).glob("pose/*.npz"))]


def _indexed_members(path: Path) -> dict[int, str]:
    """Frame index -> member name for the files of a zip named by frame index (``00012.exr``)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile) as err:
        raise InputError(f"cannot read {path}: {err}") from err
    return {int(Path(name).stem): name for name in names if Path(name).stem.isdigit()}


def _read_exr_depth(path: Path, member: str) -> np.ndarray:
    with zipfile.ZipFile(path) as archive:
        return decode_exr_depth(archive.read(member), f"{path}:{member}")
