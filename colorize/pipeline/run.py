"""What every program shares around a run: its color references and ground-truth check, the quality meter, and
the frame loop (chroma per frame, then composing, scoring and writing the outputs).

``write_frames`` runs a colorizer's chroma (``chroma(index, L, next L)``, one frame read ahead) on this thread and
hands each frame to an output thread that composes it under its luminance and writes it
(:class:`~colorize.pipeline.outputs.RunOutputs`), in order, while a scoring thread scores it against the ground
truth. Propagation and encoding overlap; at most ``OUTPUT_QUEUE`` frames wait, so memory stays flat. A temporal
stabiliser, when given, sits between the two; with lookahead it holds its frames back until it has seen enough of
what follows. Each thread's time is summed per stage (:class:`~colorize.utils.timing.StageTimes`; run.json's
``timing.stages``): the thread whose stages fill the run sets its speed.
"""

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import cv2
import numpy as np

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_luminance
from colorize.errors import InputError
from colorize.io import VideoInfo, list_keyframe_images, read_image
from colorize.pipeline.outputs import RunOutputs
from colorize.pipeline.resume import ResumePlan
from colorize.utils.iterators import with_next
from colorize.utils.memory import keep_freed_memory
from colorize.utils.stopping import deferred_stop, stop_point
from colorize.utils.threads import BoundedJobs
from colorize.utils.timing import StageTimes

if TYPE_CHECKING:
    from colorize.pipeline.quality import QualityMeter
    from colorize.temporal import TemporalStabilizer

OUTPUT_QUEUE = 4  # frames colorized ahead of the output thread

# (frame index, (H, W) L in [0, 100], the next frame's L or None) -> (H, W, 2) ab
ChromaFn = Callable[[int, np.ndarray, np.ndarray | None], np.ndarray]


def write_frames(out: RunOutputs, frames: Iterable[np.ndarray], chroma: ChromaFn,
                 truth_frames: Iterable[np.ndarray] | None = None, quality: "QualityMeter | None" = None,
                 stabilizer: "TemporalStabilizer | None" = None, anchors: dict[int, np.ndarray] | None = None,
                 resume: ResumePlan | None = None, times: StageTimes | None = None) -> int:
    """Colorize ``frames`` ((H, W, 3) uint8 RGB, in order) into ``out``; returns how many frames were written.

    ``stabilizer``: the chroma goes through it (:meth:`~colorize.temporal.TemporalStabilizer.push`, anchored to
    ``anchors``: frame index -> (H, W, 2) true ab of a keyframe) and each frame is written once it comes out.
    ``resume``: the first ``resume.start`` frames are read back from ``out`` (a killed run wrote them; ``chroma`` is
    not called for them), frames up to ``resume.taken`` only queued again (their chroma is in the restored
    stabilizer), and every ``resume.every`` frames a checkpoint of ``resume.snapshot()`` is saved once the frames
    written before it are on disk.
    An error on either thread stops the loop and is raised here (the caller's ``atomic_dir`` then leaves nothing);
    the frames still queued are dropped, so Ctrl-C stops within a frame or two.
    ``times``: where the time went, per thread (``main``, ``output``, ``scoring``) and stage, added to as it runs.
    """
    keep_freed_memory()  # each frame's buffers reuse the last one's pages instead of faulting in new ones
    times = times if times is not None else StageTimes()
    truths = times.iterate("main", "reading ground truth", truth_frames) if truth_frames is not None else None
    anchors = anchors or {}
    resume = resume or ResumePlan()
    checkpoints = resume.every > 0 and resume.snapshot is not None
    waiting: deque[tuple[int, np.ndarray, np.ndarray | None]] = deque()  # frames whose chroma is not out yet

    def finish(index: int, lum: np.ndarray, ab: np.ndarray, truth: np.ndarray | None) -> None:
        with times("output", "composing"):
            colorized = compose_lab(lum, ab)
        write(index, lum, colorized, truth)

    def replay(index: int, lum: np.ndarray, truth: np.ndarray | None) -> None:
        with times("output", "reading back"):
            colorized = out.read_colorized(index)
        write(index, lum, colorized, truth, replay=True)

    def write(index: int, lum: np.ndarray, colorized: np.ndarray, truth: np.ndarray | None,
              replay: bool = False) -> None:
        if quality is not None:
            with times("output", "waiting for scoring"):
                scores.submit(score, index, colorized, truth)
        with times("output", "writing"):
            out.write(index, lum, colorized, truth, replay=replay)

    def score(index: int, colorized: np.ndarray, truth: np.ndarray | None) -> None:
        with times("scoring", "scoring"):
            quality.update(index, colorized, truth)

    def submit(chromas: list[np.ndarray]) -> None:
        for ab in chromas:  # in order: the chroma of the oldest waiting frames
            index, lum, truth = waiting.popleft()
            with times("main", "waiting for output"):
                outputs.submit(finish, index, lum, ab, truth)  # also raises the output thread's errors here

    count = 0
    # Ctrl-C / SIGTERM are raised at the top of the loop (stop_point), not inside a lock shared with these threads.
    with deferred_stop(), \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="colorize-output") as output_thread, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="colorize-scoring") as scoring_thread:
        outputs, scores = BoundedJobs(output_thread, OUTPUT_QUEUE), BoundedJobs(scoring_thread, OUTPUT_QUEUE)
        try:
            luminances = with_next(rgb_to_luminance(frame) for frame in frames)
            for index, (lum, upcoming) in enumerate(times.iterate("main", "reading", luminances)):
                stop_point()
                truth = next(truths) if truths is not None else None
                count += 1
                if index < resume.start:
                    outputs.submit(replay, index, lum, truth)
                    continue
                if index < resume.taken:  # taken before the kill: held by the restored stabilizer's look-ahead
                    waiting.append((index, lum, truth))
                    continue
                with times("main", "colorizing"):
                    ab = chroma(index, lum, upcoming)
                waiting.append((index, lum, truth))
                if stabilizer is None:
                    submit([ab])
                else:
                    with times("main", "stabilizing"):
                        ready = stabilizer.push(luminance_to_uint8(lum), ab, anchors.get(index))
                    submit(ready)
                if checkpoints and count % resume.every == 0:  # the frames still waiting are in the snapshot
                    with times("main", "checkpointing"):
                        outputs.submit(out.save_checkpoint, count - len(waiting), resume.snapshot(), count)
            if stabilizer is not None:
                with times("main", "stabilizing"):
                    ready = stabilizer.flush()
                submit(ready)
            with times("main", "waiting for output"):
                outputs.wait()
                scores.wait()  # after the output jobs, which add the last of them
        except BaseException:
            outputs.cancel()
            scores.cancel()
            raise
    return count


