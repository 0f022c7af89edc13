#!/usr/bin/env python
"""3D-guided against flow-only propagation on the rendered scene of :mod:`colorize.geometry.synthetic`.

    python benchmarks/geometry.py [--size 120x160] [--frames 48] [--move 0.6,0,1]

Frame 0's true colours are the only reference. The camera turns away and comes back, meanwhile moving by
``--move`` metres (x right, y down, z forward; back at exactly the start pose, both methods recover frame 0); depth,
intrinsics and poses are the renderer's exact ones. Prints a markdown table: PSNR (dB, mean over frames) over all
non-reference frames and over the frames after the return, and propagation speed (frames per second, this machine).
"""

import argparse

from colorize.geometry import ReprojectionPropagator, render_video, score_propagation
from colorize.propagation import AnchoredPropagator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x160", help="frame size HxW (default 120x160)")
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--move", default="0.6,0,1", help="camera translation over the clip, metres x,y,z")
    args = parser.parse_args(argv)
    height, width = (int(side) for side in args.size.split("x"))
    move = tuple(float(value) for value in args.move.split(","))
    video = render_video((height, width), args.frames, move=move)
    methods = {"anchored (flow only)": AnchoredPropagator(),
               "reprojection (3D-guided)": ReprojectionPropagator(video.views)}
    print(f"{width}x{height}, {args.frames} frames, camera moved by {move} m, frames {video.returned[0]}-"
          f"{video.returned[-1]} after the return\n")
    print("| method | PSNR all frames | PSNR after return | FPS |")
    print("|---|---|---|---|")
    for name, propagator in methods.items():
        score = score_propagation(propagator, video)
        print(f"| {name} | {score.psnr_all:.2f} | {score.psnr_returned:.2f} | {score.fps:.1f} |")


if __name__ == "__main__":
    main()
