"""PipelineConfig reads the seed's ``colorization:`` block, mapped onto its own settings."""

import pytest

from colorize.config import ConfigError, from_dict, load_config
from colorize.pipeline import PipelineConfig

SEED_BLOCK = """
colorization:
  depth_model: "LiheYoung/depth-anything-small-hf"
  semantic_model: "upernet"
  colorization_model: "controlnet_colorization"
  inference_steps: 50
  guidance_scale: 7.5
  temporal_weight: 0.8
  depth_conditioning: true
  semantic_consistency: true
"""


def test_seed_block(tmp_path):
    path = tmp_path / "colorization.yaml"
    path.write_text(SEED_BLOCK)
    config = load_config(PipelineConfig, path)
    assert (config.colorization_model, config.inference_steps, config.guidance_scale, config.temporal_weight) == (
        "controlnet_colorization", 50, 7.5, 0.8)
    assert config.geometry.source == "depth-model"
    assert config.geometry.depth_model == "LiheYoung/depth-anything-small-hf"
    assert config.semantic.model == "upernet"
    assert load_config(PipelineConfig, path, {"inference_steps": 30}).inference_steps == 30  # overrides still apply


@pytest.mark.parametrize("block, geometry, semantic", [
    ({"depth_conditioning": False, "semantic_consistency": False}, "none", "none"),
    ({"depth_conditioning": True, "semantic_consistency": True}, "depth-model", "upernet"),
    ({"semantic_model": "nvidia/segformer-b0-finetuned-ade-512-512", "semantic_consistency": True}, "none",
     "nvidia/segformer-b0-finetuned-ade-512-512"),
])
def test_switches(block, geometry, semantic):
    config = from_dict(PipelineConfig, {"colorization": block})
    assert (config.geometry.source, config.semantic.model) == (geometry, semantic)


def test_depth_conditioning_keeps_a_chosen_geometry_source():
    config = from_dict(PipelineConfig, {"geometry": {"source": "vipe"}, "colorization": {"depth_conditioning": True}})
    assert config.geometry.source == "vipe"


@pytest.mark.parametrize("data, message", [
    ({"colorization": {"depth_modle": "x"}}, "config.colorization: unknown key\\(s\\) depth_modle; known keys: "),
    ({"colorization": {"inference_steps": 50}, "inference_steps": 30},
     "colorization block sets inference_steps to 50, the file to 30"),
    ({"colorization": {"temporal_weight": 2.0}}, "temporal_weight must be in \\[0, 1\\], got 2.0"),
    ({"colorization": "controlnet"}, "config.colorization: expected a mapping, got str"),
])
def test_bad_blocks(data, message):
    with pytest.raises(ConfigError, match=message):
        from_dict(PipelineConfig, data)

