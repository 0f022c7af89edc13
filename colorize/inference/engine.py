"""``EnhancedColorizationInference``: any registered colorizer over a whole video, stabilised, in the standalone
program's output layout (``frames/``, ``colorized_frames/``, ``final_colorized_video.mp4``, ``visualization/``,
``run.json``; see :mod:`colorize.pipeline.outputs`).
"""

import dataclasses
import functools
import itertools
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from colorize.color import (
    resize,
    rgb_to_lab,
    working_size,
)
from colorize.errors import ColorizeError, InputError
from colorize.inference.batch import Processes, process_state, run_batch
from colorize.io import (
    VideoInfo,
    atomic_dir,
    check_output_dir,
    iter_frames,
    probe_video,
    scratch_dir,
)
from colorize.models import Colorizer, ColorizerSettings, make_colorizer
from colorize.models.frames import batched_chroma
from colorize.pipeline.config import OutputConfig, PipelineConfig
from colorize.propagation.frames import fit_reference, plan_propagation, propagate_chroma
from colorize.pipeline.outputs import FINAL_VIDEO, RunOutputs
from colorize.pipeline.run import ChromaFn, check_same_video, collect_references, quality_meter, write_frames
from colorize.propagation import PropagationConfig
from colorize.temporal import StabilizerConfig, TemporalStabilizer
from colorize.utils import progress as progress_bars
from colorize.utils.progress import progress

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike


