"""Small shared helpers: logging set-up for entry points, progress bars, device choice, input checks, the OpenCV
contrib check.

Import from the modules (``from colorize.utils.progress import progress``).
"""
