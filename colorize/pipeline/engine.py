"""The one video engine: any colorizer of the registry over a whole video, into the output layout of
:mod:`colorize.pipeline.outputs`.

:func:`prepare` checks the inputs before any work (the video, its color references, the ground truth, the output
folder); :func:`run_video` colorizes, optionally through the temporal stabilizer and the geometry / semantic stages
(:mod:`colorize.pipeline.stages`; camera poses also guide propagation), keeps checkpoints a killed run resumes
from (:mod:`colorize.pipeline.resume`), scores against the ground truth and writes ``run.json``.
:class:`~colorize.pipeline.VideoColorizationPipeline` and :class:`~colorize.inference.EnhancedColorizationInference`
are front ends: they choose the colorizer and the settings, this module does the run.

Keyframe propagation (:class:`~colorize.models.propagation.PropagationColorizer`) uses every keyframe, both
temporal directions and its own settings (``colorizer.config``); any other colorizer gets frames in batches with the
colors of frame 0 (when it takes a reference).
"""

import contextlib
import dataclasses
import functools
import itertools
import logging
import os
import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from colorize import __version__
from colorize.color import resize, rgb_to_lab, working_size
from colorize.errors import ColorizeError, InputError
from colorize.io import VideoInfo, atomic_dir, check_output_dir, iter_frames, probe_video, scratch_dir
from colorize.models import Colorizer
from colorize.models.frames import batched_chroma
from colorize.models.propagation import PropagationColorizer
from colorize.pipeline import resume as resumes
from colorize.pipeline.config import OutputConfig, PipelineConfig
from colorize.pipeline.outputs import FINAL_VIDEO, RunOutputs
from colorize.pipeline.run import ChromaFn, ImageLike, check_same_video, collect_references, quality_meter, write_frames
from colorize.pipeline.stages import FrameStages, open_stages
from colorize.propagation import ForwardPropagation, fit_reference, plan_propagation, propagate_chroma
from colorize.temporal import StabilizerConfig, TemporalStabilizer
from colorize.utils.device import resolve_device
from colorize.utils.iterators import read_ahead
from colorize.utils.progress import progress
from colorize.utils.timing import StageTimes, per_frame

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike


@dataclass
class VideoJob:
    """A checked input: the video, how many of its frames to colorize, its color keyframes (frame index ->
    (H, W, 3) uint8 RGB, any size), the ground truth to score against (None: no scores) and the output folder."""

    info: VideoInfo
    num_frames: int
    images: dict[int, np.ndarray]
    truth: Path | None
    output_dir: Path
    overwrite: bool = False


@dataclass
class RunSettings:
    """How :func:`run_video` runs, besides the colorizer."""

    output: OutputConfig = field(default_factory=OutputConfig)
    stabilizer: StabilizerConfig | None = None  # every frame's chroma through colorize.temporal (None: off)
    stages: PipelineConfig | None = None  # its geometry / semantic sections (any colorizer); None: no stages
    device: str = "auto"  # where scores (SSIM) and stage models run: auto | cpu | cuda (resolved only when used)
    checkpoints: bool = False  # keep checkpoints a killed run resumes from (propagation, needs colorized_frames/)
    resume: bool | None = False  # None: continue a killed run with the same settings; True: require one; False: never
    record: dict[str, Any] = field(default_factory=dict)  # extra run.json entries, also part of a resume's fingerprint


def prepare(path: PathLike, output_dir: PathLike, reference: ImageLike | None = None, reference_frame: int = 0,
            keyframes: dict[int, ImageLike] | PathLike | None = None, ground_truth: PathLike | None = None,
            max_frames: int | None = None, overwrite: bool = False) -> VideoJob:
    """Check every input before any work (one-line errors): see :class:`VideoJob`.

    ``reference`` is the color image of frame ``reference_frame``; ``keyframes`` a folder of images named by frame
    index or a dict; ``ground_truth`` a color video of the same frames, or ``"input"`` (its own colors).
    """
    info = probe_video(path)
    num_frames = min(info.num_frames, max_frames) if max_frames else info.num_frames
    truth = info.path if str(ground_truth) == "input" else None if ground_truth is None else Path(ground_truth)
    if truth is not None and truth != info.path:
        check_same_video(info, probe_video(truth))
    images = collect_references(reference, reference_frame, keyframes, num_frames)
    check_output_dir(output_dir, overwrite)
    return VideoJob(info, num_frames, images, truth, Path(output_dir), overwrite)


