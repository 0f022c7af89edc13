"""A rendered test scene with known geometry: a textured room with a box in it, seen by a camera that turns
away from its first view and comes back (moved and closer), so that 3D guidance can be checked exactly.

Ray casting in numpy (no dependency): the room is the axis-aligned box ``ROOM``, the occluder ``BOX`` stands on
its floor. Every face carries a texture of coloured cells (0.5 m) times a smooth random luminance pattern, so that
optical flow has structure to follow and chroma cannot be guessed from luminance. Colours are rendered with 2x2
supersampling; depth is the z-depth of the pixel centre's ray. Camera axes and poses follow
:mod:`colorize.geometry.camera` (OpenCV, camera-to-world). :func:`score_propagation` scores a propagator on it,
:func:`write_synthetic_scene` writes it out as the command line takes it (a clip and a depth folder).
"""

import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_lab
from colorize.geometry.camera import CameraView, intrinsics_from_fov, pixel_rays
from colorize.propagation import ChromaPropagator, Keyframe
from testkit.clips import write_clip

ROOM = (np.array([-3.0, -1.5, -3.0]), np.array([3.0, 1.5, 3.0]))  # (min, max) corners, metres; y points down
BOX = (np.array([-1.0, 0.3, 1.0]), np.array([0.2, 1.5, 1.8]))  # the occluder in front of the far wall
_CELL = 0.5  # metres per colour cell
_TEXELS = 100  # texture pixels per metre
_SUPERSAMPLE = 2


@dataclass
class SyntheticVideo:
    """``rgb`` (N, H, W, 3) uint8 frames, ``views`` their exact geometry, ``returned`` the indices of the frames
    after the camera has come back to look at what frame 0 showed."""

    rgb: np.ndarray
    views: list[CameraView]
    returned: list[int]


@dataclass
class Score:
    """PSNR (dB, mean over frames) against the rendered colours and propagation speed (frames per second)."""

    psnr_all: float  # every frame but the reference
    psnr_returned: float  # the frames after the camera's return
    fps: float


def score_propagation(propagator: ChromaPropagator, video: SyntheticVideo) -> Score:
    """Colorize ``video`` with frame 0's true colours as the only reference and score it.

    The output is the input's luminance with the propagated chroma (:func:`~colorize.color.compose_lab`); speed
    counts the propagation steps only.
    """
    from colorize.metrics import psnr  # torchmetrics: seconds to import

    labs = [rgb_to_lab(frame) for frame in video.rgb]
    lums = [luminance_to_uint8(lab[..., 0]) for lab in labs]
    propagator.reset(Keyframe(0, lums[0], labs[0][..., 1:].copy()))
    outputs, seconds = [video.rgb[0]], 0.0
    for lab, lum8 in zip(labs[1:], lums[1:]):
        start = time.perf_counter()
        ab = propagator.step(lum8).ab
        seconds += time.perf_counter() - start
        outputs.append(compose_lab(lab[..., 0], ab))
    per_frame = psnr(np.stack(outputs), video.rgb, reduction="none")
    return Score(float(per_frame[1:].mean()), float(per_frame[video.returned].mean()), (len(lums) - 1) / seconds)


def camera_path(num_frames: int, turn: float = np.radians(110), move: tuple[float, float, float] = (0.6, 0.0, 1.0)
                ) -> list[np.ndarray]:
    """Camera-to-world poses: the first 40% of the frames turn right by ``turn`` radians, the next 30% turn back,
    the rest hold the start direction; meanwhile the camera moves linearly by ``move`` metres from (0, 0, -1.5)."""
    poses = []
    for index in range(num_frames):
        phase = index / max(num_frames - 1, 1)
        yaw = turn * (phase / 0.4 if phase < 0.4 else max(0.0, 1.0 - (phase - 0.4) / 0.3))
        pose = np.eye(4)
        pose[:3, :3] = _yaw(yaw)
        pose[:3, 3] = np.array([0.0, 0.0, -1.5]) + phase * np.asarray(move)
        poses.append(pose)
    return poses


def render_video(size: tuple[int, int] = (120, 160), num_frames: int = 48, seed: int = 0,
                 move: tuple[float, float, float] = (0.6, 0.0, 1.0)) -> SyntheticVideo:
    """Render the scene along :func:`camera_path` at ``size`` = (H, W) with a 60-degree horizontal field of view."""
    height, width = size
    intrinsics = intrinsics_from_fov(size, 60.0)
    focal = intrinsics[0]
    fine = (height * _SUPERSAMPLE, width * _SUPERSAMPLE)
    fine_intrinsics = np.array([focal * _SUPERSAMPLE, focal * _SUPERSAMPLE, (fine[1] - 1) / 2, (fine[0] - 1) / 2])
    atlas = _texture_atlas(np.random.default_rng(seed))
    poses = camera_path(num_frames, move=move)
    frames, views = [], []
    for pose in poses:
        colour, _ = _cast(atlas, fine_intrinsics, fine, pose)
        frames.append(cv2.resize(colour, (width, height), interpolation=cv2.INTER_AREA))
        _, depth = _cast(atlas, intrinsics, size, pose)
        views.append(CameraView(depth, intrinsics, pose))
    rgb = np.clip(np.rint(np.stack(frames) * 255), 0, 255).astype(np.uint8)
    returned = [index for index in range(num_frames) if index / max(num_frames - 1, 1) >= 0.7]
    return SyntheticVideo(rgb, views, returned)


