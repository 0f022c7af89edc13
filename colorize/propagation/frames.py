"""The propagation driver: color keyframes carried over a stream of frames (whole clips with keyframes anywhere,
or a live stream from its first frame), shared by the video engine, the registry's propagation colorizer, the
benchmarks and the evaluation."""

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from colorize.color import compose_lab, luminance_to_uint8, resize, rgb_to_luminance, upsample_chroma, working_size
from colorize.io import scratch_array
from colorize.propagation.keyframes import Reference, make_keyframe
from colorize.propagation.video import (
    BackwardStore,
    ForwardPropagation,
    PropagationConfig,
    Views,
    detect_shots,
    propagate_backward,
)
from colorize.utils.iterators import with_next
from colorize.utils.progress import progress

logger = logging.getLogger(__name__)

FrameSource = Callable[[], Iterable[np.ndarray]]  # returns a fresh iterator over (H, W, 3) uint8 frames


def fit_reference(image: np.ndarray, frame_size: tuple[int, int], size: tuple[int, int], index: int = 0) -> Reference:
    """Keyframe image (h, w, 3) uint8 RGB for frame ``index`` -> :class:`Reference` at the working ``size``.

    An image of another size than the video's frames (``frame_size`` = (H, W)) is first resized to it, with a
    warning, so that it lines up with the frame it stands for.
    """
    if image.shape[:2] != frame_size:
        logger.warning("reference for frame %d is %dx%d, the video is %dx%d: resized to the video's size",
                       index, image.shape[1], image.shape[0], frame_size[1], frame_size[0])
        image = resize(image, frame_size)
    return Reference.from_rgb(image, size)


def propagate_chroma(propagation: ForwardPropagation, lum: np.ndarray, size: tuple[int, int],
                     upcoming: np.ndarray | None = None) -> np.ndarray:
    """Next frame of ``propagation``: (H, W) L in [0, 100] -> (H, W, 2) float32 ab in [-128, 127].

    Propagation runs at the working ``size`` = (h, w); the chroma is upsampled under the full-resolution L.
    ``upcoming``: the L of the frame after it, where known (work on it starts early; the result is the same).
    """
    step = propagation(working_lum8(lum, size), None if upcoming is None else working_lum8(upcoming, size))
    return upsample_chroma(step.ab, lum, propagation.config.upsample)


def working_lum8(lum: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(H, W) L in [0, 100] -> (h, w) uint8 luminance at the working ``size``, what propagators take."""
    return luminance_to_uint8(resize(lum, size))


def colorize_luminance(propagation: ForwardPropagation, lum: np.ndarray, size: tuple[int, int],
                       upcoming: np.ndarray | None = None) -> np.ndarray:
    """Next frame of ``propagation``: (H, W) L in [0, 100] -> (H, W, 3) uint8 RGB keeping exactly that L."""
    return compose_lab(lum, propagate_chroma(propagation, lum, size, upcoming))


def plan_propagation(open_frames: FrameSource, references: dict[int, Reference], size: tuple[int, int],
                     num_frames: int, scratch: Path, config: PropagationConfig, views: Views | None = None
                     ) -> ForwardPropagation:
    """A :class:`ForwardPropagation` ready for the frames of ``open_frames``.

    With a single keyframe at frame 0 this does no work (one pass, cuts found on the fly). Otherwise it reads
    the frames once to find the shots and runs the backward pass, keeping luminance and backward chroma in
    memory-mapped files under ``scratch`` (disk, not RAM, grows with the video). ``views``: camera views at the
    working ``size`` for 3D-guided propagation in both passes (:func:`~colorize.propagation.make_propagator`).
    """
    if set(references) == {0}:
        return ForwardPropagation(config, references, views=views)
    lum8 = scratch_array(scratch / "lum8.npy", np.uint8, (num_frames, *size))
    for index, frame in enumerate(progress(open_frames(), total=num_frames, desc="analysing", unit="frame")):
        lum8[index] = working_lum8(rgb_to_luminance(frame), size)
    shot_starts = detect_shots(lum8, config.scene_cut)
    keyframes = {index: make_keyframe(index, lum8[index], ref) for index, ref in references.items()}
    store = BackwardStore(scratch, num_frames, size)
    propagate_backward(lum8, keyframes, shot_starts, store, config, views)
    return ForwardPropagation(config, references, shot_starts, store, keyframes, views)


def colorize_sequence(open_frames: FrameSource, references: dict[int, np.ndarray], num_frames: int,
                      config: PropagationConfig | None = None) -> Iterator[np.ndarray]:
    """Colorize ``num_frames`` frames from color keyframes ``{index: (H, W, 3) uint8 RGB}`` (any size).

    ``open_frames()`` must give the frames from the start each time it is called (it is called twice when a
    keyframe lies after frame 0). Their color is ignored. Yields (H, W, 3) uint8 RGB per frame.
    """
    config = config or PropagationConfig()
    frames = iter(open_frames())
    first = next(frames)
    height, width = first.shape[:2]
    size = working_size(height, width, config.max_side)
    keyed = {index: fit_reference(image, (height, width), size, index) for index, image in references.items()}
    with tempfile.TemporaryDirectory() as scratch:
        propagation = plan_propagation(open_frames, keyed, size, num_frames, Path(scratch), config)
        for lum, upcoming in with_next(rgb_to_luminance(frame) for frame in _chain(first, frames)):
            yield colorize_luminance(propagation, lum, size, upcoming)


class StreamColorizer:
    """Colorizes a stream one frame per call from the colors of its first frame; state is kept between calls.

    ``reference``: (H, W, 3) uint8 RGB colors of the first frame (or a photo of a similar scene; any size).
    Each call takes the next frame, (H, W, 3) RGB or (H, W) gray uint8 (its color is ignored), and returns
    (H, W, 3) uint8 RGB. A frame of another size than the last starts the stream over.
    """

    def __init__(self, reference: np.ndarray, config: PropagationConfig | None = None) -> None:
        self.reference = reference
        self.config = config or PropagationConfig()
        self._propagation: ForwardPropagation | None = None
        self._size: tuple[int, int] | None = None

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        lum = rgb_to_luminance(frame)
        return compose_lab(lum, self.chroma(lum))

    def chroma(self, lum: np.ndarray) -> np.ndarray:
        """The next frame's chroma: (H, W) L in [0, 100] -> (H, W, 2) float32 ab in [-128, 127]."""
        size = working_size(*lum.shape, self.config.max_side)
        if self._propagation is None or size != self._size:
            reference = fit_reference(self.reference, lum.shape, size)
            self._propagation, self._size = ForwardPropagation(self.config, {0: reference}), size
        return propagate_chroma(self._propagation, lum, size)


def colorize_frames(frames: Iterable[np.ndarray], reference: np.ndarray,
                    config: PropagationConfig | None = None) -> Iterator[np.ndarray]:
    """Colorize a stream from the colors of its first frame (``reference``, (H, W, 3) uint8 RGB), one pass.

    ``frames`` are (H, W, 3) RGB or (H, W) gray uint8; their color is ignored. Yields (H, W, 3) uint8 RGB.
    Memory does not grow with the number of frames.
    """
    colorizer = StreamColorizer(reference, config)
    return (colorizer(frame) for frame in frames)


def _chain(first: np.ndarray, rest: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    yield first
    yield from rest
