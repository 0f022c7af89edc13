"""Per-video fitting on a tiny clip: a few steps write a U-Net that loads and colors the clip better than gray."""

import numpy as np
import pytest

from colorize.color import compose_lab, rgb_to_luminance
from colorize.datasets import AugmentConfig
from colorize.errors import InputError
from colorize.io import write_png
from colorize.metrics import psnr
from colorize.models.unet_network import UNet
from colorize.training import FitConfig, fit_video
from testkit.clips import moving_square_frames, write_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clip")
    frames = moving_square_frames(8, 32, 48)
    write_clip(folder / "clip.mp4", list(frames))
    (folder / "keys").mkdir()
    write_png(folder / "keys" / "0000.png", frames[0])
    return folder, frames


def test_fit_writes_a_unet_that_colors_the_clip(clip, tmp_path):
    folder, frames = clip
    augment = AugmentConfig(crop_size=32, scale=(0.8, 1.25), rotate=5.0, luminance_gain=0.1, luminance_bias=3.0)
    config = FitConfig(steps=25, batch_size=4, base_channels=8, lr=0.01, augment=augment)
    model_dir = fit_video(folder / "clip.mp4", folder / "keys", tmp_path / "fit", config)
    assert model_dir == tmp_path / "fit" / "unet"
    model = UNet.from_pretrained(model_dir)
    lum = np.stack([rgb_to_luminance(frame) for frame in frames[4:]])
    ab = model.colorize_frames(lum)
    fitted = psnr(np.stack([compose_lab(frame, a) for frame, a in zip(lum, ab, strict=True)]), frames[4:])
    gray = psnr(np.stack([compose_lab(frame, np.zeros((*frame.shape, 2), np.float32)) for frame in lum]), frames[4:])
    assert fitted > gray + 3, (fitted, gray)


def test_keyframe_past_the_end(clip, tmp_path):
    folder, frames = clip
    with pytest.raises(InputError, match="past the end"):
        fit_video(folder / "clip.mp4", {99: frames[0]}, tmp_path / "fit", FitConfig(steps=1))