def write_synthetic_scene(folder: Path, video: SyntheticVideo) -> dict[str, Path]:
    """Write a :class:`SyntheticVideo` as the command line takes it: ``scene.mp4`` (libx264),
    ``frame0.png`` (its own decoded first frame, the reference, as ``--demo`` uses) and ``depth/`` (a depth folder:
    ``NNNNN.npy`` metres, ``intrinsics.npz``, ``poses.npz``). Returns those three paths by name."""
    from colorize.io import iter_frames, write_png

    folder.mkdir(parents=True, exist_ok=True)
    clip = write_clip(folder / "scene.mp4", list(video.rgb))
    write_png(folder / "frame0.png", next(iter_frames(clip, max_frames=1)))
    depth = folder / "depth"
    depth.mkdir(exist_ok=True)
    for index, view in enumerate(video.views):
        np.save(depth / f"{index:05d}.npy", view.depth)
    for name, values in (("intrinsics", [view.intrinsics for view in video.views]),
                         ("poses", [view.pose for view in video.views])):
        np.savez(depth / f"{name}.npz", data=np.stack(values), inds=np.arange(len(values)))
    return {"video": clip, "reference": folder / "frame0.png", "depth": depth}


def _yaw(angle: float) -> np.ndarray:
    """Rotation about the (downward) y axis: positive turns the view to the right."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _texture_atlas(rng: np.random.Generator) -> np.ndarray:
    """(12 * T, T, 3) float32 RGB in [0, 1]: one T x T texture per face (6 room faces, then 6 box faces)."""
    side = int((ROOM[1] - ROOM[0]).max() * _TEXELS)
    cells = int(np.ceil(side / (_CELL * _TEXELS)))
    faces = []
    for _ in range(12):
        colours = rng.uniform(0.15, 1.0, (cells, cells, 3)).astype(np.float32)
        colours = cv2.resize(colours, (cells * round(_CELL * _TEXELS),) * 2, interpolation=cv2.INTER_NEAREST)
        pattern = cv2.GaussianBlur(rng.uniform(0, 1, (side, side)).astype(np.float32), (0, 0), 2.5)
        pattern = (pattern - pattern.min()) / (pattern.max() - pattern.min())
        faces.append(colours[:side, :side] * (0.45 + 0.55 * pattern[..., None]))
    return np.concatenate(faces)


def _cast(atlas: np.ndarray, intrinsics: np.ndarray, size: tuple[int, int], pose: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Colour (H, W, 3) float32 and z-depth (H, W) float32 of the first surface along every pixel's ray."""
    rays = pixel_rays(intrinsics, size).reshape(-1, 3) @ pose[:3, :3].T  # world directions, camera z = 1
    origin = pose[:3, 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        # Inside the room: the ray leaves through the nearest wall ahead on each axis.
        walls = np.where(rays > 0, ROOM[1], ROOM[0])
        t_walls = np.where(rays != 0, (walls - origin) / rays, np.inf)
        axis = t_walls.argmin(axis=1)
        t = t_walls[np.arange(len(rays)), axis]
        face = 2 * axis + (rays[np.arange(len(rays)), axis] > 0)
        # The box: slab test; the entering face is the axis whose near slab is furthest.
        t_low, t_high = (BOX[0] - origin) / rays, (BOX[1] - origin) / rays
        t_near, t_far = np.minimum(t_low, t_high), np.maximum(t_low, t_high)
        enter, leave = np.nan_to_num(t_near, nan=-np.inf).max(axis=1), np.nan_to_num(t_far, nan=np.inf).min(axis=1)
    hit_box = (enter <= leave) & (enter > 0) & (enter < t)
    box_axis = np.nan_to_num(t_near, nan=-np.inf).argmax(axis=1)
    t = np.where(hit_box, enter, t)
    axis = np.where(hit_box, box_axis, axis)
    face = np.where(hit_box, 6 + 2 * box_axis + (rays[np.arange(len(rays)), box_axis] < 0), face)
    points = origin + t[:, None] * rays
    # Texture coordinates: the two coordinates in the face's plane, from the room's minimum corner.
    in_plane = np.array([[2, 1], [0, 2], [0, 1]])[axis]
    coords = (np.take_along_axis(points, in_plane, axis=1) - ROOM[0][in_plane]) * _TEXELS
    side = atlas.shape[1]
    map_x = np.clip(coords[:, 0], 0, side - 1)
    map_y = np.clip(coords[:, 1], 0, side - 1) + face * side
    colour = cv2.remap(atlas, map_x.astype(np.float32).reshape(size), map_y.astype(np.float32).reshape(size),
                       cv2.INTER_LINEAR)
    return colour, t.reshape(size).astype(np.float32)
