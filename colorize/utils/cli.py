"""What every command-line entry point shares: one-line errors with exit code 2, never a traceback; Ctrl-C and
SIGTERM stop at once with 130 / 143; ``-q`` and ``--progress``."""

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable

from colorize.errors import ColorizeError
from colorize.utils.logging import configure_logging
from colorize.utils.progress import set_progress
from colorize.utils.stopping import raise_or_defer


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``error: ...`` line (exit 2) like every other user error."""

    def error(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt, so the same clean-up runs."""


def add_verbosity_flags(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet`` (warnings and errors only, no progress bars) and ``--progress`` (bars even when stderr is not a
    terminal, e.g. into a log file); by default bars show on a terminal only."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors, no progress bars")
    group.add_argument("--progress", action="store_true", help="progress bars even when stderr is not a terminal")


def add_resume_flags(parser: argparse.ArgumentParser) -> None:
    """``--resume`` (continue a killed run into the output folder, an error if there is none) and ``--no-resume``
    (start over); neither (``args.resume`` None): a killed run with the same settings is continued."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--resume", action="store_true", default=None,
                       help="continue a killed run into the output folder (an error if there is none); by default "
                            "one with the same settings is continued")
    group.add_argument("--no-resume", dest="resume", action="store_false",
                       help="start over, removing what a killed run left")


def configure_verbosity(args: argparse.Namespace) -> None:
    """Logging at INFO (WARNING with ``-q``) and progress bars as :func:`add_verbosity_flags` documents."""
    quiet = getattr(args, "quiet", False)
    configure_logging(logging.WARNING if quiet else logging.INFO)
    if quiet or getattr(args, "progress", False):
        set_progress(not quiet)


def _stop(signum: int, frame: object) -> None:
    """First SIGINT / SIGTERM: ignore any further one (so clean-up is not cut short) and raise in the main thread, at
    once or at the running loop's next stop point (:mod:`colorize.utils.stopping`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise_or_defer(Terminated() if signum == signal.SIGTERM else KeyboardInterrupt())


def run_main(work: Callable[[], object]) -> int:
    """Run ``work``; a :class:`ColorizeError` prints one line and gives 2, Ctrl-C 130 and SIGTERM 143 (one line
    saying whether a partial output was kept to resume from).

    Otherwise the exit status is what ``work`` returns if that is an int, else 0.
    """
    handlers = None
    if threading.current_thread() is threading.main_thread():
        handlers = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        status = work()
        return status if isinstance(status, int) else 0
    except ColorizeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        kept = getattr(err, "kept_partial", None)
        what = (f"partial output kept in {kept} (the same command resumes it; --clean removes it)" if kept
                else "no output was written")
        print(f"{'terminated' if isinstance(err, Terminated) else 'interrupted'}: {what}", file=sys.stderr)
        return 143 if isinstance(err, Terminated) else 130
    finally:
        for sig, handler in (handlers or {}).items():
            signal.signal(sig, handler)


def script_main(parser: argparse.ArgumentParser, work: Callable[[argparse.Namespace], object],
                argv: list[str] | None = None) -> int:
    """A script's ``main``: parse ``argv`` (--help gives 0, a usage error one line and 2), set up logging and progress
    bars (:func:`configure_verbosity`), then :func:`run_main` ``work(args)``."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, or a usage error already printed on one line
        return int(done.code or 0)
    configure_verbosity(args)
    return run_main(lambda: work(args))
