"""Video in and out with PyAV: probe, stream frames as (H, W, 3) uint8 RGB, and write H.264 MP4 with the source audio.

Color: frames are converted RGB -> YUV with BT.709 (limited range) and tagged so; reading converts with the matrix
the file is tagged with (BT.601 when untagged, FFmpeg's default), so our own files round-trip consistently.
"""

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.bitstream import BitStreamFilterContext
from av.video.reformatter import ColorPrimaries, ColorRange, Colorspace, ColorTrc

from colorize.errors import InputError
from colorize.io.atomic import partial_path

logger = logging.getLogger(__name__)

# Audio codecs stored in MP4 as they are (remuxed); any other codec is transcoded to AAC.
MP4_AUDIO_CODECS = frozenset({"aac", "mp3", "ac3", "eac3", "alac"})
# MP4 and MOV are written fragmented: FFmpeg's plain MP4 muxer keeps an index entry for every frame in memory until
# the file is closed (74 bytes a frame, 12 MiB for a 2-hour film), a fragmented one writes its index with each
# fragment. Fragments start at keyframes and last at most 2 s; the closing index (mfra) keeps seeking fast. The
# header waits for the first fragment (delay_moov) so that its edit list hides x264's B-frame delay: with an empty
# header written first, frame 0 would be shown at 2/fps s, out of step with the audio.
FRAGMENTED_MP4 = {"movflags": "frag_keyframe+delay_moov+default_base_moof", "frag_duration": "2000000"}


@dataclass(frozen=True)
class VideoInfo:
    """What :func:`probe_video` found. ``width``/``height`` are those of the frames as :func:`iter_frames` gives them
    (turned upright by the file's display rotation, see :func:`upright_rgb`), in pixels."""

    path: Path
    width: int
    height: int
    fps: Fraction  # average frame rate, frames per second
    num_frames: int  # container's count, or round(duration * fps) when the container has none
    has_audio: bool

    @property
    def duration(self) -> float:
        """num_frames / fps, in seconds."""
        return float(self.num_frames / self.fps)


def _reason(exc: Exception) -> str:
    """FFmpeg's message without the errno and file name ('Invalid data found when processing input')."""
    text = exc.args[1] if len(exc.args) >= 2 and isinstance(exc.args[1], str) else str(exc)
    return " ".join(text.split())


def _open(path: Path) -> av.container.InputContainer:
    """Open ``path`` for reading, turning every way that can fail into a one-line InputError."""
    if not path.exists():
        raise InputError(f"video not found: {path}")
    if path.is_dir():
        raise InputError(f"expected a video file, got a directory: {path}")
    try:
        return av.open(str(path))
    except (av.FFmpegError, OSError) as exc:
        raise InputError(f"not a readable video: {path} ({_reason(exc)})") from exc


def _video_stream(container: av.container.InputContainer, path: Path) -> av.VideoStream:
    if not container.streams.video:
        raise InputError(f"no video stream in: {path}")
    return container.streams.video[0]


def _duration(container: av.container.InputContainer, stream: av.VideoStream) -> Fraction:
    """Length of ``stream`` in seconds: its own duration, Matroska's DURATION tag, or else the container's."""
    if stream.duration is not None:
        return stream.duration * stream.time_base
    try:  # "HH:MM:SS.fffffffff", written by FFmpeg's Matroska muxer
        hours, minutes, seconds = stream.metadata.get("DURATION", "").split(":")
        return int(hours) * 3600 + int(minutes) * 60 + Fraction(seconds)
    except ValueError:
        pass
    return Fraction(container.duration or 0, av.time_base)


def probe_video(path: str | os.PathLike) -> VideoInfo:
    """Read a video's size, frame rate, frame count and audio presence, decoding only its first frame."""
    path = Path(path)
    with _open(path) as container:
        stream = _video_stream(container, path)
        fps = stream.average_rate or stream.guessed_rate or stream.base_rate
        if not fps:
            raise InputError(f"cannot tell the frame rate of: {path}")
        try:
            first = next(container.decode(stream), None)
        except av.FFmpegError as exc:
            raise InputError(f"not a readable video: {path} ({_reason(exc)})") from exc
        if first is None:
            raise InputError(f"video has no frames: {path}")
        num_frames = stream.frames or max(1, round(_duration(container, stream) * fps))
        width, height = (first.height, first.width) if _quarter_turns(first) % 2 else (first.width, first.height)
        return VideoInfo(path, width, height, Fraction(fps), num_frames, bool(container.streams.audio))


def iter_frames(path: str | os.PathLike, *, max_frames: int | None = None) -> Iterator[np.ndarray]:
    """Yield the frames of ``path`` one at a time as (H, W, 3) uint8 RGB, at most ``max_frames`` of them.

    Lazy: the file is opened (and errors raised, as InputError) on the first ``next``; only a few frames are ever
    in memory. Decoding is multi-threaded.
    """
    path = Path(path)
    with _open(path) as container:
        stream = _video_stream(container, path)
        stream.thread_type = "AUTO"
        frames = container.decode(stream)
        count = 0
        while max_frames is None or count < max_frames:
            try:
                frame = next(frames, None)
            except av.FFmpegError as exc:
                raise InputError(f"cannot decode {path} after frame {count}: {_reason(exc)}") from exc
            if frame is None:
                return
            yield upright_rgb(frame)
            count += 1


