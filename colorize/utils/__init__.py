"""Small shared helpers: logging set-up for entry points, progress bars, device choice, input checks.

Import from the modules (``from colorize.utils.progress import progress``).
"""
