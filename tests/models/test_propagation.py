"""The propagation adapter: the same output as the pipeline's streaming colorizer, state kept across calls."""

import numpy as np
import pytest

from colorize.color import rgb_to_luminance
from colorize.errors import ColorizeError
from colorize.models import Conditions, colorize_rgb, make_colorizer
from colorize.propagation.frames import colorize_frames


def test_same_frames_as_the_pipeline(carphone_frames):
    frames = carphone_frames[:6]
    colorizer = make_colorizer("propagation")
    assert colorizer.device == "cpu" and colorizer.memory_bytes() == 0
    ours = np.stack(list(colorize_rgb(colorizer, frames, reference=frames[0])))
    np.testing.assert_array_equal(ours, np.stack(list(colorize_frames(frames, frames[0]))))
    # The reference frame itself comes back in its true colors (carphone: PSNR-level agreement).
    assert np.abs(ours[0].astype(int) - frames[0]).mean() < 2


def test_state_is_kept_between_calls(carphone_frames):
    lum = np.stack([rgb_to_luminance(frame) for frame in carphone_frames[:4]])
    whole = make_colorizer("propagation").colorize(lum, Conditions(reference=carphone_frames[0]))
    colorizer = make_colorizer("propagation")
    first = colorizer.colorize(lum[:2], Conditions(reference=carphone_frames[0]))
    np.testing.assert_array_equal(np.concatenate([first, colorizer.colorize(lum[2:])]), whole)
    restarted = colorizer.colorize(lum[:2], Conditions(reference=carphone_frames[0]))  # a reference starts over
    np.testing.assert_array_equal(restarted, first)


def test_needs_a_reference():
    with pytest.raises(ColorizeError, match="propagation needs a color reference"):
        make_colorizer("propagation").colorize(np.full((1, 8, 8), 50.0, np.float32))