def upright_rgb(frame: av.VideoFrame) -> np.ndarray:
    """A decoded frame as (H, W, 3) uint8 RGB the way players show it: turned by the rotation of its display matrix.

    Phones store portrait video as landscape frames with a rotation to show them by; ignoring it, a colorized phone
    clip came out on its side. Output files are written upright, with no rotation of their own. (Mirroring in the
    matrix, rare, is not applied; a rotation that is not a multiple of 90 degrees goes to the nearest one.)
    """
    rgb = frame.to_ndarray(format="rgb24")
    turns = _quarter_turns(frame)
    return np.ascontiguousarray(np.rot90(rgb, turns)) if turns else rgb


def _quarter_turns(frame: av.VideoFrame) -> int:
    """Counter-clockwise quarter turns, 0-3, that show ``frame`` upright (PyAV's ``rotation``, FFmpeg's convention)."""
    return round(frame.rotation / 90) % 4


class _AudioCopier:
    """Moves the first audio stream of ``source`` into ``output``, packet by packet, as far as asked.

    Codecs MP4 can hold are remuxed untouched; others are decoded and re-encoded to AAC. Audio is timed against the
    source's first video frame, so it stays in sync with frames written from :func:`iter_frames`.
    """

    def __init__(self, source: Path, output: av.container.OutputContainer) -> None:
        self._input = _open(source)
        self._src = self._input.streams.audio[0]
        # Shift so that the source's first video frame is t = 0 (e.g. MPEG-TS starts at 1.4 s).
        video = self._input.streams.video
        start = video[0].start_time * video[0].time_base if video and video[0].start_time else 0
        self._shift = round(start / self._src.time_base)
        codec = self._src.codec_context.codec.canonical_name  # "mp3", where the decoder is "mp3float"
        self.remux = codec in MP4_AUDIO_CODECS
        self._adts: BitStreamFilterContext | None = None
        if self.remux:
            self._dst = output.add_stream_from_template(self._src)
            if codec == "aac":  # ADTS headers (MPEG-TS, .aac) become MP4's config; other AAC passes as it is
                self._adts = BitStreamFilterContext("aac_adtstoasc", self._src)
        else:
            layout = f"{self._src.layout.nb_channels}c"  # FFmpeg's default layout for that many channels
            self._dst = output.add_stream("aac", rate=self._src.sample_rate, layout=layout)
        self._output = output
        self._packets = self._input.demux(self._src)
        self._pending: av.Packet | None = None
        self._next_pts: int | None = None  # when transcoding: pts of the next frame, in samples
        logger.info("audio from %s: %s %s", source, codec, "copied" if self.remux else "re-encoded to AAC")

    def copy_until(self, end: Fraction) -> None:
        """Mux every source packet that starts before ``end`` seconds of the output."""
        while True:
            packet = self._pending if self._pending is not None else self._next_packet()
            if packet is None:
                return
            if packet.pts * packet.time_base >= end:
                self._pending = packet
                return
            self._pending = None
            if self.remux:
                for filtered in self._adts.filter(packet) if self._adts is not None else [packet]:
                    filtered.stream = self._dst
                    self._output.mux(filtered)
            else:
                for frame in packet.decode():
                    if self._next_pts is None:  # later frames follow on sample by sample, without jitter
                        self._next_pts = round(frame.pts * frame.time_base * frame.sample_rate)
                    frame.pts, frame.time_base = self._next_pts, Fraction(1, frame.sample_rate)
                    self._next_pts += frame.samples
                    self._output.mux(self._dst.encode(frame))

    def _next_packet(self) -> av.Packet | None:
        """Next packet with its time shifted, or None at the end."""
        try:
            for packet in self._packets:
                if packet.pts is None:
                    packet.pts = packet.dts
                if packet.pts is None:  # the demuxer's final empty packet
                    continue
                packet.pts -= self._shift
                if packet.dts is not None:
                    packet.dts -= self._shift
                return packet
        except av.FFmpegError as exc:
            raise InputError(f"cannot read the audio of {self._input.name}: {_reason(exc)}") from exc
        return None

    def close(self, flush: bool) -> None:
        """Flush the AAC encoder if ``flush`` (only when finishing normally), then close the source."""
        if flush and not self.remux:
            self._output.mux(self._dst.encode(None))
        self._input.close()


