"""The three training layouts: frames (with grayscale, depth, semantic), videos, DAVIS."""

import numpy as np
import pytest

from colorize.color import rgb_to_luminance
from colorize.datasets import load_sequences
from colorize.errors import InputError
from colorize.io import write_png
from testkit.clips import moving_square_frames, write_clip
from testkit.datasets import write_frames_dataset


def test_frames_layout_reads_every_map(tmp_path):
    write_frames_dataset(tmp_path, videos=2, num_frames=5, grayscale=True, depth=True, semantic=True)
    sequences = load_sequences("frames", tmp_path, include_depth=True, include_semantic=True)
    assert [s.name for s in sequences] == ["video0", "video1"] and [len(s) for s in sequences] == [5, 5]
    frame = sequences[1].frame(3)
    truth = moving_square_frames(5, step=3)[3]
    np.testing.assert_array_equal(frame.rgb, truth)
    # the input comes from grayscale/ (8-bit gray of the true L): within one 8-bit level of the color frame's L
    assert np.abs(frame.lum - rgb_to_luminance(truth)).max() < 0.5
    assert frame.depth.dtype == np.float32 and frame.depth[0, 0] == 0.0 and frame.depth[-1, 0] == 1.0
    assert frame.semantic.dtype == np.int64
    np.testing.assert_array_equal(frame.semantic, truth[..., 0] > 150)


def test_frames_layout_pairs_files_by_name(tmp_path):
    write_frames_dataset(tmp_path, videos=1, num_frames=3, depth=True)
    (tmp_path / "depth" / "video0" / "0002.png").unlink()
    with pytest.raises(InputError, match="do not pair up"):
        load_sequences("frames", tmp_path, include_depth=True)


def test_flat_frames_layout(tmp_path):
    """The seed's data/train/color/*.png (and grayscale/*.png): one video named after the folder."""
    frames = moving_square_frames(4)
    train = tmp_path / "data" / "train"
    for kind in ("color", "grayscale"):
        (train / kind).mkdir(parents=True)
    for index, frame in enumerate(frames):
        write_png(train / "color" / f"{index:04d}.png", frame)
        write_png(train / "grayscale" / f"{index:04d}.png", np.repeat(frame[..., :1], 3, axis=-1))
    (sequence,) = load_sequences("frames", train)
    assert sequence.name == "train" and len(sequence) == 4
    np.testing.assert_array_equal(sequence.frame(2).rgb, frames[2])
    (train / "grayscale" / "0003.png").unlink()
    with pytest.raises(InputError, match="grayscale: its frames do not pair up"):
        load_sequences("frames", train)


def test_videos_layout_decodes_at_max_side(tmp_path):
    frames = moving_square_frames(4, 64, 96)
    write_clip(tmp_path / "clip.mp4", list(frames))
    (sequence,) = load_sequences("videos", tmp_path, max_side=48)
    assert len(sequence) == 4
    frame = sequence.frame(2)
    assert frame.rgb.shape == (32, 48, 3) and frame.lum.shape == (32, 48)
    np.testing.assert_allclose(frame.lum, rgb_to_luminance(frame.rgb))  # gray/color pair made on the fly


def test_davis_layout(tmp_path):
    for name in ("bear", "car"):
        folder = tmp_path / "JPEGImages" / "480p" / name
        folder.mkdir(parents=True)
        for t, rgb in enumerate(moving_square_frames(3)):
            write_png(folder / f"{t:05d}.png", rgb)
    sequences = load_sequences("davis", tmp_path)
    assert [s.name for s in sequences] == ["bear", "car"] and len(sequences[0]) == 3
    assert sequences[0].frame(0).rgb.shape == (32, 48, 3)


def test_davis_splits_keep_training_and_validation_apart(tmp_path):
    for name in ("bear", "car", "dog"):
        folder = tmp_path / "JPEGImages" / "480p" / name
        folder.mkdir(parents=True)
        write_png(folder / "00000.png", moving_square_frames(1)[0])
    (tmp_path / "ImageSets" / "2017").mkdir(parents=True)
    (tmp_path / "ImageSets" / "2017" / "train.txt").write_text("dog\nbear\n")
    (tmp_path / "ImageSets" / "2017" / "val.txt").write_text("car\n")
    assert [s.name for s in load_sequences("davis", tmp_path, split="train")] == ["bear", "dog"]
    assert [s.name for s in load_sequences("davis", tmp_path, split="val")] == ["car"]
    assert len(load_sequences("davis", tmp_path)) == 3  # no split: every sequence


@pytest.mark.parametrize("layout, message", [("frames", "data folder not found"), ("davis", "data folder not found"),
                                             ("nope", "unknown data layout")])
def test_missing_folder_is_one_line(tmp_path, layout, message):
    with pytest.raises(InputError, match=message) as info:
        load_sequences(layout, tmp_path / "missing")
    assert "\n" not in str(info.value)


def test_empty_layouts_are_errors(tmp_path):
    with pytest.raises(InputError, match="no color/ folder"):
        load_sequences("frames", tmp_path)
    with pytest.raises(InputError, match="not a DAVIS folder"):
        load_sequences("davis", tmp_path)
    with pytest.raises(InputError, match="no videos found"):
        load_sequences("videos", tmp_path)
