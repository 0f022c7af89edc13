"""The project's U-Net as a colorizer: a checkpoint written by save_pretrained, registered, run on frames."""

import numpy as np
import pytest

from colorize.errors import ColorizeError, InputError
from colorize.models import MODEL_SPECS, Conditions, MissingWeightsError, make_colorizer, register_custom_model
from colorize.models.unet_network import UNet, UNetConfig


def test_no_checkpoint_registered():
    spec = MODEL_SPECS["unet"]
    assert spec.needs.weights and spec.weights == ()
    with pytest.raises(MissingWeightsError) as info:
        make_colorizer("unet")
    message = str(info.value)
    assert "\n" not in message and message.startswith("unet: no checkpoint is registered: train one with ")
    assert "train_colorization.py --config configs/training/custom_unet.yaml" in message


def test_missing_checkpoint_folder(model_registry, tmp_path):
    register_custom_model({"id": "trained", "checkpoint": str(tmp_path / "unet"), "base": "unet"})
    with pytest.raises(InputError, match=f"trained: checkpoint not found: {tmp_path / 'unet'}"):
        make_colorizer("trained")


def test_a_folder_that_is_not_a_checkpoint(model_registry, tmp_path):
    (tmp_path / "empty").mkdir()
    register_custom_model({"id": "empty", "checkpoint": str(tmp_path / "empty"), "base": "unet"})
    with pytest.raises(ColorizeError, match="no U-Net checkpoint at"):
        make_colorizer("empty")


def test_saved_network_colorizes_through_the_registry(model_registry, tmp_path):
    import torch

    torch.manual_seed(0)
    network = UNet(UNetConfig(base_channels=4, levels=2, max_side=32))
    network.save_pretrained(tmp_path / "unet")
    register_custom_model({"id": "mine", "checkpoint": str(tmp_path / "unet")})
    colorizer = make_colorizer("mine")
    lum = np.random.default_rng(0).uniform(0, 100, (3, 40, 56)).astype(np.float32)
    ab = colorizer.colorize(lum)
    assert ab.shape == (3, 40, 56, 2) and ab.dtype == np.float32
    np.testing.assert_array_equal(ab, network.colorize_frames(lum))  # the saved weights, not new random ones
    assert 0 < np.abs(ab).max() < 128
    assert colorizer.memory_bytes() == sum(p.numel() * 4 for p in network.parameters())
    register_custom_model({"id": "by_file", "checkpoint": str(tmp_path / "unet" / "model.safetensors")})
    np.testing.assert_array_equal(make_colorizer("by_file").colorize(lum), ab)  # a file names its folder


def test_network_trained_with_depth_needs_it(model_registry, tmp_path):
    UNet(UNetConfig(base_channels=4, levels=2, max_side=32, depth_channel=True)).save_pretrained(tmp_path / "unet")
    register_custom_model({"id": "deep", "checkpoint": str(tmp_path / "unet")})
    colorizer = make_colorizer("deep")
    lum = np.full((1, 24, 24), 50.0, np.float32)
    with pytest.raises(InputError, match="pass them in Conditions"):
        colorizer.colorize(lum)
    depth = np.linspace(1, 5, 24 * 24, dtype=np.float32).reshape(1, 24, 24)
    assert colorizer.colorize(lum, Conditions(depth=depth)).shape == (1, 24, 24, 2)


def test_network_runs_in_the_settings_precision(model_registry, tmp_path):
    """mixed_precision reaches the U-Net (fp16 by default on CUDA, like the diffusers models); bf16 on the CPU here."""
    import torch

    from colorize.models import ColorizerSettings

    torch.manual_seed(0)
    UNet(UNetConfig(base_channels=4, levels=2, max_side=32)).save_pretrained(tmp_path / "unet")
    register_custom_model({"id": "mine", "checkpoint": str(tmp_path / "unet")})
    full = make_colorizer("mine", ColorizerSettings(device="cpu"))  # auto: float32 on the CPU
    half = make_colorizer("mine", ColorizerSettings(device="cpu", mixed_precision="bf16"))
    assert next(half.network.parameters()).dtype == torch.bfloat16
    assert half.memory_bytes() * 2 == full.memory_bytes()
    lum = np.random.default_rng(0).uniform(0, 100, (2, 40, 56)).astype(np.float32)
    ab, ab_full = half.colorize(lum), full.colorize(lum)
    error = np.abs(ab - ab_full)
    assert ab.dtype == np.float32 and 0 < error.mean() < 0.6 and error.max() < 8.0  # bf16 rounding (measured 0.40, 4.2)
