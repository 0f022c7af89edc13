"""stable_diffusion_xl end to end: a tiny SDXL img2img pipeline (two text encoders) loaded from the cache."""

from colorize.models.sdxl import StableDiffusionXLColorizer


def test_end_to_end_from_the_cache(offline, settings, carphone_frames, helpers):
    colorizer, _ = helpers.check_end_to_end("stable_diffusion_xl", settings, carphone_frames[:3])
    assert isinstance(colorizer, StableDiffusionXLColorizer)
    assert colorizer.pipeline.text_encoder_2 is not None  # SDXL's second (projection) text encoder was loaded
    assert colorizer.pipeline.watermark is None
