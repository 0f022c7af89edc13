"""The output folder of one run, written frame by frame (layout documented in the README).

    frames/                      grayscale input frames, PNG (the luminance that was colorized)
    colorized_frames/            colorized frames, lossless PNG, zero-padded index
    final_colorized_video.mp4    same frame rate as the input, the input's audio copied over
    visualization/side_by_side.mp4   input | colorized [| ground truth]
    visualization/contact_sheet.png  a few of those rows stacked
    depth_maps/, point_clouds/, semantic_masks/  with --geometry / --semantic (colorize.pipeline.stages)
    run.json                     settings, timings, frame count, quality figures (written by the pipeline)

While the run goes on, ``.resume/`` holds its checkpoints (:mod:`colorize.pipeline.resume`); it is removed at the end.
"""

import json
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import cv2
import numpy as np

from colorize.color import luminance_to_gray
from colorize.io import VideoInfo, VideoWriter, atomic_file, read_image, write_png
from colorize.pipeline import resume
from colorize.pipeline.config import OutputConfig
from colorize.utils.threads import BoundedJobs
from colorize.viz import contact_sheet, sheet_indices, side_by_side

FINAL_VIDEO = "final_colorized_video.mp4"
PANEL_HEIGHT = 360  # height of each panel in the visualization, pixels (never enlarged)
# PNG frames are encoded on these threads (OpenCV releases the GIL): about 23 ms a 1280x720 frame on one core, the
# largest cost of a run that saves frames. At most PNG_QUEUE writes wait, so memory stays flat.
PNG_WORKERS = min(4, os.cpu_count() or 1)
PNG_QUEUE = 4 * PNG_WORKERS


class RunOutputs:
    """Writes every per-frame output. Use as a context manager and call :meth:`write` for each frame in order.

    Leaving the ``with`` block normally finishes the videos and the contact sheet; an exception abandons them.
    ``resuming``: ``root`` is a killed run's folder being continued; frames it already holds are passed again with
    ``replay=True`` (their PNGs are kept, the videos rebuilt).
    """

    def __init__(self, root: Path, info: VideoInfo, num_frames: int, config: OutputConfig,
                 with_truth: bool = False, resuming: bool = False) -> None:
        self.root, self.config = root, config
        self.digits = max(4, len(str(num_frames - 1)))  # zero padding of frame indices in file names
        for name, wanted in (("frames", config.save_frames), ("colorized_frames", config.save_colorized_frames),
                             ("visualization", config.visualization)):
            if wanted:
                (root / name).mkdir(exist_ok=resuming)
        self._stack = ExitStack()
        png_threads = self._stack.enter_context(ThreadPoolExecutor(PNG_WORKERS, thread_name_prefix="colorize-png"))
        self._png = BoundedJobs(png_threads, PNG_QUEUE)  # submit raises a failed write here
        self.video = self._enter(VideoWriter(root / FINAL_VIDEO, info.fps, info.width, info.height,
                                             audio_from=info.path, crf=config.crf,
                                             preset=config.preset))
        self._panel_size = _panel_size(info.height, info.width)
        self._side: VideoWriter | None = None
        self._sheet_at = set(sheet_indices(num_frames, config.contact_sheet_frames))
        self._sheet_rows: list[np.ndarray] = []
        if config.visualization:
            panels = 3 if with_truth else 2
            width = panels * self._panel_size[1] + (panels - 1) * 4
            self._side = self._enter(VideoWriter(root / "visualization" / "side_by_side.mp4", info.fps, width,
                                                 self._panel_size[0], crf=config.crf,
                                                 preset=config.preset))

    def write(self, index: int, lum: np.ndarray, colorized: np.ndarray, truth: np.ndarray | None = None,
              replay: bool = False) -> None:
        """``lum`` (H, W) input L in [0, 100], ``colorized``/``truth`` (H, W, 3) uint8 RGB. ``replay``: a frame a
        killed run already wrote (its PNGs are on disk; only the videos and contact sheet take it)."""
        name = f"{index:0{self.digits}d}.png"
        save_input = self.config.save_frames and not replay
        # The input as a gray image, made only for the outputs that show it (2.4 ms a 640x360 frame).
        gray = luminance_to_gray(lum) if save_input or self._side is not None else None
        if save_input:
            self._png.submit(write_png, self.root / "frames" / name, gray)
        if self.config.save_colorized_frames and not replay:
            self._png.submit(write_png, self.root / "colorized_frames" / name, colorized)
        self.video.write(colorized)
        if self._side is not None:
            panels = [("input", gray), ("colorized", colorized)]
            if truth is not None:
                panels.append(("ground truth", truth))
            row = side_by_side([(text, _fit(image, self._panel_size)) for text, image in panels])
            self._side.write(row)
            if index in self._sheet_at:
                self._sheet_rows.append(row)

    def read_colorized(self, index: int) -> np.ndarray:
        """The colorized frame ``index`` written before, (H, W, 3) uint8 RGB (exactly: the PNG is lossless)."""
        return read_image(self.root / "colorized_frames" / f"{index:0{self.digits}d}.png")

    def save_checkpoint(self, frames: int, state: bytes, taken: int | None = None) -> None:
        """Once the PNGs of frames 0..``frames``-1 are on disk, record that and ``state``, taken after frame
        ``taken``-1 (default ``frames``-1; call in frame order, from the thread that calls :meth:`write`)."""
        self._png.wait()
        resume.save(self.root, frames, state, taken)

    def _enter(self, writer: VideoWriter) -> VideoWriter:
        try:
            return self._stack.enter_context(writer)
        except BaseException:
            self._stack.close()
            raise

    def __enter__(self) -> "RunOutputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        failed = None
        if exc is None:
            try:
                self._png.wait()
            except Exception as error:  # a PNG could not be written: abandon the videos too
                failed, exc_type, exc, tb = error, type(error), error, error.__traceback__
        self._png.cancel()  # PNG writes not started yet, after an error
        self._stack.__exit__(exc_type, exc, tb)  # finishes the videos, or abandons them on an exception
        if failed is not None:
            raise failed
        if exc is None and self._sheet_rows:
            write_png(self.root / "visualization" / "contact_sheet.png", contact_sheet(self._sheet_rows))
        if exc is None:
            resume.finish(self.root)

    def write_report(self, report: dict) -> None:
        with atomic_file(self.root / "run.json") as tmp:
            tmp.write_text(json.dumps(report, indent=2, default=str))


def _panel_size(height: int, width: int) -> tuple[int, int]:
    scale = min(1.0, PANEL_HEIGHT / height)
    return round(height * scale), round(width * scale)


def _fit(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if image.shape[:2] == size:
        return image
    return cv2.resize(image, (size[1], size[0]), interpolation=cv2.INTER_AREA)
