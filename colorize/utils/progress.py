"""One progress-bar wrapper for every frame loop, switchable off globally (tests, non-main ranks).

By default a bar shows only when stderr is a terminal (tqdm's ``disable=None``); ``-q`` turns bars off and
``--progress`` forces them on (e.g. into a log file) through :func:`set_progress`.
"""

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")

# COLORIZE_NO_PROGRESS=1 silences every bar (CI logs, notebooks that prefer quiet output). None: only on a terminal.
disable_progress_bar: bool | None = True if os.environ.get("COLORIZE_NO_PROGRESS", "") not in ("", "0") else None


def set_progress(enabled: bool | None) -> None:
    """True: always show bars, False: never, None: only when stderr is a terminal (the default)."""
    global disable_progress_bar
    disable_progress_bar = None if enabled is None else not enabled


def progress(iterable: Iterable[T], **kwargs) -> Iterator[T]:
    """``tqdm(iterable, **kwargs)`` unless progress bars are disabled."""
    kwargs.setdefault("disable", disable_progress_bar)
    kwargs.setdefault("dynamic_ncols", True)
    return iter(tqdm(iterable, **kwargs))
