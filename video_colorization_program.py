#!/usr/bin/env python
"""Standalone program: colorize a black-and-white video from colour keyframes.

    python video_colorization_program.py INPUT -o OUTDIR --reference IMG [--reference-frame N] [--keyframes DIR]
        [--geometry {none,vipe,depth-model,folder:PATH}] [--semantic {none,upernet}]
    python video_colorization_program.py --demo

``VideoColorizationPipeline`` is importable from here as well as from ``colorize``.
"""

import sys

from colorize.cli import main
from colorize.pipeline import VideoColorizationPipeline

__all__ = ["VideoColorizationPipeline", "main"]

if __name__ == "__main__":
    sys.exit(main())
