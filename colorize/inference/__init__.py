"""Colorizing videos with any registered model, stabilised over time, one at a time or in batches."""

from colorize.inference.batch import merge_summaries, process_rank, read_video_list, run_batch, shard, videos_in
from colorize.inference.engine import EnhancedColorizationInference, InferenceConfig

__all__ = ["EnhancedColorizationInference", "InferenceConfig", "run_batch", "merge_summaries", "process_rank",
           "shard", "read_video_list", "videos_in"]
