#!/usr/bin/env python
"""End-to-end speed of single-reference propagation: decode -> colorize -> encode, as the program runs it.

    python benchmarks/speed.py [--sizes 640x360 1280x720] [--max-sides 640 320] [--repeats 3]
    python benchmarks/speed.py --sizes 640x360 --max-sides 640 --set anchored.arbitrate=true   # a variant vs default

The input is the bundled bigbuckbunny clip (132 frames, 25 fps) re-encoded at each size; only the final video
is written (no PNG frames, no visualization, no quality scoring). Prints the median FPS over ``--repeats`` runs
for each working resolution (``propagation.max_side``), measured in this process, and where the last default run's
time went (milliseconds a frame per thread and stage, from its run.json). With ``--set KEY=VALUE ...``
(``PropagationConfig`` keys) every repeat times the default settings, then the changed ones, alternately, and the
table adds the variant's median and its ratio to the default's.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from colorize.color import resize
from colorize.config import apply_overrides, parse_overrides
from colorize.data import sample_video
from colorize.io import VideoWriter, iter_frames, probe_video
from colorize.pipeline import PipelineConfig, VideoColorizationPipeline
from colorize.pipeline.config import OutputConfig
from colorize.propagation import PropagationConfig
from colorize.utils.timing import per_frame


def make_input(folder: Path, width: int, height: int) -> Path:
    """bigbuckbunny re-encoded at ``width`` x ``height`` (H.264, 25 fps, its audio kept)."""
    source = sample_video("bigbuckbunny")
    path = folder / f"bigbuckbunny_{width}x{height}.mp4"
    with VideoWriter(path, probe_video(source).fps, width, height, audio_from=source) as writer:
        for frame in iter_frames(source):
            writer.write(resize(frame, (height, width)))
    return path


def time_run(video: Path, reference, propagation: PropagationConfig, folder: Path) -> tuple[float, str]:
    """Frames per second of one whole run of the program's pipeline, and its milliseconds a frame per stage."""
    config = PipelineConfig(
        device="cpu",
        propagation=propagation,
        output=OutputConfig(save_frames=False, save_colorized_frames=False, visualization=False),
    )
    out = Path(tempfile.mkdtemp(dir=folder))
    pipeline = VideoColorizationPipeline(output_dir=out, config=config, overwrite=True)
    start = time.perf_counter()
    pipeline.process_video(video, reference=reference)
    seconds = time.perf_counter() - start
    frames = probe_video(video).num_frames
    return frames / seconds, per_frame(pipeline.last_report["timing"]["stages"], frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", nargs="+", default=["640x360", "1280x720"], help="input sizes WxH")
    parser.add_argument("--max-sides", nargs="+", type=int, default=[640, 320], help="working resolutions")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--set", action="extend", nargs="+", default=[], metavar="KEY=VALUE",
                        help="also time these PropagationConfig changes (e.g. anchored.arbitrate=true), alternately")
    args = parser.parse_args()
    changes = parse_overrides(args.set)

    rows, load_before = [], os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            width, height = (int(v) for v in size.split("x"))
            video = make_input(folder, width, height)
            reference = next(iter_frames(video, max_frames=1))
            for max_side in args.max_sides:
                configs = [PropagationConfig(max_side=max_side)]
                if changes:
                    configs.append(apply_overrides(configs[0], changes))
                fps, stages = [[] for _ in configs], ""
                for _ in range(args.repeats):
                    for index, (config, times) in enumerate(zip(configs, fps)):
                        rate, breakdown = time_run(video, reference, config, folder)
                        times.append(rate)
                        stages = breakdown if index == 0 else stages
                row = {"size": size, "max_side": max_side, "median": statistics.median(fps[0]), "min": min(fps[0]),
                       "max": max(fps[0]), "variant": statistics.median(fps[1]) if changes else None}
                rows.append(row)
                print(f"{size:10s} working {max_side:4d} px: median {row['median']:5.1f} fps (min {row['min']:.1f}, "
                      f"max {row['max']:.1f})" + (f"; with {' '.join(args.set)}: {row['variant']:.1f} fps"
                                                   if changes else ""), flush=True)
                print(f"    ms a frame, last default run: {stages}", flush=True)

    load = os.getloadavg()[0]
    print(f"\nload average (1 min) {load_before:.1f} before, {load:.1f} after, on {os.cpu_count()} cores: "
          "other work on the machine slows every figure below\n")
    variant = f" with {' '.join(args.set)} (median) | ratio |" if changes else ""
    print(f"| input | working size (longer side) | FPS, end to end (median) | min | max |{variant}")
    print("|---" * (5 + 2 * bool(changes)) + "|")
    for row in rows:
        extra = f" {row['variant']:.1f} | {row['variant'] / row['median']:.2f} |" if changes else ""
        print(f"| {row['size']} | {row['max_side']} | {row['median']:.1f} | {row['min']:.1f} | {row['max']:.1f} |"
              + extra)


if __name__ == "__main__":
    main()
