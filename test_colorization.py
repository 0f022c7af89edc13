#!/usr/bin/env python
"""Run the test suite: ``python test_colorization.py [pytest args]``; exits with pytest's status."""

import os
import sys

import pytest

if __name__ == "__main__":
    os.environ.setdefault("COLORIZE_NO_PROGRESS", "1")  # progress bars only clutter test logs
    sys.exit(pytest.main(["tests", *sys.argv[1:]]))
