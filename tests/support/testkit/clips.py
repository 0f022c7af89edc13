"""Test clips for tests and benchmarks: frames with known motion, written with plain PyAV (independently of
``VideoWriter``), and the audio checks on what comes back."""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def write_clip(path: Path, frames: list[np.ndarray], fps: Fraction = Fraction(24), tone_hz: float | None = None,
               tone_seconds: float = 1.5, audio_codec: str = "aac", rate: int = 44100, rotation: int = 0) -> Path:
    """Encode (H, W, 3) uint8 RGB ``frames`` with libx264, plus a mono sine tone when ``tone_hz`` is given; with
    ``rotation`` (degrees counter-clockwise), a display matrix telling players to turn the frames, as phones write."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.height, video.width = frames[0].shape[:2]
        video.pix_fmt = "yuv420p"
        if rotation:
            video.set_display_rotation(rotation)
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
