"""Helpers for tests and benchmarks: test clips written with plain PyAV (independently of ``VideoWriter``)."""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def write_clip(path: Path, frames: list[np.ndarray], fps: Fraction = Fraction(24), tone_hz: float | None = None,
               tone_seconds: float = 1.5, audio_codec: str = "aac", rate: int = 44100) -> Path:
    """Encode (H, W, 3) uint8 RGB ``frames`` with libx264, plus a mono sine tone when ``tone_hz`` is given."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.height, video.width = frames[0].shape[:2]
        video.pix_fmt = "yuv420p"
        audio = container.add_stream(audio_codec, rate=rate, layout="mono") if tone_hz else None
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = i
            container.mux(video.encode(frame))
        container.mux(video.encode())
        if audio is not None:
            t = np.arange(round(tone_seconds * rate)) / rate
            samples = (0.5 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
            for start in range(0, len(samples), 1024):
                frame = av.AudioFrame.from_ndarray(samples[None, start:start + 1024], format="flt", layout="mono")
                frame.sample_rate, frame.pts = rate, start
                container.mux(audio.encode(frame))
            container.mux(audio.encode())
    return path


def decode_audio(path: Path) -> tuple[str, int, np.ndarray]:
    """(codec name, sample rate, first channel as float32) of the first audio stream of ``path``."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = np.concatenate([frame.to_ndarray()[0] for frame in container.decode(stream)])
        return stream.codec_context.codec.canonical_name, stream.sample_rate, samples


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    """Frequency (Hz) of the strongest peak of a Hann-windowed spectrum."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()])


def moving_square_frames(num_frames: int = 6, height: int = 32, width: int = 48, step: int = 2) -> np.ndarray:
    """(T, H, W, 3) uint8 RGB: a blue-green gradient and a textured red square moving ``step`` px right per frame.

    The colours follow from the luminance (the square is darker than the background), so a network can learn them;
    the square's fixed random texture lets optical flow track it.
    """
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    background = np.stack([20 + 0 * xs, 90 + 120 * xs / width, 200 - 40 * ys / height], axis=-1)
    frames = np.repeat(background[None], num_frames, axis=0)
    side_y, side_x = height // 3, width // 4
    red = np.random.default_rng(0).uniform(160, 240, (side_y, side_x))
    square = np.stack([red, np.full_like(red, 30), np.full_like(red, 30)], axis=-1)
    for t in range(num_frames):
        frames[t, height // 4: height // 4 + side_y, 4 + t * step: 4 + t * step + side_x] = square
    return np.rint(frames).astype(np.uint8)


def write_frames_dataset(root: Path, videos: int = 2, num_frames: int = 6, size: tuple[int, int] = (32, 48),
                         grayscale: bool = False, depth: bool = False, semantic: bool = False) -> Path:
    """Write the ``frames`` training layout under ``root`` (see :mod:`colorize.datasets.sources`); returns ``root``.

    Video ``v`` is :func:`moving_square_frames` moving ``2 + v`` px per frame. ``grayscale/`` holds their luminance as
    gray PNGs, ``depth/`` 16-bit maps (0 at the top row, 65535 at the bottom), ``semantic/`` ids (0 background,
    1 square).
    """
    import cv2

    from colorize.color import luminance_to_gray, rgb_to_luminance
    from colorize.io import write_png

    for v in range(videos):
        frames = moving_square_frames(num_frames, *size, step=2 + v)
        for kind in ["color"] + ["grayscale"] * grayscale + ["depth"] * depth + ["semantic"] * semantic:
            (root / kind / f"video{v}").mkdir(parents=True, exist_ok=True)
        for t, rgb in enumerate(frames):
            name = f"{t:04d}.png"
            write_png(root / "color" / f"video{v}" / name, rgb)
            if grayscale:
                write_png(root / "grayscale" / f"video{v}" / name, luminance_to_gray(rgb_to_luminance(rgb)))
            if depth:
                ramp = np.linspace(0, 65535, size[0]).astype(np.uint16)[:, None].repeat(size[1], axis=1)
                cv2.imwrite(str(root / "depth" / f"video{v}" / name), ramp)
            if semantic:
                write_png(root / "semantic" / f"video{v}" / name, (rgb[..., 0] > 150).astype(np.uint8))
    return root


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


def write_synthetic_scene(folder: Path, video) -> dict[str, Path]:
    """Write a :class:`~testkit.synthetic.SyntheticVideo` as the command line takes it: ``scene.mp4`` (libx264),
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
