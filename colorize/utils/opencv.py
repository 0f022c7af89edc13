"""OpenCV's contrib modules (``cv2.ximgproc``: guided filter, fast global smoother), with a clear error when absent,
and element-wise arithmetic OpenCV does faster than NumPy."""

from types import ModuleType

import cv2
import numpy as np

from colorize.errors import MissingDependencyError


def ximgproc() -> ModuleType:
    """``cv2.ximgproc``; raises :class:`MissingDependencyError` naming the fix where the installed OpenCV lacks it.

    The plain ``opencv-python(-headless)`` wheels do not ship it, and installing one of them after
    ``opencv-contrib-python-headless`` replaces the shared ``cv2`` package.
    """
    module = getattr(cv2, "ximgproc", None)
    if module is None:
        raise MissingDependencyError(
            f"OpenCV {cv2.__version__} has no contrib modules (cv2.ximgproc, used for edge-aware filtering); fix: "
            "pip uninstall -y opencv-python opencv-python-headless && pip install opencv-contrib-python-headless")
    return module


def scale_channels(image: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``image`` (H, W, C) float32 times ``weight`` (H, W) float32 in every channel, in place; returns ``image``.

    The same values as ``image *= weight[..., None]``, a third of the time for 2 channels (0.2 against 0.7 ms at
    640x360): NumPy's broadcast runs an inner loop of C elements a pixel.
    """
    return cv2.multiply(image, cv2.merge([weight] * image.shape[2]), dst=image)
