"""What every command-line entry point shares: one-line errors with exit code 2, never a traceback."""

import argparse
import sys
from collections.abc import Callable

from colorize.errors import ColorizeError


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
