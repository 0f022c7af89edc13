import numpy as np
import pytest

from colorize.geometry import DEFAULT_DEPTH_MODEL, MonocularDepth
from colorize.models.loading import MissingWeightsError


def test_tiny_model_predicts_depth_at_the_frame_size(tiny_depth_model, one_torch_thread):
    depth = MonocularDepth(str(tiny_depth_model))
    assert not depth.metric  # Depth Anything's default: relative inverse depth
    rng = np.random.default_rng(0)
    gray = rng.integers(0, 256, (48, 64), dtype=np.uint8)
    prediction = depth(gray)
    assert prediction.shape == (48, 64) and prediction.dtype == np.float32 and np.isfinite(prediction).all()
    np.testing.assert_array_equal(prediction, depth(np.repeat(gray[..., None], 3, axis=2)))  # gray = R = G = B
    assert prediction.std() > 0  # not a constant map
    with pytest.raises(ValueError, match="uint8"):
        depth(gray.astype(np.float32))


def test_missing_weights_give_a_one_line_error_with_the_fetch_command(empty_cache):
    with pytest.raises(MissingWeightsError, match=f"hf download {DEFAULT_DEPTH_MODEL}") as error:
        MonocularDepth()
    assert "\n" not in str(error.value)
