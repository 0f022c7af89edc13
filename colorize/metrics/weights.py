"""Finding pretrained weights for learned metrics (LPIPS, FID) without any download.

Nothing here fetches a URL. A metric whose weights are not on disk raises :class:`MetricUnavailable`, whose
one-line message goes into the results in place of a number.
"""

import logging
import os
from pathlib import Path

import torch

from colorize.errors import ColorizeError

logger = logging.getLogger(__name__)


class MetricUnavailable(ColorizeError):
    """A metric cannot be computed here (missing weights or package). The message is the one-line reason."""


def hub_checkpoint_dir() -> Path:
    """Where torchvision / torch.hub keep downloaded weights: ``$TORCH_HOME/hub/checkpoints``
    (default ``~/.cache/torch/hub/checkpoints``)."""
    return Path(torch.hub.get_dir()) / "checkpoints"


def find_weights(filename: str, path: str | os.PathLike | None = None, what: str = "metric") -> Path:
    """Locate a weights file: ``path`` if given (a file, or a folder holding ``filename``), else the hub cache.

    ``what`` names the weights in the error message (e.g. "LPIPS AlexNet").

    Raises:
        MetricUnavailable: the file is not there; the message names every place searched.
    """
    if path is not None:
        path = Path(path).expanduser()
        candidates = [path / filename] if path.is_dir() else [path]
    else:
        candidates = [hub_checkpoint_dir() / filename]
    for candidate in candidates:
        if candidate.is_file():
            logger.debug("using weights %s", candidate)
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise MetricUnavailable(f"{what} weights {filename} not found (looked in {searched}); copy the file "
                            "there or pass its path")
