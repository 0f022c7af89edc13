"""What every command-line entry point shares: one-line errors with exit code 2, never a traceback."""

import argparse
import logging
import sys
from collections.abc import Callable

from colorize.errors import ColorizeError
from colorize.utils.logging import configure_logging


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``error: ...`` line (exit 2) like every other user error."""

    def error(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


def run_main(work: Callable[[], object]) -> int:
    """Run ``work``; a :class:`ColorizeError` prints one line and gives 2, Ctrl-C gives 130.

    Otherwise the exit status is what ``work`` returns if that is an int, else 0.
    """
    try:
        status = work()
        return status if isinstance(status, int) else 0
    except ColorizeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no output was written", file=sys.stderr)
        return 130


def script_main(parser: argparse.ArgumentParser, work: Callable[[argparse.Namespace], object],
                argv: list[str] | None = None) -> int:
    """A script's ``main``: parse ``argv`` (--help gives 0, a usage error one line and 2), log at INFO (WARNING with
    ``-q``), then :func:`run_main` ``work(args)``."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, or a usage error already printed on one line
        return int(done.code or 0)
    configure_logging(logging.WARNING if getattr(args, "quiet", False) else logging.INFO)
    return run_main(lambda: work(args))
