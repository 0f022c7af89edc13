import numpy as np
import pytest

from colorize.color import luminance_to_gray, rgb_to_lab, rgb_to_luminance
from colorize.geometry import ColorizationProcessor, VideoFrame
from colorize.metrics import psnr
from colorize.models import Colorizer, Conditions, ModelNeeds, make_colorizer


class Recorder(Colorizer):
    """Chroma: a = 0, b = 30 per label unit; records the conditions of every call."""

    name, uses = "recorder", frozenset({"depth", "semantic"})
    needs = ModelNeeds(weights=False, gpu="no", memory_gib=None)

    def __init__(self) -> None:
        self.calls: list[Conditions] = []

    def colorize(self, lum: np.ndarray, conditions: Conditions | None = None) -> np.ndarray:
        conditions = self._check(lum, conditions)
        self.calls.append(conditions)
        return np.stack([np.zeros_like(lum), 30.0 * conditions.semantic], axis=-1).astype(np.float32)


def test_conditions_the_colorizer_uses_are_passed_and_luminance_is_kept(synthetic_video):
    rgb, depth = synthetic_video.rgb[5], synthetic_video.views[5].depth
    labels = (depth > 3).astype(np.int32)
    recorder = Recorder()
    frame = ColorizationProcessor(recorder, reference=synthetic_video.rgb[0])(
        VideoFrame(index=5, rgb=rgb, depth=depth, semantic_mask=labels))
    [conditions] = recorder.calls
    assert conditions.reference is None  # not in recorder.uses
    np.testing.assert_array_equal(conditions.depth, depth[None])
    np.testing.assert_array_equal(conditions.semantic, labels[None])
    lab = rgb_to_lab(frame.colorized_rgb)
    assert np.abs(lab[..., 0] - rgb_to_luminance(rgb)).max() < 1.0  # the input's L (up to uint8 rounding)
    assert lab[..., 2][labels == 1].mean() - lab[..., 2][labels == 0].mean() > 20  # b follows the labels given


def test_propagation_colorizer_gets_the_reference_once(synthetic_video):
    """The built-in ``propagation`` colorizer through the stage, on gray frames: frame 0's colors carried on."""
    processor = ColorizationProcessor(make_colorizer("propagation"), reference=synthetic_video.rgb[0])
    gray = [luminance_to_gray(rgb_to_luminance(frame)) for frame in synthetic_video.rgb[:4]]
    outputs = [processor(VideoFrame(index=i, gray=g)).colorized_rgb for i, g in enumerate(gray)]
    assert processor._reference is None
    scores = [float(psnr(out, truth)) for out, truth in zip(outputs, synthetic_video.rgb)]
    assert scores[0] > 40 and min(scores[1:]) > 17.5, scores  # 60, 19.6, 19.1, 18.2; gray frames score 15.5
    with pytest.raises(ValueError, match="neither gray nor rgb"):
        processor(VideoFrame(index=4))
