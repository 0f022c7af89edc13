"""The colorization U-Net: shapes at any size, extra inputs, colorize_frames, save/load round trip."""

import json

import cv2
import numpy as np
import pytest
import torch

from colorize.color import resize, upsample_chroma
from colorize.errors import ColorizeError
from colorize.models.unet_network import UNet, UNetConfig


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return UNet(UNetConfig(base_channels=8, levels=2, max_side=32)).eval()


@pytest.mark.parametrize("height, width", [(32, 32), (17, 23), (8, 40)])
def test_forward_any_size(model, height, width):
    out = model(torch.rand(2, 1, height, width))
    assert out.shape == (2, 2, height, width) and out.abs().max() < 1.0


def test_extra_input_channels():
    config = UNetConfig(base_channels=4, levels=1, depth_channel=True, semantic_classes=3)
    unet = UNet(config)
    lum, depth = torch.rand(2, 1, 8, 8), torch.rand(2, 1, 8, 8) * 50 + 10  # any depth scale
    semantic = torch.randint(0, 3, (2, 8, 8))
    x = unet.make_input(lum, depth, semantic)
    assert x.shape == (2, 1 + 1 + 3, 8, 8) and config.in_channels == 5
    assert x[:, 1].min() == 0.0 and x[:, 1].amax(dim=(1, 2)).tolist() == [1.0, 1.0]  # depth normalised per frame
    torch.testing.assert_close(x[:, 2:].argmax(dim=1), semantic)
    assert unet(x).shape == (2, 2, 8, 8)
    with pytest.raises(ValueError, match="pass depth"):
        unet.make_input(lum, None, semantic)


def test_colorize_frames_any_resolution(model):
    rng = np.random.default_rng(0)
    small = cv2.GaussianBlur(rng.uniform(0, 100, (24, 32)).astype(np.float32), (0, 0), 4)[None].repeat(2, axis=0)
    ab_small = model.colorize_frames(small)  # already at the working size (32 px): the network's output as is
    with torch.no_grad():
        direct = model(torch.from_numpy(small / 100)[:, None]) * 128
    np.testing.assert_allclose(ab_small, direct.permute(0, 2, 3, 1).numpy(), atol=1e-4)
    big = np.stack([resize(frame, (96, 128)) for frame in small])  # 4x: runs at 32 px, chroma upsampled under L
    ab_big = model.colorize_frames(big, batch_size=1)
    assert ab_big.shape == (2, 96, 128, 2) and ab_big.dtype == np.float32
    at_working_size = model.colorize_frames(np.stack([resize(frame, (24, 32)) for frame in big]))
    for frame_ab, frame_small, frame_lum in zip(ab_big, at_working_size, big, strict=True):
        np.testing.assert_allclose(frame_ab, upsample_chroma(frame_small, frame_lum), atol=1e-2)


def test_save_load_round_trip(model, tmp_path):
    path = model.save_pretrained(tmp_path / "unet")
    assert sorted(p.name for p in path.iterdir()) == ["config.json", "model.safetensors"]
    assert json.loads((path / "config.json").read_text())["model_type"] == "colorize-unet"
    loaded = UNet.from_pretrained(path)
    assert loaded.config == model.config
    x = torch.rand(1, 1, 16, 24)
    torch.testing.assert_close(loaded(x), model(x), rtol=0, atol=0)


def test_missing_checkpoint_says_how_to_make_one(tmp_path):
    with pytest.raises(ColorizeError) as info:
        UNet.from_pretrained(tmp_path / "none")
    message = str(info.value)
    assert "\n" not in message and str(tmp_path / "none") in message
    assert "python train_colorization.py" in message and "--fit-video" in message


def test_mismatched_weights_are_refused(model, tmp_path):
    path = model.save_pretrained(tmp_path / "unet")
    config = json.loads((path / "config.json").read_text())
    (path / "config.json").write_text(json.dumps({**config, "base_channels": 4}))
    with pytest.raises(ColorizeError, match="does not fit its config"):
        UNet.from_pretrained(path)
    (path / "config.json").write_text(json.dumps({**config, "color": 1}))
    with pytest.raises(ColorizeError, match="unknown key"):
        UNet.from_pretrained(path)
