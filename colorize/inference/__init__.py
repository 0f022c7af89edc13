"""Colorizing videos with any registered model, stabilised over time, one at a time or in batches."""

from colorize.inference.batch import Processes, process_state, read_video_list, run_batch, videos_in
from colorize.inference.engine import EnhancedColorizationInference, InferenceConfig

__all__ = ["EnhancedColorizationInference", "InferenceConfig", "run_batch", "Processes", "process_state",
           "read_video_list", "videos_in"]
