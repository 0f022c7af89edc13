"""Logging set-up for entry points only; library modules just call ``logging.getLogger(__name__)``."""

import logging

from tqdm.auto import tqdm


class _TqdmHandler(logging.StreamHandler):
    """Writes log records through ``tqdm.write`` so they do not break progress bars."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=self.stream)
        except Exception:  # pragma: no cover - same policy as logging.StreamHandler
            self.handleError(record)


def configure_logging(level: int = logging.INFO) -> None:
    """Attach a tqdm-safe handler to the ``colorize`` logger. Call from scripts, not from library code."""
    logger = logging.getLogger("colorize")
    logger.handlers.clear()
    handler = _TqdmHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
