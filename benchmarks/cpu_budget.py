#!/usr/bin/env python
"""Where the CPU goes: each stage of an end-to-end run timed alone, in CPU milliseconds a frame (all threads).

    python benchmarks/cpu_budget.py [--size 640x360] [--repeats 3]

The input is speed.py's (bigbuckbunny re-encoded at ``--size``); every stage runs over all its frames at the input's
size, on its own, and is measured in process CPU time (``time.process_time``: every thread, OpenCV's included), the
median of ``--repeats``. Wall time is printed beside it. The stages' CPU sum, divided by the cores, bounds what any
overlap of them can reach end to end: this is the budget the >= 25 fps target must fit in.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from speed import make_input

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_luminance
from colorize.flow import DISFlow, FlowConfig
from colorize.io import VideoWriter, iter_frames, probe_video
from colorize.pipeline.config import OutputConfig
from colorize.propagation import AnchoredConfig, AnchoredPropagator, Reference, make_keyframe
from colorize.utils.memory import keep_freed_memory


def measure(run, repeats: int) -> tuple[float, float]:
    """Median CPU and wall seconds of ``run()`` over ``repeats`` calls."""
    cpu, wall = [], []
    for _ in range(repeats):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def propagate(frames, lum8) -> list:
    """The default propagator over the clip, frame 0 the keyframe (its flows included, started ahead as the program
    does); the (H, W, 2) chroma of every frame."""
    propagator = AnchoredPropagator(AnchoredConfig())
    chroma = [propagator.reset(make_keyframe(0, lum8[0], Reference.from_rgb(frames[0], lum8[0].shape))).ab]
    for index, lum in enumerate(lum8[1:], 1):
        if index + 1 < len(lum8):
            propagator.prefetch(lum8[index + 1])
        chroma.append(propagator.step(lum).ab)
    return chroma


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--size", default="640x360", help="input size WxH")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    keep_freed_memory()  # as the program's frame loop does

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = make_input(folder, width, height)
        frames = list(iter_frames(video))
        lum = [rgb_to_luminance(frame) for frame in frames]
        lum8 = [luminance_to_uint8(plane) for plane in lum]
        flow = DISFlow(FlowConfig(preset=AnchoredConfig().flow_preset, max_side=10_000))
        chroma = propagate(frames, lum8)
        colorized = [compose_lab(plane, ab) for plane, ab in zip(lum, chroma)]

        def encode() -> None:
            output = OutputConfig()  # the program's x264 settings
            with VideoWriter(folder / "out.mp4", probe_video(video).fps, width, height, preset=output.preset,
                             crf=output.crf) as writer:
                for rgb in colorized:
                    writer.write(rgb)

        stages = [  # (name, run, whether it counts in the sum: the separate flow is inside the propagation's)
            ("decoding", lambda: list(iter_frames(video)), True),
            ("luminance", lambda: [luminance_to_uint8(rgb_to_luminance(frame)) for frame in frames], True),
            ("one DIS flow (frame to frame)", lambda: [flow(a, b) for a, b in zip(lum8[1:], lum8[:-1])], False),
            ("propagation, its flows included", lambda: propagate(frames, lum8), True),
            ("composing (Lab to RGB)", lambda: [compose_lab(plane, ab) for plane, ab in zip(lum, chroma)], True),
            ("encoding (x264, the program's settings)", encode, True),
        ]
        count = len(frames)
        print(f"| stage ({args.size}, {count} frames) | CPU ms a frame | wall ms a frame |")
        print("|---|---:|---:|")
        total = 0.0
        for name, run, counted in stages:
            cpu, wall = measure(run, args.repeats)
            total += cpu if counted else 0.0
            print(f"| {name} | {1e3 * cpu / count:.1f} | {1e3 * wall / count:.1f} |", flush=True)
    cores = os.cpu_count() or 1
    print(f"\nsum without the separate flow: {1e3 * total / count:.1f} CPU ms a frame; on {cores} cores at most "
          f"{cores * count / total:.1f} fps end to end, however well the stages overlap")


if __name__ == "__main__":
    main()
