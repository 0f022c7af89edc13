"""Colorizers over RGB frames: batches, the reference with the first batch only, the evaluation adapter."""

import logging

import numpy as np

from colorize.color import rgb_to_lab, rgb_to_luminance
from colorize.models import Colorizer, ColorizerModel, ModelNeeds, colorize_rgb


class Recorder(Colorizer):
    """Remembers each call's frame count and reference; predicts ab = (L / 10, -L / 10)."""

    name, needs, batch_size, uses = "recorder", ModelNeeds(False, "no", 0.0), 2, frozenset({"reference"})

    def __init__(self):
        self.calls = []

    def colorize(self, lum, conditions=None):
        conditions = self._check(lum, conditions)
        self.calls.append((len(lum), conditions.reference is not None))
        return np.stack([lum / 10, -lum / 10], axis=-1).astype(np.float32)


def test_batches_and_reference(carphone_frames):
    recorder = Recorder()
    output = np.stack(list(colorize_rgb(recorder, carphone_frames[:5], reference=carphone_frames[0])))
    assert recorder.calls == [(2, True), (2, False), (1, False)]
    assert output.shape == (5, 144, 176, 3) and output.dtype == np.uint8
    lum = np.stack([rgb_to_luminance(frame) for frame in carphone_frames[:5]])
    assert np.abs(np.stack([rgb_to_luminance(frame) for frame in output]) - lum).max() < 0.5  # L kept
    expected = np.stack([lum / 10, -lum / 10], axis=-1)
    assert np.abs(np.stack([rgb_to_lab(frame)[..., 1:] for frame in output]) - expected).mean() < 1.0  # the chroma


def test_evaluation_adapter(carphone_frames, caplog):
    model = ColorizerModel(Recorder(), "rec", "a test colorizer")
    assert (model.name, model.description) == ("rec", "a test colorizer")
    with caplog.at_level(logging.WARNING):
        frames = list(model.colorize(lambda: iter(carphone_frames), {0: carphone_frames[0], 2: carphone_frames[2]}, 3))
    assert len(frames) == 3 and model.colorizer.calls == [(2, True), (1, False)]
    assert "rec uses only frame 0's colors; reference frames [2] are not used" in caplog.text