def run_video(job: VideoJob, colorizer: Colorizer, settings: RunSettings) -> dict[str, Any]:
    """Colorize ``job`` with ``colorizer`` into ``job.output_dir``; returns the report, also written as run.json.

    Everything is written under a temporary folder that becomes the output folder at the end (scratch space for the
    backward pass next to it, on the disk the user chose, not in /tmp).
    """
    # 1. What the colorizer needs, and the stages' providers and models, before any output (one-line errors).
    info, num_frames, images = job.info, job.num_frames, job.images
    propagating = isinstance(colorizer, PropagationColorizer)
    if propagating and not images:
        raise ColorizeError(f"{colorizer.name} needs a color reference: give --reference IMG or --keyframes DIR")
    size = working_size(info.height, info.width, colorizer.config.max_side) if propagating else None
    stages = _open_stages(settings, info, size)
    fingerprint = None  # what a killed run must have had to be continued; None: this run keeps no checkpoints
    if propagating and stages is None and settings.checkpoints and settings.output.save_colorized_frames \
            and settings.output.checkpoint_every:
        # The version too: a checkpoint holds the colorizer's internal state, whose layout may change with it.
        fingerprint = {"colorize": __version__, "input": resumes.file_identity(info.path), "frames": num_frames,
                       **settings.record, "model": colorizer.name, "propagation": dataclasses.asdict(colorizer.config),
                       "temporal": _asdict(settings.stabilizer),
                       "keyframes": {index: resumes.image_digest(image) for index, image in images.items()},
                       "ground_truth": None if job.truth is None else resumes.file_identity(job.truth)}
    job.output_dir.parent.mkdir(parents=True, exist_ok=True)
    adopt = resumes.choose(job.output_dir, fingerprint, settings.resume)

    # 2. Colorize, stabilize, score and write.
    started, times = time.perf_counter(), StageTimes()
    open_frames = functools.partial(iter_frames, info.path, max_frames=num_frames)
    # The loop's frames are decoded on a thread, a few ahead (closed, with its file, whatever happens).
    with atomic_dir(job.output_dir, job.overwrite, adopt, keep_on_interrupt=resumes.resumable) as tmp, \
            scratch_dir(job.output_dir) as scratch, \
            contextlib.closing(read_ahead(open_frames(), name="colorize-decode")) as decoded:
        plan, propagation = resumes.ResumePlan(), None
        stabilizer = TemporalStabilizer(settings.stabilizer) if settings.stabilizer is not None else None
        if propagating:
            references = {index: fit_reference(image, (info.height, info.width), size, index)
                          for index, image in images.items()}
            propagation = plan_propagation(open_frames, references, size, num_frames, scratch, colorizer.config,
                                           stages.reprojection_views if stages else None)
            chroma, frames = _propagation_chroma(propagation, stages, size), decoded
            _resume(plan, tmp, {"propagation": propagation, "stabilizer": stabilizer}, adopt, fingerprint,
                    settings.output.checkpoint_every)
        else:
            chroma, frames = _batched_chroma(colorizer, decoded, images)
            if stages is not None:
                chroma = _staged_chroma(stages, chroma, set(images))
        anchors = ({index: rgb_to_lab(resize(image, (info.height, info.width)))[..., 1:]
                    for index, image in images.items()} if stabilizer is not None else None)
        quality = quality_meter(set(images), resolve_device(settings.device)) if job.truth is not None else None
        truth_frames = iter_frames(job.truth, max_frames=num_frames) if job.truth is not None else None
        with RunOutputs(tmp, info, num_frames, settings.output, with_truth=truth_frames is not None,
                        resuming=adopt is not None) as out:
            frames = progress(frames, total=num_frames, desc=f"colorizing ({colorizer.name})", unit="frame")
            if stages is not None:
                stages.start(tmp, out.digits)
            count = write_frames(out, frames, chroma, truth_frames, quality, stabilizer, anchors, resume=plan,
                                 times=times)
            if count == 0:
                raise InputError(f"video has no frames: {info.path}")
        elapsed = time.perf_counter() - started
        cuts = stabilizer.cuts if stabilizer is not None else propagation.cuts if propagation is not None else None
        report = {"input": str(info.path), "output": str(job.output_dir / FINAL_VIDEO), "model": colorizer.name,
                  "width": info.width, "height": info.height, "fps": float(info.fps), "frames": count,
                  "keyframes": sorted(images), "scene_cuts": cuts, "device": colorizer.device,
                  "shots_without_keyframe": propagation.unkeyed_shots if propagation is not None else None,
                  "shots_returning_to_a_keyframe": propagation.returning_shots if propagation is not None else None,
                  "temporal": _asdict(settings.stabilizer), **settings.record,
                  "timing": {"seconds": round(elapsed, 3), "fps": round(count / elapsed, 2),
                             "stages": times.summary()},
                  "quality": quality.compute() if quality is not None else None,
                  "stages": stages.finish() if stages is not None else None,
                  "resumed_from_frame": plan.start}  # frames a killed run had written (timing covers the rest)
        out.write_report(report)
    logger.info("wrote %s (%s, %d frames, %.1f fps)", job.output_dir / FINAL_VIDEO, colorizer.name, count,
                count / elapsed)
    logger.info("ms a frame per thread and stage: %s", per_frame(times.summary(), count))
    return report


