"""OpenCV's contrib modules (``cv2.ximgproc``: guided filter, fast global smoother), with a clear error when absent."""

from types import ModuleType

import cv2

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
