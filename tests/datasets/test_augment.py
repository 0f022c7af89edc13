"""Clip augmentation: one draw for all frames of a sample, deterministic for a given generator."""

import numpy as np

from colorize.color import rgb_to_luminance
from colorize.datasets import AugmentConfig, Frame, augment_clip
from testkit.clips import moving_square_frames

HEAVY = AugmentConfig(crop_size=24, scale=(0.7, 1.5), rotate=10.0, shear=0.1, luminance_gain=0.2, luminance_bias=5.0)


def _frames(images: np.ndarray) -> list[Frame]:
    return [Frame(rgb, rgb_to_luminance(rgb), np.full(rgb.shape[:2], 0.5, np.float32),
                  (rgb[..., 0] > 150).astype(np.int64)) for rgb in images]


def test_same_warp_and_jitter_for_every_frame():
    image = moving_square_frames(1)[0]
    for seed in range(5):
        out = augment_clip(_frames(np.stack([image] * 3)), HEAVY, np.random.default_rng(seed))
        assert out[0].rgb.shape == (24, 24, 3) and out[0].lum.shape == (24, 24)
        for frame in out[1:]:  # identical inputs stay identical: one crop / flip / warp / jitter per sample
            np.testing.assert_array_equal(frame.rgb, out[0].rgb)
            np.testing.assert_array_equal(frame.lum, out[0].lum)
            np.testing.assert_array_equal(frame.semantic, out[0].semantic)


def test_motion_between_frames_is_kept():
    frames = moving_square_frames(2, step=2)
    for seed in range(6):  # flipped or not, frame 1 is frame 0's augmentation moved the same way
        out = augment_clip(_frames(frames), AugmentConfig(crop_size=0, flip=True), np.random.default_rng(seed))
        flipped = not np.array_equal(out[0].rgb, frames[0])
        for augmented, original in zip(out, frames, strict=True):
            np.testing.assert_array_equal(augmented.rgb, original[:, ::-1] if flipped else original)
    unchanged = augment_clip(_frames(frames), AugmentConfig(crop_size=0, flip=False), np.random.default_rng(0))
    np.testing.assert_array_equal(unchanged[1].rgb, frames[1])


def test_flip_is_exact_and_ids_stay_integers():
    frames = _frames(moving_square_frames(1))
    flips = [augment_clip(frames, AugmentConfig(crop_size=0, flip=True), np.random.default_rng(seed))[0]
             for seed in range(8)]
    flipped = [f for f in flips if not np.array_equal(f.rgb, frames[0].rgb)]
    assert 0 < len(flipped) < 8
    np.testing.assert_array_equal(flipped[0].rgb, frames[0].rgb[:, ::-1])
    np.testing.assert_array_equal(flipped[0].semantic, frames[0].semantic[:, ::-1])
    warped = augment_clip(frames, HEAVY, np.random.default_rng(3))[0]
    assert warped.semantic.dtype == np.int64 and set(np.unique(warped.semantic)) <= {0, 1}


def test_deterministic_per_generator_seed():
    frames = _frames(moving_square_frames(2))
    a = augment_clip(frames, HEAVY, np.random.default_rng([0, 0, 5]))
    b = augment_clip(frames, HEAVY, np.random.default_rng([0, 0, 5]))
    c = augment_clip(frames, HEAVY, np.random.default_rng([0, 1, 5]))
    np.testing.assert_array_equal(a[1].rgb, b[1].rgb)
    np.testing.assert_array_equal(a[1].lum, b[1].lum)
    assert not np.array_equal(a[1].rgb, c[1].rgb)


def test_luminance_jitter_changes_input_only():
    frames = _frames(moving_square_frames(1))
    config = AugmentConfig(crop_size=0, flip=False, luminance_gain=0.2, luminance_bias=5.0)
    out = augment_clip(frames, config, np.random.default_rng(0))[0]
    np.testing.assert_array_equal(out.rgb, frames[0].rgb)  # the target colors are untouched
    ratio = np.polyfit(frames[0].lum.ravel(), out.lum.ravel(), 1)
    assert 0.8 <= ratio[0] <= 1.2 and abs(ratio[1]) <= 5.0 and not np.allclose(out.lum, frames[0].lum)
