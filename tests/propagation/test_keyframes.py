"""References (color images at working size) and keyframes: exact chroma for the same frame, prior otherwise."""

import logging
from fractions import Fraction

import numpy as np
import skimage.data

from colorize.color import luminance_to_uint8, resize, rgb_to_lab
from colorize.io import VideoWriter, iter_frames
from colorize.propagation import Keyframe, Reference, make_keyframe, transfer_chroma
from colorize.propagation.keyframes import SAME_FRAME_TOLERANCE
from testkit.synthetic import render_video


def test_reference_from_rgb_at_working_size(carphone_frames):
    frame = carphone_frames[0]
    ref = Reference.from_rgb(frame, (72, 88))
    assert ref.lum8.shape == (72, 88) and ref.lum8.dtype == np.uint8
    assert ref.ab.shape == (72, 88, 2) and ref.ab.dtype == np.float32
    lab = rgb_to_lab(resize(frame, (72, 88)))
    np.testing.assert_array_equal(ref.ab, lab[..., 1:])
    np.testing.assert_array_equal(ref.lum8, luminance_to_uint8(lab[..., 0]))
    assert ref.ab.flags.owndata  # its own array, not a view into a Lab image


def test_same_frame_gives_reference_chroma_exactly(carphone_frames):
    ref = Reference.from_rgb(carphone_frames[0], (144, 176))
    keyframe = make_keyframe(0, ref.lum8.copy(), ref)
    assert isinstance(keyframe, Keyframe) and keyframe.index == 0
    np.testing.assert_array_equal(keyframe.ab, ref.ab)


def test_frame_within_compression_noise_counts_as_same(carphone_frames):
    ref = Reference.from_rgb(carphone_frames[0], (144, 176))
    rng = np.random.default_rng(0)
    noisy = np.clip(ref.lum8.astype(int) + rng.integers(-3, 4, ref.lum8.shape), 0, 255).astype(np.uint8)
    assert np.abs(noisy.astype(float) - ref.lum8).mean() < SAME_FRAME_TOLERANCE
    np.testing.assert_array_equal(make_keyframe(3, noisy, ref).ab, ref.ab)


def test_frame_re_encoded_by_x264_counts_as_same(tmp_path):
    # The rendered scene's fine texture is what compression changes most: frame 0 against its own CRF 30 re-encoding
    # differs by 7.1 levels pixel by pixel (over the old tolerance of 4) and by 5.2 in thumbnails (measured).
    frames = render_video().rgb[:3]
    with VideoWriter(tmp_path / "clip.mp4", Fraction(25), frames.shape[2], frames.shape[1], crf=30) as writer:
        for frame in frames:
            writer.write(frame)
    decoded = next(iter_frames(tmp_path / "clip.mp4"))
    original, re_encoded = (Reference.from_rgb(image, (120, 160)) for image in (frames[0], decoded))
    assert np.abs(original.lum8.astype(float) - re_encoded.lum8).mean() > 4
    np.testing.assert_array_equal(make_keyframe(0, re_encoded.lum8, original).ab, original.ab)


def test_other_photo_goes_through_the_prior(carphone_frames, colorize_caplog):
    frame_lum8 = Reference.from_rgb(carphone_frames[0], (144, 176)).lum8
    other = Reference.from_rgb(skimage.data.coffee(), (144, 176))
    keyframe = make_keyframe(7, frame_lum8, other)
    np.testing.assert_array_equal(keyframe.ab, transfer_chroma(frame_lum8, other.lum8, other.ab))
    np.testing.assert_array_equal(keyframe.lum8, frame_lum8)
    assert keyframe.index == 7
    assert any("frame 7" in record.getMessage() and "global color matching" in record.getMessage()
               and record.levelno == logging.INFO for record in colorize_caplog.records)


def test_another_frame_of_the_same_shot_is_not_the_same_frame(carphone_frames):
    # carphone frame 5 differs from frame 0 by 7.0 levels in thumbnails (measured): the prior path is taken.
    ref = Reference.from_rgb(carphone_frames[0], (144, 176))
    frame5 = Reference.from_rgb(carphone_frames[5], (144, 176)).lum8
    keyframe = make_keyframe(5, frame5, ref)
    assert not np.array_equal(keyframe.ab, ref.ab)
    np.testing.assert_array_equal(keyframe.ab, transfer_chroma(frame5, ref.lum8, ref.ab))
