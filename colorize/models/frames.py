"""Colorizers over RGB frame streams: batching, luminance in, composed RGB out, and the evaluation adapter."""

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from colorize.color import compose_lab, rgb_to_luminance
from colorize.models.base import Colorizer, Conditions

logger = logging.getLogger(__name__)


def batched_chroma(colorizer: Colorizer, frames: Iterable[np.ndarray],
                   reference: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Run ``colorizer`` over a stream of (H, W, 3) uint8 frames (their color is ignored) ``batch_size`` at a time.

    ``reference``: (H, W, 3) uint8 RGB colors of the first frame, given with the first batch only. Yields each
    frame's (H, W) L in [0, 100] and (H, W, 2) float32 ab.
    """
    frames = iter(frames)
    conditions = Conditions(reference=reference)
    while batch := list(itertools.islice(frames, colorizer.batch_size)):
        lum = np.stack([rgb_to_luminance(frame) for frame in batch])
        chroma = colorizer.colorize(lum, conditions)
        conditions = Conditions()
        yield from zip(lum, chroma, strict=True)


def colorize_rgb(colorizer: Colorizer, frames: Iterable[np.ndarray],
                 reference: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """:func:`batched_chroma` composed: yields (H, W, 3) uint8 RGB frames that keep each input frame's Lab L."""
    return (compose_lab(lum, ab) for lum, ab in batched_chroma(colorizer, frames, reference))


class ColorizerModel:
    """A :class:`Colorizer` as an evaluable model of :mod:`colorize.evaluation`.

    A colorizer with a clip-level path (:meth:`Colorizer.colorize_clip`: keyframe propagation) gets every reference
    frame; any other sees only the reference at frame 0, and later reference frames of a ``keyframes:K`` protocol
    are not used (a warning says so).
    """

    def __init__(self, colorizer: Colorizer, name: str, description: str) -> None:
        self.colorizer, self.name, self.description = colorizer, name, description

    def colorize(self, open_frames: Callable[[], Iterable[np.ndarray]], references: dict[int, np.ndarray],
                 num_frames: int) -> Iterator[np.ndarray]:
        clip = self.colorizer.colorize_clip(open_frames, references, num_frames)
        if clip is not None:
            return clip
        if set(references) - {0}:
            logger.warning("%s uses only frame 0's colors; reference frames %s are not used", self.name,
                           sorted(set(references) - {0}))
        return colorize_rgb(self.colorizer, itertools.islice(open_frames(), num_frames), references.get(0))
