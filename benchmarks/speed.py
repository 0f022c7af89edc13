#!/usr/bin/env python
"""End-to-end speed of single-reference propagation: decode -> colorize -> encode, as the program runs it.

    python benchmarks/speed.py [--sizes 640x360 1280x720] [--max-sides 640 320] [--repeats 3]

The input is the bundled bigbuckbunny clip (132 frames, 25 fps) re-encoded at each size; only the final video
is written (no PNG frames, no visualization, no quality scoring). Prints the median FPS over ``--repeats`` runs
for each working resolution (``propagation.max_side``), measured in this process.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from colorize.color import resize
from colorize.data import sample_video
from colorize.io import VideoWriter, iter_frames, probe_video
from colorize.pipeline import PipelineConfig, VideoColorizationPipeline
from colorize.pipeline.config import OutputConfig
from colorize.propagation import PropagationConfig


def make_input(folder: Path, width: int, height: int) -> Path:
    """bigbuckbunny re-encoded at ``width`` x ``height`` (H.264, 25 fps, its audio kept)."""
    source = sample_video("bigbuckbunny")
    path = folder / f"bigbuckbunny_{width}x{height}.mp4"
    with VideoWriter(path, probe_video(source).fps, width, height, audio_from=source) as writer:
        for frame in iter_frames(source):
            writer.write(resize(frame, (height, width)))
    return path


def time_run(video: Path, reference, max_side: int, folder: Path) -> float:
    """Frames per second of one whole run of the program's pipeline."""
    config = PipelineConfig(
        device="cpu",
        propagation=PropagationConfig(max_side=max_side),
        output=OutputConfig(save_frames=False, save_colorized_frames=False, visualization=False),
    )
    out = Path(tempfile.mkdtemp(dir=folder))
    start = time.perf_counter()
    VideoColorizationPipeline(output_dir=out, config=config, overwrite=True).process_video(video, reference=reference)
    return probe_video(video).num_frames / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", nargs="+", default=["640x360", "1280x720"], help="input sizes WxH")
    parser.add_argument("--max-sides", nargs="+", type=int, default=[640, 320], help="working resolutions")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            width, height = (int(v) for v in size.split("x"))
            video = make_input(folder, width, height)
            reference = next(iter_frames(video, max_frames=1))
            for max_side in args.max_sides:
                fps = [time_run(video, reference, max_side, folder) for _ in range(args.repeats)]
                rows.append((size, max_side, statistics.median(fps), min(fps), max(fps)))
                print(f"{size:10s} working {max_side:4d} px: median {rows[-1][2]:5.1f} fps "
                      f"(min {rows[-1][3]:.1f}, max {rows[-1][4]:.1f})", flush=True)

    print("\n| input | working size (longer side) | FPS, end to end (median) | min | max |\n|---|---|---|---|---|")
    for size, max_side, median, low, high in rows:
        print(f"| {size} | {max_side} | {median:.1f} | {low:.1f} | {high:.1f} |")


if __name__ == "__main__":
    main()
