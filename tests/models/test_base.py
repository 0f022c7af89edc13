"""The colorizer interface: settings validation, conditions, input checks."""

import logging

import numpy as np
import pytest

from colorize.errors import InputError
from colorize.models import Colorizer, ColorizerSettings, Conditions, ModelNeeds


class Constant(Colorizer):
    """Predicts the same chroma everywhere; uses the depth condition only."""

    name, needs, uses = "constant", ModelNeeds(weights=False, gpu="no", memory_gib=0.0), frozenset({"depth"})

    def colorize(self, lum, conditions=None):
        self._check(lum, conditions)
        return np.full((*lum.shape, 2), 10.0, np.float32)


@pytest.mark.parametrize("field, value, message", [
    ("device", "gpu", "device must be one of"),
    ("mixed_precision", "fp8", "mixed_precision must be one of"),
    ("inference_steps", 0, "inference_steps must be at least 1"),
    ("batch_size", 0, "batch_size must be at least 1"),
    ("resolution", 0, "resolution must be at least 1"),
    ("strength", 0.0, "strength must be in"),
    ("strength", 1.5, "strength must be in"),
])
def test_settings_are_checked(field, value, message):
    with pytest.raises(ValueError, match=message):
        ColorizerSettings(**{field: value})


def test_conditions_given():
    assert Conditions().given() == []
    depth = np.zeros((1, 4, 4), np.float32)
    assert Conditions(depth=depth, reference=np.zeros((4, 4, 3), np.uint8)).given() == ["reference", "depth"]


@pytest.mark.parametrize("lum, message", [
    (np.zeros((4, 4), np.float32), r"expected luminance of shape \(N, H, W\), got \(4, 4\)"),
    (np.zeros((0, 4, 4), np.float32), "expected luminance of shape"),
    (np.full((1, 4, 4), 255.0, np.float32), r"luminance must be Lab L in \[0, 100\], got \[255, 255\]"),
    (np.full((1, 4, 4), -1.0, np.float32), "luminance must be Lab L in"),
])
def test_bad_luminance_is_an_input_error(lum, message):
    with pytest.raises(InputError, match=message):
        Constant().colorize(lum)


def test_unused_conditions_are_named_in_a_warning(caplog):
    lum = np.full((2, 4, 4), 50.0, np.float32)
    conditions = Conditions(reference=np.zeros((4, 4, 3), np.uint8), depth=np.ones((2, 4, 4), np.float32),
                            semantic=np.zeros((2, 4, 4), np.int32))
    with caplog.at_level(logging.WARNING, logger="colorize.models.base"):
        assert Constant().colorize(lum, conditions).shape == (2, 4, 4, 2)
    assert "constant does not use reference, semantic: ignored" in caplog.text


def test_describe():
    assert Constant().describe() == {"model": "constant", "device": "cpu", "weights_mib": 0.0,
                                     "needs": ModelNeeds(weights=False, gpu="no", memory_gib=0.0)}
