"""``python -m colorize``: the same as the ``colorize`` command."""

import sys

from colorize.cli import main

sys.exit(main())
