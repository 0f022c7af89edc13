"""controlnet_colorization end to end: a tiny ControlNet and SD 1.5 base, two repositories, loaded from the cache."""

import numpy as np
import torch

from colorize.models import make_colorizer
from colorize.models.controlnet import ControlNetColorizer


def test_end_to_end_from_the_cache(offline, settings, carphone_frames, helpers):
    colorizer, _ = helpers.check_end_to_end("controlnet_colorization", settings, carphone_frames[:3])
    assert isinstance(colorizer, ControlNetColorizer)
    assert type(colorizer.pipeline.controlnet).__name__ == "ControlNetModel"


def test_the_gray_frame_is_the_control_image(offline, settings, lum):
    colorizer = make_colorizer("controlnet_colorization", settings)
    # A fresh ControlNet's zero convolutions make it a no-op; give them weights so that the control image reaches
    # the UNet, as it does in the trained model.
    controlnet = colorizer.pipeline.controlnet
    torch.manual_seed(0)
    for conv in [controlnet.controlnet_cond_embedding.conv_out, *controlnet.controlnet_down_blocks,
                 controlnet.controlnet_mid_block]:
        torch.nn.init.normal_(conv.weight, std=0.5)
    dark, bright, dark_again = colorizer.colorize(np.stack([lum[0] * 0.2, lum[0] * 0.2 + 80.0, lum[0] * 0.2]))
    np.testing.assert_allclose(dark_again, dark, atol=1e-3)  # same noise and control image: same colors
    assert np.abs(dark - bright).mean() > 0.05  # another control image: other colors (measured 0.14)