def _open_stages(settings: RunSettings, info: VideoInfo, size: tuple[int, int] | None) -> FrameStages | None:
    """The geometry / semantic stages of this run (None when off), at propagation's working size (``size``; other
    colorizers: the size the stages' config gives)."""
    if settings.stages is None:
        return None
    if size is None:
        size = working_size(info.height, info.width, settings.stages.propagation.max_side)
    return open_stages(settings.stages, info.path, size, settings.device)


def _staged_chroma(stages: FrameStages, chroma: ChromaFn, keyframes: set[int]) -> ChromaFn:
    """Any colorizer's ``chroma`` through the stages (:meth:`~colorize.pipeline.stages.FrameStages.refine`)."""
    return lambda index, lum, upcoming=None: stages.refine(index, lum, chroma(index, lum), index in keyframes)


def _propagation_chroma(propagation: ForwardPropagation, stages: FrameStages | None,
                        size: tuple[int, int]) -> ChromaFn:
    if stages is not None:
        return functools.partial(stages.chroma, propagation)
    return lambda index, lum, upcoming=None: propagate_chroma(propagation, lum, size, upcoming)


def _resume(plan: resumes.ResumePlan, tmp: Path, parts: dict[str, Any], adopt: Path | None,
            fingerprint: dict[str, Any] | None, every: int) -> None:
    """Restore a killed run's state into ``parts`` (the propagation and the stabilizer, None when off) from
    ``adopt``, or mark ``tmp`` resumable, and set ``plan`` to checkpoint them every ``every`` frames (only when
    ``fingerprint`` says this run keeps checkpoints)."""
    parts = {name: part for name, part in parts.items() if part is not None}
    if adopt is not None:
        plan.start, plan.taken, state = resumes.load(tmp)
        for name, part_state in pickle.loads(state).items():
            resumes.restore(parts[name], part_state)
    elif fingerprint is not None:
        resumes.start(tmp, fingerprint)
    if fingerprint is not None:
        plan.every = every
        plan.snapshot = lambda: pickle.dumps({name: resumes.snapshot(part) for name, part in parts.items()},
                                             pickle.HIGHEST_PROTOCOL)


def _batched_chroma(colorizer: Colorizer, decoded: Iterator[np.ndarray], images: dict[int, np.ndarray]
                    ) -> tuple[ChromaFn, Iterator[np.ndarray]]:
    """``chroma(index, L)`` from batches read ahead from the loop's own ``decoded`` stream (one decode), and that
    stream; the colors of frame 0 go with the first batch when the colorizer takes a reference."""
    reference = images.get(0) if "reference" in colorizer.uses else None
    frames, ahead = itertools.tee(decoded)
    batches = batched_chroma(colorizer, ahead, reference)
    return (lambda index, lum, upcoming=None: next(batches)[1]), frames


def _asdict(config: StabilizerConfig | None) -> dict[str, Any] | None:
    return dataclasses.asdict(config) if config is not None else None