class VideoWriter:
    """Encode (H, W, 3) uint8 RGB frames into a video file (H.264 MP4 by default), optionally with another file's audio.

    Use as a context manager. Frame i is shown at exactly i / fps seconds. The file is written under a hidden
    ``.NAME.partial-<pid>.EXT`` and renamed to ``path`` only by a successful :meth:`close`; an exception inside the
    ``with`` block deletes it. Chroma-subsampled formats (yuv420p) need even sizes, so an odd width or height is padded
    by one replicated column or row: the file's size is :attr:`frame_size`, and the extra pixel is a copy of its
    neighbour. ``audio_from`` names a video or audio file whose first audio track is added, cut at the video's end
    (to within one audio packet, ~20 ms); a file without audio just gives a silent video. ``crf`` and ``preset`` are
    x264's quality and speed settings (``preset=None``: the codec's default, medium). MP4 and MOV files are written
    fragmented (:data:`FRAGMENTED_MP4`), so memory stays flat however long the video.
    """

    def __init__(self, path: str | os.PathLike, fps: Fraction, width: int, height: int, *,
                 audio_from: str | os.PathLike | None = None, crf: int = 18, codec: str = "libx264",
                 pix_fmt: str = "yuv420p", preset: str | None = None) -> None:
        if fps <= 0 or width <= 0 or height <= 0:
            raise ValueError(f"VideoWriter needs fps, width, height > 0, got {fps}, {width}, {height}")
        self.path = Path(path)
        if not self.path.parent.is_dir():  # fail now, not at the first packet (~40 frames in)
            raise InputError(f"output folder does not exist: {self.path.parent}")
        self.fps = Fraction(fps)
        self.width, self.height = width, height
        fmt = av.VideoFormat(pix_fmt)
        pad_x = width % 2 if fmt.chroma_width(2) < 2 else 0
        pad_y = height % 2 if fmt.chroma_height(2) < 2 else 0
        self.frame_size = (width + pad_x, height + pad_y)  # (width, height) stored in the file
        self._pad = ((0, pad_y), (0, pad_x), (0, 0))
        self._pix_fmt = pix_fmt
        self._count = 0
        self._finished = False
        self._tmp = partial_path(self.path)
        self._audio: _AudioCopier | None = None
        options = FRAGMENTED_MP4 if self.path.suffix.lower() in {".mp4", ".m4v", ".mov"} else None
        self._output = av.open(str(self._tmp), "w", options=options)  # the file itself is created by the first mux
        try:
            options = {"crf": str(crf)} | ({"preset": preset} if preset else {})
            self._stream = self._output.add_stream(codec, rate=self.fps, options=options)
            self._stream.width, self._stream.height = self.frame_size
            self._stream.pix_fmt = pix_fmt
            ctx = self._stream.codec_context
            ctx.time_base = 1 / self.fps
            ctx.colorspace, ctx.color_range = Colorspace.ITU709, ColorRange.MPEG  # what write() converts to
            ctx.color_primaries, ctx.color_trc = ColorPrimaries.BT709, ColorTrc.BT709
            if audio_from is not None:
                with _open(Path(audio_from)) as probe:
                    has_audio = bool(probe.streams.audio)
                if has_audio:
                    self._audio = _AudioCopier(Path(audio_from), self._output)
                else:
                    logger.info("%s has no audio track: writing video only", audio_from)
        except BaseException:
            self._abort()
            raise

    def write(self, rgb: np.ndarray) -> None:
        """Append one frame, (height, width, 3) uint8 RGB."""
        if rgb.shape != (self.height, self.width, 3) or rgb.dtype != np.uint8:
            raise ValueError(f"expected ({self.height}, {self.width}, 3) uint8, got {rgb.shape} {rgb.dtype}")
        if self.frame_size != (self.width, self.height):
            rgb = np.pad(rgb, self._pad, mode="edge")
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame = frame.reformat(format=self._pix_fmt, dst_colorspace="itu709", dst_color_range="MPEG")
        frame.pts, frame.time_base = self._count, 1 / self.fps
        self._output.mux(self._stream.encode(frame))
        self._count += 1
        if self._audio is not None:
            self._audio.copy_until(self._count / self.fps)

    def close(self) -> None:
        """Finish encoding, add the rest of the audio (up to the video's end) and move the file to ``path``."""
        if self._finished:
            return
        try:
            if self._count == 0:
                raise ValueError(f"no frame was written to {self.path}")
            self._output.mux(self._stream.encode(None))
            if self._audio is not None:
                self._audio.copy_until(self._count / self.fps)
                self._audio.close(flush=True)
            self._output.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            self._abort()
            raise
        self._finished = True
        logger.debug("wrote %s: %d frames at %s fps", self.path, self._count, self.fps)

    def _abort(self) -> None:
        """Close everything without finishing the file, and delete the partial file."""
        if self._finished:
            return
        self._finished = True
        with contextlib.suppress(Exception):  # already failing: the original exception is the one to report
            if self._audio is not None:
                self._audio.close(flush=False)
        with contextlib.suppress(Exception):
            self._output.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "VideoWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc is None:
            self.close()
        else:
            self._abort()
