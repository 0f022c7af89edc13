#!/usr/bin/env python
"""Resident memory of writing one H.264 video, per frame: what the MP4 muxer keeps until the file is closed.

    python benchmarks/mux_memory.py                      # 30,000 frames at 320x180, plain MP4 then fragmented MP4

FFmpeg's MP4 muxer holds an index entry per frame in memory and writes it (the moov box) when the file is closed;
a fragmented MP4 (``FRAGMENTED_MP4``, what ``VideoWriter`` writes) writes it fragment by fragment. Prints the growth of the
resident size (after ``malloc_trim``) every ``--every`` frames, and the bytes per frame from the first report to the
last (benchmarks/README.md, "Film-length soak").
"""

import argparse
import ctypes
import os
import tempfile
from pathlib import Path

import av
import numpy as np

from colorize.io.video import FRAGMENTED_MP4
from soak import rss_bytes  # benchmarks/ is on the path of its own scripts



def resident_mib() -> float:
    """VmRSS after glibc's malloc_trim(0), so that freed heap pages kept for reuse do not count."""
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_bytes(os.getpid()) / 2**20


def write(path: Path, frames: int, every: int, options: dict[str, str]) -> list[tuple[int, float]]:
    """Encode ``frames`` moving noise frames (320x180, x264 ultrafast) into ``path``; (frames, MiB) reports."""
    image = np.random.default_rng(0).integers(0, 255, (180, 320, 3), np.uint8)
    reports = []
    with av.open(str(path), "w", options=options) as container:
        stream = container.add_stream("libx264", rate=24, options={"crf": "16", "preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        start = resident_mib()
        for index in range(frames):
            frame = av.VideoFrame.from_ndarray(np.roll(image, index % 50, axis=1), format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
            if (index + 1) % every == 0:
                reports.append((index + 1, resident_mib() - start))
        container.mux(stream.encode())
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--frames", type=int, default=30_000)
    parser.add_argument("--every", type=int, default=6_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name, options in (("MP4", {}), ("fragmented MP4 (VideoWriter's)", FRAGMENTED_MP4)):
            reports = write(Path(folder) / "out.mp4", args.frames, args.every, options)
            (first, low), (last, high) = reports[0], reports[-1]
            growth = (high - low) * 2**20 / (last - first)
            print(f"{name}: " + ", ".join(f"{n}: {mib:+.2f} MiB" for n, mib in reports)
                  + f"; {growth:.0f} bytes per frame after frame {first}", flush=True)


if __name__ == "__main__":
    main()