def check_same_video(info: VideoInfo, truth: VideoInfo) -> None:
    """InputError unless the ground-truth video ``truth`` has the input's size and at least its frames."""
    if (truth.width, truth.height) != (info.width, info.height) or truth.num_frames < info.num_frames:
        raise InputError(f"ground truth {truth.path} ({truth.width}x{truth.height}, {truth.num_frames} frames) does "
                         f"not match the input ({info.width}x{info.height}, {info.num_frames} frames)")


ImageLike = str | os.PathLike | np.ndarray  # a path, or an (H, W, 3) uint8 RGB array


def to_rgb(image: np.ndarray, channel_order: str) -> np.ndarray:
    """(H, W) gray or (H, W, 3) image in ``channel_order`` ("bgr" or "rgb") -> (H, W, 3) uint8 RGB."""
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=-1)
    if channel_order not in ("bgr", "rgb"):
        raise ValueError(f"channel_order must be 'bgr' or 'rgb', got {channel_order!r}")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB) if channel_order == "bgr" else image


def collect_references(reference: ImageLike | None, reference_frame: int,
                       keyframes: dict[int, ImageLike] | str | os.PathLike | None,
                       num_frames: int) -> dict[int, np.ndarray]:
    """Frame index -> (H, W, 3) uint8 RGB color image, from ``reference`` (the image of ``reference_frame``) and
    ``keyframes`` (a folder of images named by frame index, or a dict); indices are checked against the video's
    length. Empty when neither is given."""
    sources: dict[int, ImageLike] = {}
    if keyframes is not None:
        sources.update(list_keyframe_images(keyframes) if not isinstance(keyframes, dict) else keyframes)
    if reference is not None:
        sources[reference_frame] = reference
    for index in sources:
        if not 0 <= index < num_frames:
            raise InputError(f"keyframe index {index} is outside the video (frames 0 to {num_frames - 1})")
    return {index: to_rgb(image, "rgb") if isinstance(image, np.ndarray) else read_image(image)
            for index, image in sorted(sources.items())}


def quality_meter(keyframes: set[int], device: str = "cpu") -> "QualityMeter":
    """Scores against the true colors (SSIM on ``device``). Imported only when scoring: the metrics pull in torch and
    torchmetrics (seconds and ~0.7 GB at start-up)."""
    from colorize.pipeline.quality import QualityMeter

    return QualityMeter(keyframes, device)
