"""Training settings: the shipped presets parse, bad keys and inconsistent settings fail with one line."""

from pathlib import Path

import pytest

from colorize.config import ConfigError
from colorize.training import TrainConfig, load_train_config

PRESETS = sorted((Path(__file__).resolve().parents[2] / "configs" / "training").glob("*.yaml"))


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.name)
def test_presets_parse(path):
    config = load_train_config(path)
    assert isinstance(config, TrainConfig) and config.training.batch_size >= 1 and config.optimizer.lr > 0


def test_both_presets_are_shipped():
    assert [p.name for p in PRESETS] == ["custom_unet.yaml", "stable_diffusion_finetune.yaml"]
    assert load_train_config(PRESETS[1]).model == "controlnet"


@pytest.mark.parametrize("data, message", [
    ({"training": {"batch_sise": 4}}, "unknown key(s) batch_sise"),
    ({"optimizer": {"lr": "fast"}}, "expected float"),
    ({"training": {"mixed_precision": "fp8"}}, "mixed_precision must be one of"),
    ({"loss": {"temporal": 1.0}, "data": {"clip_length": 1}}, "loss.temporal needs data.clip_length >= 2"),
    ({"loss": {"semantic": 1.0}}, "loss.semantic needs data.include_semantic"),
    ({"unet": {"depth_channel": True}}, "needs data.include_depth"),
    ({"model": "controlnet"}, "needs controlnet.pretrained_model"),
])
def test_bad_settings_fail_with_one_line(data, message):
    with pytest.raises(ConfigError) as info:
        load_train_config(data)
    assert message in str(info.value) and "\n" not in str(info.value)
