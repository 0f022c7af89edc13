"""Training data: samples of consecutive frames with their true colors, from three folder layouts; and the
registry clips (:mod:`colorize.datasets.clips`) that benchmarks tune and test on.

See :mod:`colorize.datasets.sources` for the layouts and :class:`VideoColorizationDataset` for what a sample holds.
"""

from colorize.datasets.augment import NO_AUGMENTATION, AugmentConfig, augment_clip
from colorize.datasets.clips import (
    CLIPS,
    FRESH,
    HOLDOUT,
    NEXT,
    REAL,
    TEST,
    TUNING,
    UNSEEN,
    RegistryClip,
    fetch_clip,
    read_clip,
)
from colorize.datasets.sources import LAYOUTS, ArraySequence, FolderSequence, Frame, Sequence, load_sequences
from colorize.datasets.video_dataset import VideoColorizationDataset

__all__ = [
    "VideoColorizationDataset", "AugmentConfig", "NO_AUGMENTATION", "augment_clip",
    "CLIPS", "TUNING", "TEST", "FRESH", "HOLDOUT", "REAL", "NEXT", "UNSEEN",
    "RegistryClip", "fetch_clip", "read_clip",
    "LAYOUTS", "load_sequences", "Frame", "Sequence", "ArraySequence", "FolderSequence",
]