@dataclass
class InferenceConfig:
    """How :class:`EnhancedColorizationInference` runs; model settings go to :class:`ColorizerSettings`."""

    mixed_precision: str = "auto"  # auto (fp16 on CUDA, fp32 on the CPU) | no | fp16 | bf16
    memory_efficient: bool = False  # model CPU offload (CUDA), VAE tiling, one frame at a time
    inference_steps: int = 25  # diffusion denoising steps
    guidance_scale: float = 7.5  # classifier-free guidance of the prompt (1: off)
    temporal: bool = True  # run every model's output through colorize.temporal (False: --no-temporal)
    # The pipeline YAML's defaults: lookahead 8, each frame written once 8 more were seen, so a shot starts at its
    # mean colour cast (benchmarks/temporal.py: bigbuckbunny CDC 1.08x the ground truth's, 1.36x frame by frame).
    stabilizer: StabilizerConfig = field(default_factory=lambda: stabilizer_config(PipelineConfig()))
    propagation: PropagationConfig = field(default_factory=PropagationConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    @classmethod
    def from_pipeline_config(cls, pipeline: PipelineConfig, **overrides: Any) -> "InferenceConfig":
        """The settings of ``configs/pipeline/colorization.yaml`` (inference steps, guidance, temporal weight,
        propagation, outputs), with ``overrides`` (command-line options) on top."""
        return cls(**{"inference_steps": pipeline.inference_steps, "guidance_scale": pipeline.guidance_scale,
                      "stabilizer": stabilizer_config(pipeline), "propagation": pipeline.propagation,
                      "output": pipeline.output, **overrides})


def placement(device: str, state: Processes) -> str:
    """Where this process runs models: ``device`` (``"cpu"`` or ``"cuda"``), or under ``accelerate launch`` with
    several processes on CUDA, the process's own GPU (``state.device``, e.g. ``"cuda:1"``)."""
    if device == "cuda" and state.num_processes > 1:
        return str(state.device)
    return device


def stabilizer_config(pipeline: PipelineConfig) -> StabilizerConfig:
    """The stabiliser settings of the pipeline YAML (``temporal_weight``, ``temporal_lookahead``)."""
    return StabilizerConfig(temporal_weight=pipeline.temporal_weight, lookahead=pipeline.temporal_lookahead)


class EnhancedColorizationInference:
    """Colorizes videos with a model of the registry (or the one :meth:`PretrainedModelAssessor.recommend_model`
    picks), then makes the result temporally consistent. Built models are kept for the next video.

    Args:
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``; under ``accelerate launch`` a process's CUDA models go to its
            own GPU (``state.device``, e.g. ``cuda:1``).
        config: an :class:`InferenceConfig` (default settings when None).
        state: this process's place in the run (default :func:`colorize.inference.batch.process_state`:
            accelerate's ``PartialState``); only the main process shows progress bars.
    """

    def __init__(self, device: str = "auto", config: InferenceConfig | None = None,
                 state: Processes | None = None) -> None:
        from colorize.assess import PretrainedModelAssessor

        self.config = config or InferenceConfig()
        self.state = state or process_state()
        if not self.state.is_main_process:  # one set of progress bars per run, not one per process
            progress_bars.disable_progress_bar = True
        self.assessor = PretrainedModelAssessor(device=device)
        self.device = placement(self.assessor.device, self.state)
        try:
            self.settings = ColorizerSettings(device=self.device, mixed_precision=self.config.mixed_precision,
                                              memory_efficient=self.config.memory_efficient,
                                              inference_steps=self.config.inference_steps,
                                              guidance_scale=self.config.guidance_scale)
        except ValueError as err:  # e.g. --inference-steps 0: the user's to fix, one line
            raise InputError(str(err)) from None
        self.assessor.settings = self.settings  # recommendations sized for the precision that runs
        self._models: dict[str, Colorizer] = {}

    def process_video(self, input_path: PathLike, output_dir: PathLike, model_id: str | None = None,
                      reference: PathLike | None = None, keyframes: PathLike | None = None,
                      ground_truth: PathLike | None = None, max_frames: int | None = None,
                      overwrite: bool = False) -> dict[str, Any]:
        """Colorize ``input_path`` into ``output_dir``; returns the run's report (also written as ``run.json``).

        ``reference``: colour image of frame 0; ``keyframes``: a folder of images named by frame index. Models
        that take a reference get them; every model's output is anchored to them by the stabiliser.
        ``ground_truth``: a colour video of the same frames (or ``"input"``) to score against (PSNR, SSIM).
        """
        # 1. Check inputs before any work.
        info = probe_video(input_path)
        num_frames = min(info.num_frames, max_frames) if max_frames else info.num_frames
        images = collect_references(reference, 0, keyframes, num_frames)
        truth_path = info.path if str(ground_truth) == "input" else ground_truth
        if truth_path is not None:
            check_same_video(info, probe_video(truth_path))
        check_output_dir(output_dir, overwrite)
        model_id = model_id or self.choose_model(info, bool(images))
        colorizer = self._colorizer(model_id)
        output_dir = Path(output_dir)

        # 2. Colorize, stabilise and write under a temporary folder that becomes output_dir at the end.
        started = time.perf_counter()
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        with atomic_dir(output_dir, overwrite) as tmp, \
                scratch_dir(output_dir) as scratch:
            open_frames = functools.partial(iter_frames, info.path, max_frames=num_frames)
            chroma, frames = self._chroma(colorizer, open_frames, images, info, num_frames, scratch)
            anchors = {index: rgb_to_lab(resize(image, (info.height, info.width)))[..., 1:]
                       for index, image in images.items()}
            stabilizer = TemporalStabilizer(self.config.stabilizer) if self.config.temporal else None
            quality = quality_meter(set(images), self.device) if truth_path is not None else None
            truth_frames = iter_frames(truth_path, max_frames=num_frames) if truth_path is not None else None
            with RunOutputs(tmp, info, num_frames, self.config.output, with_truth=truth_path is not None) as out:
                frames = progress(frames, total=num_frames, desc=f"colorizing ({model_id})", unit="frame")
                count = write_frames(out, frames, chroma, truth_frames, quality, stabilizer, anchors)
                if count == 0:
                    raise InputError(f"video has no frames: {info.path}")
            elapsed = time.perf_counter() - started
            report = {"input": str(info.path), "output": str(output_dir / FINAL_VIDEO), "model": model_id,
                      "width": info.width, "height": info.height, "fps": float(info.fps), "frames": count,
                      "keyframes": sorted(images), "device": self.device,
                      "temporal": dataclasses.asdict(self.config.stabilizer) if stabilizer else None,
                      "scene_cuts": stabilizer.cuts if stabilizer else None,
                      "settings": dataclasses.asdict(self.settings),
                      "timing": {"seconds": round(elapsed, 3), "fps": round(count / elapsed, 2)},
                      "quality": quality.compute() if quality is not None else None}
            out.write_report(report)
        logger.info("wrote %s (%s, %d frames, %.1f fps)", output_dir / FINAL_VIDEO, model_id, count, count / elapsed)
        return report

    def batch_process_videos(self, video_list: list[PathLike], output_base_dir: PathLike,
                             model_id: str | None = None, overwrite: bool = False, **options: Any) -> dict[str, Any]:
        """Colorize each video into ``output_base_dir/<name>/``; see :func:`colorize.inference.batch.run_batch`.

        Under ``accelerate launch`` each process takes its share of the list, and every process returns the summary
        of the whole list, gathered from all. ``options`` go to :meth:`process_video` (``reference``, ``keyframes``,
        ``max_frames``). Returns the summary (``successful``, ``failed``, ``skipped`` counts and ``videos``), also
        written as ``batch_summary.json`` by the main process.
        """
        def process(video: Path, output_dir: Path) -> dict[str, Any]:
            return self.process_video(video, output_dir, model_id, overwrite=overwrite, **options)

        return run_batch(process, video_list, output_base_dir, overwrite, self.state)

    def choose_model(self, info: VideoInfo, has_reference: bool) -> str:
        """The model :meth:`PretrainedModelAssessor.recommend_model` picks for this video on this machine."""
        choice = self.assessor.recommend_model({"width": info.width, "height": info.height,
                                                "num_frames": info.num_frames, "has_reference": has_reference})
        if choice.model is None:
            raise ColorizeError(choice.explanation)
        logger.info("%s", choice.explanation)
        return choice.model

    def _colorizer(self, model_id: str) -> Colorizer:
        if model_id not in self._models:
            self._models[model_id] = make_colorizer(model_id, self.settings, self.assessor.models())
        return self._models[model_id]

    def _chroma(self, colorizer: Colorizer, open_frames, images: dict[int, np.ndarray], info: VideoInfo,
                num_frames: int, scratch: Path) -> tuple[ChromaFn, Iterator[np.ndarray]]:
        """``chroma(index, L)`` -> (H, W, 2) float32 ab from ``colorizer``, called for frames in order, and the frame
        stream the loop must read (propagation: from all keyframes, in both directions, on the L the frame loop
        decoded; other models: in batches read ahead from the same decoded stream, ``batch_size`` frames held)."""
        from colorize.models.propagation import PropagationColorizer

        if isinstance(colorizer, PropagationColorizer):
            if not images:
                raise ColorizeError(f"{colorizer.name} needs a colour reference: give --reference IMG or --keyframes "
                                    "DIR")
            # The colorizer's own method and scene-cut switch (gray, copy, chain: off), this run's other settings.
            run = self.config.propagation
            config = dataclasses.replace(run, method=colorizer.config.method, scene_cut=dataclasses.replace(
                run.scene_cut, enabled=colorizer.config.scene_cut.enabled))
            size = working_size(info.height, info.width, config.max_side)
            references = {index: fit_reference(image, (info.height, info.width), size, index)
                          for index, image in images.items()}
            propagation = plan_propagation(open_frames, references, size, num_frames, scratch, config)
            return (lambda index, lum: propagate_chroma(propagation, lum, size)), open_frames()
        reference = images.get(0) if "reference" in colorizer.uses else None
        frames, ahead = itertools.tee(open_frames())  # one decode for the loop and the batches
        batches = batched_chroma(colorizer, ahead, reference)
        return (lambda index, lum: next(batches)[1]), frames

