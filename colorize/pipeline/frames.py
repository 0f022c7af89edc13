"""Frame-level colorization shared by the pipeline, the streaming API and the benchmarks."""

from collections.abc import Iterable, Iterator

import numpy as np

from colorize.color import compose_lab, luminance_to_uint8, resize, rgb_to_luminance, upsample_chroma, working_size
from colorize.propagation import ForwardPropagation, PropagationConfig, Reference


def colorize_luminance(propagation: ForwardPropagation, lum: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Next frame of ``propagation``: (H, W) L in [0, 100] -> (H, W, 3) uint8 RGB keeping exactly that L.

    Propagation runs at the working ``size`` = (h, w); the chroma is upsampled under the full-resolution L.
    """
    step = propagation(luminance_to_uint8(resize(lum, size)))
    return compose_lab(lum, upsample_chroma(step.ab, lum))


def colorize_frames(frames: Iterable[np.ndarray], reference: np.ndarray,
                    config: PropagationConfig | None = None) -> Iterator[np.ndarray]:
    """Colorize a stream of frames from the colours of its first frame (``reference``, (H, W, 3) uint8 RGB).

    ``frames`` are (H, W, 3) RGB or (H, W) gray uint8; their colour is ignored. Yields (H, W, 3) uint8 RGB.
    Memory does not grow with the number of frames.
    """
    config = config or PropagationConfig()
    propagation, size = None, None
    for frame in frames:
        lum = rgb_to_luminance(frame)
        if propagation is None:
            size = working_size(*lum.shape, config.max_side)
            propagation = ForwardPropagation(config, {0: Reference.from_rgb(resize(reference, lum.shape), size)})
        yield colorize_luminance(propagation, lum, size)
