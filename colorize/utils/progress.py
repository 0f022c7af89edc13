"""One progress-bar wrapper for every frame loop, switchable off globally (tests, non-main ranks)."""

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")

# COLORIZE_NO_PROGRESS=1 silences every bar (CI logs, notebooks that prefer quiet output).
disable_progress_bar = os.environ.get("COLORIZE_NO_PROGRESS", "") not in ("", "0")


def progress(iterable: Iterable[T], **kwargs) -> Iterator[T]:
    """``tqdm(iterable, **kwargs)`` unless progress bars are disabled."""
    kwargs.setdefault("disable", disable_progress_bar)
    kwargs.setdefault("dynamic_ncols", True)
    return iter(tqdm(iterable, **kwargs))
