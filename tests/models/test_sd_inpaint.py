"""stable_diffusion_inpaint end to end: a tiny SD 1.5 inpainting pipeline loaded by its real hub id from the cache."""

import numpy as np

from colorize.models import get_spec
from colorize.models.sd_inpaint import StableDiffusionInpaintColorizer


def test_end_to_end_from_the_cache(offline, settings, carphone_frames, helpers):
    colorizer, ab = helpers.check_end_to_end("stable_diffusion_inpaint", settings, carphone_frames[:3])
    assert isinstance(colorizer, StableDiffusionInpaintColorizer)
    assert colorizer.pipeline.unet.config.in_channels == 9  # the inpainting UNet: latents + mask + masked image
    assert colorizer.pipeline.safety_checker is None
    assert colorizer.device == "cpu" and 0 < colorizer.memory_bytes() < 50 * 2**20


def test_old_runwayml_id_loads_the_new_repository(offline, settings, lum):
    spec = get_spec("runwayml/stable-diffusion-inpainting")
    assert spec.id == "stable_diffusion_inpaint"
    assert spec.weights == ("stable-diffusion-v1-5/stable-diffusion-inpainting",)
    ab = StableDiffusionInpaintColorizer(spec, settings).colorize(lum[:1])
    assert np.abs(ab).mean() > 1.0
