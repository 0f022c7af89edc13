"""Errors meant for the user: the CLI prints their message on one line and exits with code 2."""


class ColorizeError(Exception):
    """A problem the user can fix (bad input, missing file, missing weights). Message is one line."""


class InputError(ColorizeError):
    """An input file or argument is missing, unreadable or inconsistent."""


class MissingDependencyError(ColorizeError, ImportError):
    """A package colorize needs is missing or the wrong build; the message says how to install it."""


class OutputWriteError(ColorizeError):
    """An output could not be written (disk full, quota, read-only disk): names the path and the space left."""
