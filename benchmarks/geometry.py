#!/usr/bin/env python
"""3D-guided against flow-only propagation on the rendered scene of :mod:`testkit.synthetic` (tests/support/testkit).

    python benchmarks/geometry.py [--size 120x160] [--frames 48] [--move 0.6,0,1] [--keep DIR]

Frame 0's true colors are the only reference. The camera turns away and comes back, meanwhile moving by
``--move`` metres (x right, y down, z forward; back at exactly the start pose, both methods recover frame 0); depth,
intrinsics and poses are the renderer's exact ones. Prints a markdown table: PSNR (dB, mean over frames) over all
non-reference frames and over the frames after the return, and propagation speed (frames per second, this machine).
Both propagators come from :func:`colorize.propagation.make_propagator` with the default settings, as the pipeline
builds them: without camera views (flow only) and with the scene's views (3D-guided).

The last two rows run the whole program (``VideoColorizationPipeline``, what ``colorize INPUT --geometry ...`` runs)
on the scene encoded as an H.264 clip, with its own decoded first frame as the reference and the depth folder of
:func:`~testkit.synthetic.write_synthetic_scene` for ``--geometry folder:PATH``; scored against the decoded
frames (x264 changes the colors, so these differ from the rows above); FPS of the whole run, outputs included.
``--keep DIR`` keeps that clip and depth folder to try the command line on.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))  # testkit: the tests' helpers

from colorize.io import iter_frames, read_image
from colorize.metrics import psnr
from colorize.pipeline import VideoColorizationPipeline
from colorize.propagation import PropagationConfig, make_propagator
from testkit.synthetic import render_video, score_propagation, write_synthetic_scene


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x160", help="frame size HxW (default 120x160)")
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--move", default="0.6,0,1", help="camera translation over the clip, metres x,y,z")
    parser.add_argument("--keep", type=Path, help="write the clip and its depth folder here (default: a temp folder)")
    args = parser.parse_args(argv)
    height, width = (int(side) for side in args.size.split("x"))
    move = tuple(float(value) for value in args.move.split(","))
    video = render_video((height, width), args.frames, move=move)
    config = PropagationConfig()
    methods = {"anchored (flow only)": make_propagator(config),
               "reprojection (3D-guided)": make_propagator(config, views=dict(enumerate(video.views)))}
    print(f"{width}x{height}, {args.frames} frames, camera moved by {move} m, frames {video.returned[0]}-"
          f"{video.returned[-1]} after the return\n")
    print("| method | PSNR all frames | PSNR after return | FPS |")
    print("|---|---|---|---|")
    for name, propagator in methods.items():
        score = score_propagation(propagator, video)
        print(f"| {name} | {score.psnr_all:.2f} | {score.psnr_returned:.2f} | {score.fps:.1f} |")
    with tempfile.TemporaryDirectory() as scratch:
        scene = write_synthetic_scene(args.keep or Path(scratch) / "scene", video)
        decoded = list(iter_frames(scene["video"]))
        for geometry in ("none", f"folder:{scene['depth']}"):
            out = Path(scratch) / geometry.split(":")[0]
            config = {"geometry": {"source": geometry}, "output": {"visualization": False}}
            VideoColorizationPipeline(out, "cpu", config).process_video(scene["video"], reference=scene["reference"])
            scores = [float(psnr(read_image(out / "colorized_frames" / f"{index:04d}.png"), truth))
                      for index, truth in enumerate(decoded)]
            fps = json.loads((out / "run.json").read_text())["timing"]["fps"]
            print(f"| pipeline, --geometry {geometry.split(':')[0]} | {np.mean(scores[1:]):.2f} | "
                  f"{np.mean([scores[index] for index in video.returned]):.2f} | {fps:.1f} |")


if __name__ == "__main__":
    main()
