"""A cv2 without the contrib modules (plain opencv-python installed over the contrib build) gives one clear error."""

import cv2
import numpy as np
import pytest

from colorize.errors import MissingDependencyError
from colorize.propagation.fill import edge_aware_fill
from colorize.utils.cli import run_main
from colorize.utils.opencv import ximgproc


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
