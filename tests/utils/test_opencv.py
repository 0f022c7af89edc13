"""A cv2 without the contrib modules (plain opencv-python installed over the contrib build) gives one clear error;
OpenCV's element-wise helpers give NumPy's values."""

import cv2
import numpy as np
import pytest

from colorize.errors import MissingDependencyError
from colorize.propagation.fill import edge_aware_fill
from colorize.utils.cli import run_main
from colorize.utils.opencv import scale_channels, ximgproc


def test_returns_the_contrib_module():
    assert ximgproc() is cv2.ximgproc


def test_missing_contrib_is_a_one_line_user_error(monkeypatch, capsys):
    monkeypatch.delattr(cv2, "ximgproc")
    lum8 = np.zeros((16, 16), np.uint8)
    weight = np.ones((16, 16), np.float32)
    weight[4:8, 4:8] = 0.0
    with pytest.raises(MissingDependencyError, match="pip install opencv-contrib-python-headless"):
        edge_aware_fill(np.zeros((16, 16, 2), np.float32), weight, lum8)
    assert run_main(lambda: edge_aware_fill(np.zeros((16, 16, 2), np.float32), weight, lum8)) == 2
    message = capsys.readouterr().err
    assert message.startswith("error: OpenCV") and message.count("\n") == 1


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_scale_channels_is_numpys_broadcast_in_place(channels):
    rng = np.random.default_rng(channels)
    image = rng.normal(0, 50, (37, 53, channels)).astype(np.float32)
    weight = rng.uniform(0, 1, (37, 53)).astype(np.float32)
    expected = image * weight[..., None]
    out = scale_channels(image, weight)
    assert out is image  # in place
    np.testing.assert_array_equal(out, expected)  # bit for bit
