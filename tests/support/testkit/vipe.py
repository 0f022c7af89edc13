"""ViPE's output written the way ViPE writes it, from known camera views: what :mod:`colorize.geometry.vipe`
reads."""

from pathlib import Path

import numpy as np


def write_vipe_output(root: Path, name: str, views: list, pose_frames: list[int] | None = None,
                      depth_frames: list[int] | None = None, masks: dict[int, np.ndarray] | None = None) -> Path:
    """Write ``views`` (:class:`~colorize.geometry.CameraView` per frame) the way ViPE's ``save_artifacts`` does:
    ``pose/NAME.npz`` and ``intrinsics/NAME.npz`` (``data``, ``inds``) and ``depth/NAME.zip`` of half-float EXRs
    (channel ``Z``), optionally ``mask/NAME.zip`` of PNGs. ``pose_frames``/``depth_frames`` (default: all) leave the
    other frames out, as ViPE does for frames it has no estimate for. Needs the OpenEXR package; returns ``root``."""
    import tempfile
    import zipfile

    import cv2
    import Imath
    import OpenEXR

    pose_frames = range(len(views)) if pose_frames is None else pose_frames
    depth_frames = range(len(views)) if depth_frames is None else depth_frames
    for kind in ("pose", "intrinsics", "depth"):
        (root / kind).mkdir(parents=True, exist_ok=True)
    np.savez(root / "pose" / f"{name}.npz", data=np.stack([views[i].pose for i in pose_frames]),
             inds=np.array(list(pose_frames)))
    np.savez(root / "intrinsics" / f"{name}.npz", data=np.stack([view.intrinsics for view in views]),
             inds=np.arange(len(views)))
    with zipfile.ZipFile(root / "depth" / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for index in depth_frames:
            height, width = views[index].depth.shape
            header = OpenEXR.Header(width, height)
            header["channels"] = {"Z": Imath.Channel(Imath.PixelType(Imath.PixelType.HALF))}
            with tempfile.NamedTemporaryFile(suffix=".exr") as file:
                exr = OpenEXR.OutputFile(file.name, header)
                exr.writePixels({"Z": views[index].depth.astype(np.float16).tobytes()})
                exr.close()
                archive.write(file.name, f"{index:05d}.exr")
    if masks is not None:
        (root / "mask").mkdir(exist_ok=True)
        with zipfile.ZipFile(root / "mask" / f"{name}.zip", "w") as archive:
            for index, mask in masks.items():
                archive.writestr(f"{index:05d}.png", cv2.imencode(".png", mask)[1].tobytes())
    return root
