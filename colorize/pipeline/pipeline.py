"""``VideoColorizationPipeline``: a video and colour keyframes in, a colorized video and its report out."""

import functools
import logging
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from colorize.color import working_size
from colorize.config import from_dict, load_config, to_dict
from colorize.errors import ColorizeError, InputError
from colorize.io import (
    VideoInfo,
    atomic_dir,
    check_output_dir,
    iter_frames,
    probe_video,
    read_image,
    scratch_dir,
)
from colorize.pipeline import resume as resumes
from colorize.pipeline.config import PipelineConfig
from colorize.propagation.frames import StreamColorizer, fit_reference, plan_propagation, propagate_chroma
from colorize.pipeline.outputs import FINAL_VIDEO, RunOutputs
from colorize.pipeline.run import (
    ImageLike,
    check_same_video,
    collect_references,
    quality_meter,
    to_rgb,
    write_frames,
)
from colorize.pipeline.stages import open_stages
from colorize.propagation import ForwardPropagation, Reference
from colorize.utils.device import resolve_device
from colorize.utils.progress import progress

if TYPE_CHECKING:
    from colorize.pipeline.quality import QualityMeter

logger = logging.getLogger(__name__)

NO_COLOUR_SOURCE = ("nothing to take colours from: give a reference image (--reference IMG) or keyframes "
                    "(--keyframes DIR); automatic colorization models are not available in this version")


