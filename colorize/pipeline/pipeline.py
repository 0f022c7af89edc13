"""``VideoColorizationPipeline``: a video and color keyframes in, a colorized video and its report out."""

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from colorize.color import compose_lab, rgb_to_luminance
from colorize.config import from_dict, load_config, to_dict
from colorize.errors import ColorizeError, InputError
from colorize.io import read_image
from colorize.models import Colorizer, ColorizerSettings, get_spec, make_colorizer
from colorize.models.propagation import PropagationColorizer
from colorize.pipeline.config import PipelineConfig
from colorize.pipeline.engine import RunSettings, VideoJob, prepare, run_video
from colorize.pipeline.outputs import FINAL_VIDEO
from colorize.pipeline.run import ImageLike, to_rgb
from colorize.propagation import StreamColorizer
from colorize.utils.device import resolve_device

if TYPE_CHECKING:
    from colorize.assess import Recommendation

logger = logging.getLogger(__name__)

NO_COLOR_SOURCE = ("nothing to take colors from: give a reference image (--reference IMG) or keyframes "
                   "(--keyframes DIR); no automatic colorization model has its weights on disk "
                   "(enhanced_inference.py --list-models says how to get them)")


class VideoColorizationPipeline:
    """Colorize a black-and-white video: from color keyframes by propagation (no weights), else with the automatic
    model :meth:`~colorize.assess.PretrainedModelAssessor.recommend_model` picks among those whose weights are on
    disk, or with ``config.colorization_model``. A front end of :mod:`colorize.pipeline.engine`.

    ``config.geometry`` and ``config.semantic`` add the optional stages of :mod:`colorize.pipeline.stages` (3D-guided
    propagation where camera poses exist; depth maps, point clouds and semantic masks written with the outputs).
    Models other than propagation go through the temporal stabilizer (``temporal_weight``, ``temporal_lookahead``).

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
        self._spec = get_spec(self.config.colorization_model)  # an unknown model is an error here
        requested = device if device != "auto" else self.config.device
        # Propagation has no GPU path yet, so "auto" means the CPU without importing torch to ask (a 0.8 GB,
        # several-second start-up); an explicit "cuda" is still checked.
        self.device = "cpu" if requested == "auto" else resolve_device(requested)
        self._requested_device = requested  # models with weights and the stages resolve "auto" themselves
        self.output_dir = Path(output_dir) if output_dir is not None else None
        self.overwrite = overwrite
        self.resume = resume
        self.last_report: dict[str, Any] | None = None  # run.json of the latest process_video
        self._stream: StreamColorizer | None = None  # live input, see set_reference
        self._models: dict[str, Colorizer] = {}  # models with weights, built once
        self._live: str | None = None  # the model colorize_single_frame uses without a reference

    # ------------------------------------------------------------------ whole videos
    def process_video(self, path: str | os.PathLike, reference: ImageLike | None = None,
                      keyframes: dict[int, ImageLike] | str | os.PathLike | None = None, reference_frame: int = 0,
                      ground_truth: str | os.PathLike | None = None, max_frames: int | None = None) -> Path:
        """Colorize ``path`` and write the outputs to ``output_dir``; returns the final video's path.

        ``reference`` is the color image of frame ``reference_frame`` (or a photo of a similar scene);
        ``keyframes`` maps frame indices to images, or is a folder of images named by frame index
        (``0000.png``, ``0120.png``). ``ground_truth`` is a color video to score against, or ``"input"``
        when the input's own colors are the truth (demo). Input files are never modified.
        """
        if self.output_dir is None:
            raise InputError("no output directory: pass output_dir=... to VideoColorizationPipeline")
        job = prepare(path, self.output_dir, reference, reference_frame, keyframes, ground_truth, max_frames,
                      self.overwrite)
        colorizer = self._colorizer(job)
        propagating = isinstance(colorizer, PropagationColorizer)
        settings = RunSettings(self.config.output, None if propagating else self.config.stabilizer_config(),
                               self.config, self._requested_device, checkpoints=True, resume=self.resume,
                               record={"config": to_dict(self.config)})
        self.last_report = run_video(job, colorizer, settings)
        return self.output_dir / FINAL_VIDEO

    def _colorizer(self, job: VideoJob) -> Colorizer:
        """Propagation with this config's settings when there are keyframes, else the configured model with weights
        or the recommended automatic one."""
        if self._spec.kind in ("propagation", "baseline"):
            if job.images:
                return PropagationColorizer(self._spec, config=self.config.propagation)
            return self._model(self._automatic(job.info.width, job.info.height, job.num_frames).model)
        return self._model(self._spec.id)

    def _automatic(self, width: int, height: int, num_frames: int) -> "Recommendation":
        """The automatic model recommended for such a video here (weights on disk), or the one-line error."""
        from colorize.assess import PretrainedModelAssessor  # torch and the probes: only without a reference

        assessor = PretrainedModelAssessor(device=self._requested_device, settings=self._settings())
        choice = assessor.recommend_model({"width": width, "height": height, "num_frames": num_frames,
                                           "has_reference": False})
        if choice.model is None:
            raise ColorizeError(NO_COLOR_SOURCE)
        logger.info("no color reference: %s", choice.explanation)
        return choice

    def _model(self, model_id: str) -> Colorizer:
        if model_id not in self._models:
            self._models[model_id] = make_colorizer(model_id, self._settings())
        return self._models[model_id]

    def _settings(self) -> ColorizerSettings:
        return ColorizerSettings(device=resolve_device(self._requested_device),
                                 inference_steps=self.config.inference_steps,
                                 guidance_scale=self.config.guidance_scale)

    # ------------------------------------------------------------------ live input
    def set_reference(self, image: ImageLike, channel_order: str = "bgr") -> None:
        """Reference for the stream that :meth:`colorize_single_frame` colorizes (starts a new stream).

        Arrays are taken in OpenCV's BGR order by default (as ``cv2.imread`` and webcams give them).
        """
        rgb = read_image(image) if not isinstance(image, np.ndarray) else to_rgb(image, channel_order)
        self._stream = StreamColorizer(rgb, self.config.propagation)

    def colorize_single_frame(self, gray_frame: np.ndarray, channel_order: str = "bgr") -> np.ndarray:
        """Colorize the next frame of a live stream; returns (H, W, 3) uint8 **BGR** of the input's size.

        ``gray_frame`` is (H, W) uint8 gray, or (H, W, 3) uint8 in ``channel_order`` (its color is ignored).
        State (the propagation) is kept between calls; :meth:`set_reference` starts over. Without a reference, the
        recommended automatic model colorizes each frame on its own (one-line error when none has weights on disk).
        """
        frame = gray_frame if gray_frame.ndim == 2 else to_rgb(gray_frame, channel_order)
        if self._stream is not None:
            return cv2.cvtColor(self._stream(frame), cv2.COLOR_RGB2BGR)
        if self._live is None:
            self._live = self._spec.id
            if self._spec.kind in ("propagation", "baseline"):
                try:
                    self._live = self._automatic(frame.shape[1], frame.shape[0], 1).model
                except ColorizeError as err:
                    self._live = None
                    raise ColorizeError(f"call set_reference(image) before colorize_single_frame: {err}") from None
        model = self._model(self._live)
        lum = rgb_to_luminance(frame)
        return cv2.cvtColor(compose_lab(lum, model.colorize(lum[None])[0]), cv2.COLOR_RGB2BGR)


def _as_config(config: PipelineConfig | dict | str | os.PathLike | None) -> PipelineConfig:
    if isinstance(config, PipelineConfig):
        return config
    if isinstance(config, dict):
        return from_dict(PipelineConfig, config)
    return load_config(PipelineConfig, config)
