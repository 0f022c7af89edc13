"""The standalone colorization pipeline: video + color keyframes in, colorized video and report out."""

from colorize.pipeline.config import OutputConfig, PipelineConfig
from colorize.pipeline.pipeline import VideoColorizationPipeline

__all__ = ["OutputConfig", "PipelineConfig", "VideoColorizationPipeline"]
