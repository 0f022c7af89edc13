"""EnhancedColorizationInference.process_video: the standalone layout, scores, any Colorizer stabilised."""

import json

import numpy as np
import pytest

from colorize.color import compose_lab, luminance_to_uint8, rgb_to_lab, rgb_to_luminance, rotate_chroma
from colorize.errors import ColorizeError
from colorize.inference import EnhancedColorizationInference, InferenceConfig
from colorize.io import iter_frames, read_image
from colorize.models import Colorizer, ModelNeeds
from colorize.temporal import StabilizerConfig, stabilize_sequence

pytestmark = pytest.mark.usefixtures("restore_logging")
LAYOUT = ["colorized_frames", "final_colorized_video.mp4", "frames", "run.json", "visualization"]


class FlickerColorizer(Colorizer):
    """The true chroma with a hue rotation of ±20° alternating per frame: a flickering per-frame model."""

    name, needs = "flicker", ModelNeeds(weights=False, gpu="no", memory_gib=0.0)

    def __init__(self, truth: np.ndarray) -> None:
        self.truth, self.index, self.batch_size = truth, 0, 3

    def colorize(self, lum, conditions=None):
        out = [rotate_chroma(self.truth[self.index + i], 20.0 if (self.index + i) % 2 else -20.0)
               for i in range(len(lum))]
        self.index += len(lum)
        return np.stack(out)


def test_propagation_gives_the_standalone_layout(clips, tmp_path):
    engine = EnhancedColorizationInference(device="cpu")
    report = engine.process_video(clips["a"], tmp_path / "out", "propagation", reference=clips["reference"],
                                  ground_truth="input")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == LAYOUT
    assert len(list((tmp_path / "out" / "colorized_frames").iterdir())) == 8
    assert json.loads((tmp_path / "out" / "run.json").read_text())["frames"] == 8
    assert report["model"] == "propagation" and report["keyframes"] == [0] and report["quality"]["psnr"] > 30


@pytest.mark.parametrize("temporal", [True, False])
def test_any_colorizer_goes_through_the_stabiliser(clips, small_frames, tmp_path, temporal):
    truth_ab = np.stack([rgb_to_lab(frame)[..., 1:] for frame in small_frames])
    engine = EnhancedColorizationInference(device="cpu", config=InferenceConfig(temporal=temporal))
    engine._models["flicker"] = FlickerColorizer(truth_ab)
    report = engine.process_video(clips["a"], tmp_path / "out", "flicker", ground_truth="input")
    video = tmp_path / "out" / "final_colorized_video.mp4"
    out_ab = np.stack([rgb_to_lab(frame)[..., 1:] for frame in iter_frames(video)])
    jumps = np.abs(np.diff(out_ab, axis=0)).mean()
    assert (report["temporal"] is not None) == temporal
    assert (jumps < 1.5) if temporal else (jumps > 3.0)


@pytest.mark.parametrize("lookahead", [0, 3, 8])
def test_every_frame_is_written_once_in_order_whatever_the_lookahead(clips, small_frames, tmp_path, lookahead):
    """The stabiliser holds ``lookahead`` frames back (all 8 here with lookahead 8, out at the flush); each
    written frame is the stabiliser's output for that very frame."""
    truth_ab = np.stack([rgb_to_lab(frame)[..., 1:] for frame in small_frames])
    config = InferenceConfig(stabilizer=StabilizerConfig(lookahead=lookahead))
    engine = EnhancedColorizationInference(device="cpu", config=config)
    engine._models["flicker"] = FlickerColorizer(truth_ab)
    engine.process_video(clips["a"], tmp_path / "out", "flicker")

    lum = [rgb_to_luminance(frame) for frame in iter_frames(clips["a"])]
    flicker = FlickerColorizer(truth_ab).colorize(np.stack(lum))
    expected = stabilize_sequence([luminance_to_uint8(x) for x in lum], list(flicker), config.stabilizer)
    written = sorted((tmp_path / "out" / "colorized_frames").iterdir())
    assert [int(p.stem) for p in written] == list(range(8))
    for path, x, ab in zip(written, lum, expected, strict=True):
        assert np.abs(read_image(path).astype(int) - compose_lab(x, ab).astype(int)).max() <= 1


def test_automatic_choice_without_reference_fails_in_one_line(clips, tmp_path, empty_cache):
    with pytest.raises(ColorizeError, match="No model is usable here"):
        EnhancedColorizationInference(device="cpu").process_video(clips["a"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_settings_come_from_the_pipeline_yaml():
    from colorize.config import load_config
    from colorize.inference import InferenceConfig
    from colorize.pipeline.config import PipelineConfig

    pipeline = load_config(PipelineConfig, None, {"inference_steps": 7, "guidance_scale": 2.0, "temporal_weight": 0.3,
                                                  "temporal_lookahead": 4})
    config = InferenceConfig.from_pipeline_config(pipeline, inference_steps=9)
    assert (config.inference_steps, config.guidance_scale, config.stabilizer.temporal_weight) == (9, 2.0, 0.3)
    assert config.stabilizer.lookahead == 4 and InferenceConfig().stabilizer.lookahead == 8
    assert config.propagation == pipeline.propagation and config.output == pipeline.output


def test_a_model_run_decodes_the_video_once(clips, small_frames, tmp_path, monkeypatch):
    # The batches read ahead from the loop's own stream (itertools.tee) instead of decoding the video a second time.
    import colorize.pipeline.engine as engine_module

    opened = []

    def counting_iter_frames(path, *args, **kwargs):
        opened.append(str(path))
        return iter_frames(path, *args, **kwargs)

    monkeypatch.setattr(engine_module, "iter_frames", counting_iter_frames)
    truth_ab = np.stack([rgb_to_lab(frame)[..., 1:] for frame in small_frames])
    engine = EnhancedColorizationInference(device="cpu")
    engine._models["flicker"] = FlickerColorizer(truth_ab)
    engine.process_video(clips["a"], tmp_path / "out", "flicker")
    assert opened == [str(clips["a"])]
    assert len(list((tmp_path / "out" / "colorized_frames").iterdir())) == 8


@pytest.mark.parametrize("model_id", ["gray", "copy", "chain"])
def test_a_baseline_runs_its_own_method_not_anchored(clips, tmp_path, model_id):
    # The engine used its own propagation settings (anchored) for every propagation-backed model.
    from colorize.models.propagation import propagation_config
    from colorize.propagation.frames import colorize_sequence

    engine = EnhancedColorizationInference(device="cpu", config=InferenceConfig(temporal=False))
    engine.process_video(clips["a"], tmp_path / "out", model_id, reference=clips["reference"])
    written = [read_image(path) for path in sorted((tmp_path / "out" / "colorized_frames").iterdir())]
    decoded = list(iter_frames(clips["a"]))
    reference = read_image(clips["reference"])

    def expected(model: str) -> list[np.ndarray]:
        return list(colorize_sequence(lambda: iter(decoded), {0: reference}, len(decoded), propagation_config(model)))

    assert max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(written, expected(model_id))) <= 1
    assert max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(written, expected("propagation"))) > 5
