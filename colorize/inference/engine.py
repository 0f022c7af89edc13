"""``EnhancedColorizationInference``: any registered colorizer over a whole video, stabilised, in the standalone
program's output layout (``frames/``, ``colorized_frames/``, ``final_colorized_video.mp4``, ``visualization/``,
``run.json``; see :mod:`colorize.pipeline.outputs`).
"""

import dataclasses
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from colorize.choices import GUIDANCE_SCALE, INFERENCE_STEPS
from colorize.errors import ColorizeError, InputError
from colorize.inference.batch import Processes, process_state, run_batch
from colorize.io import VideoInfo
from colorize.models import Colorizer, ColorizerSettings, get_spec, make_colorizer
from colorize.models.propagation import PropagationColorizer
from colorize.pipeline.config import OutputConfig, PipelineConfig
from colorize.pipeline.engine import RunSettings, prepare, run_video
from colorize.propagation import PropagationConfig
from colorize.temporal import StabilizerConfig
from colorize.utils import progress as progress_bars

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike


@dataclass
class InferenceConfig:
    """How :class:`EnhancedColorizationInference` runs; model settings go to :class:`ColorizerSettings`."""

    mixed_precision: str = "auto"  # auto (fp16 on CUDA, fp32 on the CPU) | no | fp16 | bf16
    memory_efficient: bool = False  # model CPU offload (CUDA), VAE tiling, one frame at a time
    inference_steps: int = INFERENCE_STEPS  # diffusion denoising steps
    guidance_scale: float = GUIDANCE_SCALE  # classifier-free guidance of the prompt (1: off)
    temporal: bool = True  # run every model's output through colorize.temporal (False: --no-temporal)
    # The pipeline YAML's defaults: lookahead 8, each frame written once 8 more were seen, so a shot starts at its
    # mean color cast (benchmarks/temporal.py: bigbuckbunny CDC 1.08x the ground truth's, 1.36x frame by frame).
    stabilizer: StabilizerConfig = field(default_factory=lambda: PipelineConfig().stabilizer_config())
    propagation: PropagationConfig = field(default_factory=PropagationConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    @classmethod
    def from_pipeline_config(cls, pipeline: PipelineConfig, **overrides: Any) -> "InferenceConfig":
        """The settings of ``configs/pipeline/colorization.yaml`` (inference steps, guidance, temporal weight,
        propagation, outputs), with ``overrides`` (command-line options) on top."""
        return cls(**{"inference_steps": pipeline.inference_steps, "guidance_scale": pipeline.guidance_scale,
                      "stabilizer": pipeline.stabilizer_config(), "propagation": pipeline.propagation,
                      "output": pipeline.output, **overrides})


def placement(device: str, state: Processes) -> str:
    """Where this process runs models: ``device`` (``"cpu"`` or ``"cuda"``), or under ``accelerate launch`` with
    several processes on CUDA, the process's own GPU (``state.device``, e.g. ``"cuda:1"``)."""
    if device == "cuda" and state.num_processes > 1:
        return str(state.device)
    return device


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
                 state: Processes | None = None, resume: bool | None = None) -> None:
        from colorize.assess import PretrainedModelAssessor

        self.config = config or InferenceConfig()
        self.resume = resume  # None: continue a killed run with the same settings; True: require one; False: never
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

        ``reference``: color image of frame 0; ``keyframes``: a folder of images named by frame index. Models
        that take a reference get them; every model's output is anchored to them by the stabiliser.
        ``ground_truth``: a color video of the same frames (or ``"input"``) to score against (PSNR, SSIM).
        """
        job = prepare(input_path, output_dir, reference, 0, keyframes, ground_truth, max_frames, overwrite)
        model_id = model_id or self.choose_model(job.info, bool(job.images))
        settings = RunSettings(self.config.output, self.config.stabilizer if self.config.temporal else None,
                               device=self.device, checkpoints=True, resume=self.resume,
                               record={"settings": dataclasses.asdict(self.settings)})
        return run_video(job, self._colorizer(model_id), settings)

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
            spec = get_spec(model_id, self.assessor.models())
            if spec.kind in ("propagation", "baseline"):  # no weights: this run's propagation settings
                colorizer = PropagationColorizer(spec, config=self.config.propagation)
            else:
                colorizer = make_colorizer(model_id, self.settings, self.assessor.models())
            self._models[model_id] = colorizer
        return self._models[model_id]
