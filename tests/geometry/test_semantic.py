import numpy as np
import pytest

from colorize.geometry import DEFAULT_SEGMENTATION_MODEL, SemanticSegmentationProcessor, VideoFrame
from colorize.models.loading import MissingWeightsError


def test_labels_at_frame_size_and_smoothed_over_time(tiny_segmentation_model, synthetic_video, one_torch_thread):
    frames = synthetic_video.rgb
    smooth = SemanticSegmentationProcessor(str(tiny_segmentation_model), momentum=0.9)
    raw = SemanticSegmentationProcessor(str(tiny_segmentation_model), momentum=0.0)
    first = smooth(VideoFrame(index=0, rgb=frames[0])).semantic_mask
    assert first.shape == (120, 160) and first.dtype == np.int32 and 0 <= first.min() and first.max() < 5
    np.testing.assert_array_equal(first, raw(VideoFrame(index=0, rgb=frames[0])).semantic_mask)  # nothing to average
    # Frame 20 looks elsewhere: the smoothed labels stay closer to frame 0's than the raw ones do.
    smoothed = smooth(VideoFrame(index=20, rgb=frames[20])).semantic_mask
    current = raw(VideoFrame(index=20, rgb=frames[20])).semantic_mask
    assert (smoothed == first).mean() > (current == first).mean()
    smooth.reset()
    np.testing.assert_array_equal(smooth(VideoFrame(index=20, rgb=frames[20])).semantic_mask, current)


def test_missing_weights_give_a_one_line_error(empty_cache):
    with pytest.raises(MissingWeightsError, match=f"hf download {DEFAULT_SEGMENTATION_MODEL}"):
        SemanticSegmentationProcessor()
