"""The three dataset layouts, built in tmp_path from real frames of the bundled clips."""

from fractions import Fraction

import cv2
import numpy as np
import pytest

from colorize.color import rgb_to_luminance
from colorize.errors import InputError
from colorize.evaluation import detect_layout, load_dataset
from colorize.evaluation.datasets import to_input
from colorize.io import VideoWriter, write_png


def write_jpgs(folder, frames, name="{:05d}.jpg"):
    folder.mkdir(parents=True)
    for index, frame in enumerate(frames):
        cv2.imwrite(str(folder / name.format(index)), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, 95])


def write_video(path, frames):
    height, width = frames[0].shape[:2]
    with VideoWriter(path, Fraction(25), width, height) as writer:
        for frame in frames:
            writer.write(frame)
    return path


def check_input_is_luminance(clip):
    """The input is gray (R = G = B) with the ground truth's Lab L, and each call starts a fresh pass."""
    truth, inputs = list(clip.open_truth()), list(clip.open_input())
    assert len(truth) == len(inputs) == clip.num_frames
    for frame, gray in zip(truth, inputs, strict=True):
        assert gray.shape == frame.shape and gray.dtype == np.uint8
        assert (gray == gray[..., :1]).all()
        assert np.abs(rgb_to_luminance(gray) - rgb_to_luminance(frame)).max() < 0.5  # 8-bit gray rounding
    assert np.array_equal(np.stack(list(clip.open_truth())), np.stack(truth))


def test_davis_val_split(tmp_path, clips):
    images = tmp_path / "JPEGImages" / "480p"
    for sequence in ("bear", "blackswan", "camel"):
        write_jpgs(images / sequence, clips["carphone"][:5])
    (tmp_path / "ImageSets" / "2017").mkdir(parents=True)
    (tmp_path / "ImageSets" / "2017" / "val.txt").write_text("camel\nblackswan\nmissing\n")

    found = load_dataset("davis_2017", tmp_path, max_frames=3)
    assert [clip.name for clip in found] == ["blackswan", "camel"]  # val.txt selects; a missing entry is skipped
    assert [clip.num_frames for clip in found] == [3, 3]
    truth = np.stack(list(found[0].open_truth()))
    assert np.abs(truth.astype(int) - clips["carphone"][:3]).mean() < 3  # JPEG round trip
    check_input_is_luminance(found[0])


def test_davis_without_split_uses_every_sequence(tmp_path, clips):
    for sequence in ("b", "a"):
        write_jpgs(tmp_path / "JPEGImages" / "480p" / sequence, clips["bikes"][:2])
    assert [clip.name for clip in load_dataset("davis_2017", tmp_path)] == ["a", "b"]
    with pytest.raises(InputError, match="JPEGImages/480p"):
        load_dataset("davis_2017", tmp_path / "JPEGImages")


def test_custom_layout(tmp_path, clips):
    frames = clips["carphone"][:4]
    for sub in ("color", "grayscale"):
        (tmp_path / "walk" / sub).mkdir(parents=True)
    for number, frame in zip((1, 2, 10, 11), frames, strict=True):  # natural order: frame_2 before frame_10
        write_png(tmp_path / "walk" / "color" / f"frame_{number}.png", frame)
        write_png(tmp_path / "walk" / "grayscale" / f"frame_{number}.png", to_input(frame)[..., 0])  # 1 channel
    (tmp_path / "notes").mkdir()  # neither grayscale/ nor color/: not a clip

    (clip,) = load_dataset("custom", tmp_path)
    assert clip.name == "walk" and clip.num_frames == 4
    assert np.array_equal(np.stack(list(clip.open_truth())), frames)  # PNG is lossless, order is natural
    check_input_is_luminance(clip)
    assert load_dataset("custom", tmp_path, max_frames=2)[0].num_frames == 2


def test_custom_broken_clips_fail_when_read(tmp_path, clips):
    frame = clips["bikes"][0]
    for sub, name in (("color", "0001.png"), ("grayscale", "0002.png")):  # names that do not pair up
        (tmp_path / "mismatch" / sub).mkdir(parents=True)
        write_png(tmp_path / "mismatch" / sub / name, frame)
    (tmp_path / "nocolor" / "grayscale").mkdir(parents=True)
    write_png(tmp_path / "nocolor" / "grayscale" / "0001.png", frame)

    mismatch, nocolor = load_dataset("custom", tmp_path)
    assert mismatch.num_frames == nocolor.num_frames == 0
    with pytest.raises(InputError, match="do not pair up"):
        next(mismatch.open_truth())
    with pytest.raises(InputError, match="missing folder .*color"):
        next(nocolor.open_input())


def test_videos_layout(tmp_path, clips):
    write_video(tmp_path / "bikes.mp4", clips["bikes"])
    write_video(tmp_path / "carphone.mkv", clips["carphone"][:6])
    (tmp_path / "README.txt").write_text("not a clip")
    (tmp_path / "broken.mp4").write_text("not a video either")

    found = load_dataset("videos", tmp_path)
    assert [clip.name for clip in found] == ["bikes", "broken", "carphone"]
    assert [clip.num_frames for clip in found] == [8, 0, 6]
    truth = np.stack(list(found[0].open_truth()))
    assert truth.shape == clips["bikes"].shape and np.abs(truth.astype(int) - clips["bikes"]).mean() < 3
    check_input_is_luminance(found[2])
    with pytest.raises(InputError, match="not a readable video"):
        list(found[1].open_truth())
    assert [clip.num_frames for clip in load_dataset("videos", tmp_path, max_frames=5)] == [5, 0, 5]


@pytest.mark.parametrize("name, make, message", [
    ("videos", lambda p: p / "nowhere", "dataset folder not found"),
    ("videos", lambda p: p, "no clips found .* videos layout"),
    ("custom", lambda p: p, "no clips found .* custom layout"),
    ("kinetics", lambda p: p, "unknown dataset 'kinetics'"),
])
def test_bad_datasets(tmp_path, name, make, message):
    with pytest.raises(InputError, match=message):
        load_dataset(name, make(tmp_path))


def test_detect_layout(tmp_path):
    assert detect_layout(tmp_path / "nowhere") == "videos"  # load_dataset then says the folder is not found
    assert detect_layout(tmp_path) == "videos"
    (tmp_path / "clip" / "grayscale").mkdir(parents=True)
    assert detect_layout(tmp_path) == "custom"
    (tmp_path / "JPEGImages").mkdir()
    assert detect_layout(tmp_path) == "davis_2017"
