from colorize.utils.logging import configure_logging
from colorize.utils.progress import progress

__all__ = ["configure_logging", "progress"]