class VideoColorizationPipeline:
    """Colorize a black-and-white video from colour keyframes (reference-guided propagation, no weights).

    ``config.geometry`` and ``config.semantic`` add the optional stages of :mod:`colorize.pipeline.stages` (3D-guided
    propagation where camera poses exist; depth maps, point clouds and semantic masks written with the outputs).

    Args:
        output_dir: where :meth:`process_video` writes its outputs (created; refused if it holds a previous
            run unless ``overwrite``).
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
        config: a :class:`PipelineConfig`, a dict of its fields, or a YAML path
            (``configs/pipeline/colorization.yaml``).
        overwrite: replace a previous run in ``output_dir`` (only once the new one is complete).
        resume: continue a killed run into ``output_dir`` (:mod:`colorize.pipeline.resume`): None when one with the
            same settings is there, True requires one, False starts over (removing it).
    """

    def __init__(self, output_dir: str | os.PathLike | None = None, device: str = "auto",
                 config: PipelineConfig | dict | str | os.PathLike | None = None, overwrite: bool = False,
                 resume: bool | None = None) -> None:
        self.config = _as_config(config)
        if self.config.colorization_model != "propagation":
            raise ColorizeError(f"colorization_model {self.config.colorization_model!r} is not wired into the "
                                "standalone pipeline; use enhanced_inference.py --model ...")
        requested = device if device != "auto" else self.config.device
        # Propagation has no GPU path yet, so "auto" means the CPU without importing torch to ask (a 0.8 GB,
        # several-second start-up); an explicit "cuda" is still checked.
        self.device = "cpu" if requested == "auto" else resolve_device(requested)
        self._requested_device = requested  # the geometry and semantic models resolve "auto" themselves
        self.output_dir = Path(output_dir) if output_dir is not None else None
        self.overwrite = overwrite
        self.resume = resume
        self.last_report: dict[str, Any] | None = None  # run.json of the latest process_video
        self._stream: StreamColorizer | None = None  # live input, see set_reference

    # ------------------------------------------------------------------ whole videos
    def process_video(self, path: str | os.PathLike, reference: ImageLike | None = None,
                      keyframes: dict[int, ImageLike] | str | os.PathLike | None = None, reference_frame: int = 0,
                      ground_truth: str | os.PathLike | None = None, max_frames: int | None = None) -> Path:
        """Colorize ``path`` and write the outputs to ``output_dir``; returns the final video's path.

        ``reference`` is the colour image of frame ``reference_frame`` (or a photo of a similar scene);
        ``keyframes`` maps frame indices to images, or is a folder of images named by frame index
        (``0000.png``, ``0120.png``). ``ground_truth`` is a colour video to score against, or ``"input"``
        when the input's own colours are the truth (demo). Input files are never modified.
        """
        # 1. Check inputs before any work.
        if self.output_dir is None:
            raise InputError("no output directory: pass output_dir=... to VideoColorizationPipeline")
        info = probe_video(path)
        num_frames = min(info.num_frames, max_frames) if max_frames else info.num_frames
        truth_path = None if ground_truth is None else Path(ground_truth)
        if str(ground_truth) == "input":
            truth_path = info.path
        if truth_path is not None and truth_path != info.path:
            check_same_video(info, probe_video(truth_path))
        images = collect_references(reference, reference_frame, keyframes, num_frames)
        if not images:
            raise ColorizeError(NO_COLOUR_SOURCE)
        check_output_dir(self.output_dir, self.overwrite)

        # 2. Keyframes at working resolution (resized to the video's size first, with a note when needed); the
        # geometry and semantic stages open their providers and models (one-line errors before any output).
        size = working_size(info.height, info.width, self.config.propagation.max_side)
        references = {index: fit_reference(image, (info.height, info.width), size, index)
                      for index, image in images.items()}
        stages = open_stages(self.config, info.path, size, self._requested_device)
        settings = None  # what a killed run must have had to be continued; None: this run keeps no checkpoints
        if stages is None and self.config.output.save_colorized_frames and self.config.output.checkpoint_every:
            settings = {"input": resumes.file_identity(info.path), "frames": num_frames, "config": to_dict(self.config),
                        "keyframes": {index: resumes.image_digest(image) for index, image in images.items()},
                        "ground_truth": None if truth_path is None else resumes.file_identity(truth_path)}
        adopt = resumes.choose(self.output_dir, settings, self.resume)

        # 3. Colorize, writing everything under a temporary folder that becomes output_dir at the end (scratch space
        # for the backward pass next to it, on the disk the user chose, not in /tmp).
        started = time.perf_counter()
        with atomic_dir(self.output_dir, self.overwrite, adopt, keep_on_interrupt=resumes.resumable) as tmp, \
                scratch_dir(self.output_dir) as scratch:
            open_frames = functools.partial(iter_frames, info.path, max_frames=num_frames)
            propagation = plan_propagation(open_frames, references, size, num_frames, scratch,
                                           self.config.propagation, stages.reprojection_views if stages else None)
            plan = resumes.ResumePlan()
            if adopt is not None:
                plan.start, state = resumes.load(tmp)
                resumes.restore(propagation, pickle.loads(state))
            elif settings is not None:
                resumes.start(tmp, settings)
            if settings is not None:
                plan.every = self.config.output.checkpoint_every
                plan.snapshot = lambda: pickle.dumps(resumes.snapshot(propagation), pickle.HIGHEST_PROTOCOL)
            # Scoring imports torch anyway, so 'auto' may look for a GPU for SSIM (0.5 s a 1280x720 frame on 2 cores).
            quality = (quality_meter(set(references), resolve_device(self._requested_device))
                       if truth_path is not None else None)
            truth_frames = iter_frames(truth_path, max_frames=num_frames) if truth_path is not None else None
            with RunOutputs(tmp, info, num_frames, self.config.output, with_truth=truth_frames is not None,
                            resuming=adopt is not None) as out:
                frames = progress(open_frames(), total=num_frames, desc="colorizing", unit="frame")
                if stages is not None:
                    stages.start(tmp, out.digits)

                def chroma(index: int, lum: np.ndarray) -> np.ndarray:
                    if stages is not None:
                        return stages.chroma(propagation, index, lum)
                    return propagate_chroma(propagation, lum, size)

                count = write_frames(out, frames, chroma, truth_frames, quality, resume=plan)
                if count == 0:
                    raise InputError(f"video has no frames: {info.path}")
            elapsed = time.perf_counter() - started
            report = self._report(info, count, elapsed, references, propagation, quality)
            report["stages"] = stages.finish() if stages is not None else None
            report["resumed_from_frame"] = plan.start  # frames a killed run had written (timing covers the rest)
            out.write_report(report)
        final = self.output_dir / FINAL_VIDEO
        logger.info("wrote %s (%d frames, %.1f fps)", final, count, count / elapsed)
        self.last_report = report
        return final

    def _report(self, info: VideoInfo, count: int, elapsed: float, references: dict[int, Reference],
                propagation: ForwardPropagation, quality: "QualityMeter | None") -> dict[str, Any]:
        return {
            "input": str(info.path),
            "width": info.width, "height": info.height, "fps": float(info.fps),
            "frames": count,
            "keyframes": sorted(references),
            "scene_cuts": propagation.cuts,
            "device": self.device,
            "config": to_dict(self.config),
            "timing": {"seconds": round(elapsed, 3), "fps": round(count / elapsed, 2)},
            "quality": quality.compute() if quality is not None else None,
        }

    # ------------------------------------------------------------------ live input
    def set_reference(self, image: ImageLike, channel_order: str = "bgr") -> None:
        """Reference for the stream that :meth:`colorize_single_frame` colorizes (starts a new stream).

        Arrays are taken in OpenCV's BGR order by default (as ``cv2.imread`` and webcams give them).
        """
        rgb = read_image(image) if not isinstance(image, np.ndarray) else to_rgb(image, channel_order)
        self._stream = StreamColorizer(rgb, self.config.propagation)

    def colorize_single_frame(self, gray_frame: np.ndarray, channel_order: str = "bgr") -> np.ndarray:
        """Colorize the next frame of a live stream; returns (H, W, 3) uint8 **BGR** of the input's size.

        ``gray_frame`` is (H, W) uint8 gray, or (H, W, 3) uint8 in ``channel_order`` (its colour is ignored).
        State (the propagation) is kept between calls; :meth:`set_reference` starts over.
        """
        if self._stream is None:
            raise ColorizeError("call set_reference(image) before colorize_single_frame: " + NO_COLOUR_SOURCE)
        frame = gray_frame if gray_frame.ndim == 2 else to_rgb(gray_frame, channel_order)
        return cv2.cvtColor(self._stream(frame), cv2.COLOR_RGB2BGR)


def _as_config(config: PipelineConfig | dict | str | os.PathLike | None) -> PipelineConfig:
    if isinstance(config, PipelineConfig):
        return config
    if isinstance(config, dict):
        return from_dict(PipelineConfig, config)
    return load_config(PipelineConfig, config)
