"""The colorization stage: a :class:`~colorize.models.Colorizer` run on a :class:`VideoFrame` with the conditions the
frame carries (depth, semantic labels) and the colorizer takes."""

import numpy as np

from colorize.color import compose_lab, rgb_to_luminance
from colorize.geometry.frame import VideoFrame
from colorize.models.base import Colorizer, Conditions


class ColorizationProcessor:
    """``processor(frame)`` sets ``frame.colorized_rgb``: the frame's luminance with the colorizer's chroma.

    Luminance comes from ``frame.gray`` (black-and-white input), else from ``frame.rgb`` (its colour discarded).
    Conditions, each only when the colorizer lists it in ``uses``: ``reference`` ((H, W, 3) uint8 RGB colours of the
    first frame; given with the first frame after construction or :meth:`reset` only, which starts a new stream for
    stateful colorizers such as ``propagation``), ``depth`` (``frame.depth``, metres: larger is farther, as
    :class:`~colorize.models.Conditions` wants) and ``semantic`` (``frame.semantic_mask``). Frames go in one at a
    time, in order.
    """

    def __init__(self, colorizer: Colorizer, reference: np.ndarray | None = None) -> None:
        self.colorizer = colorizer
        self.reset(reference)

    def reset(self, reference: np.ndarray | None = None) -> None:
        """Give ``reference`` with the next frame (a new shot, a new video)."""
        self._reference = reference

    def conditions(self, frame: VideoFrame) -> Conditions:
        """The conditions of ``frame`` that the colorizer uses, each with a batch axis of 1."""
        uses = self.colorizer.uses
        return Conditions(
            reference=self._reference if "reference" in uses else None,
            depth=frame.depth[None] if "depth" in uses and frame.depth is not None else None,
            semantic=frame.semantic_mask[None] if "semantic" in uses and frame.semantic_mask is not None else None)

    def __call__(self, frame: VideoFrame) -> VideoFrame:
        image = frame.gray if frame.gray is not None else frame.rgb
        if image is None:
            raise ValueError(f"frame {frame.index} has neither gray nor rgb")
        lum = rgb_to_luminance(image)
        ab = self.colorizer.colorize(lum[None], self.conditions(frame))[0]
        self._reference = None
        frame.colorized_rgb = compose_lab(lum, ab)
        return frame
