"""``stable_diffusion_xl``: Stable Diffusion XL img2img from the gray frame, noised to ``settings.strength``.

Only the chroma of the generation is kept (:mod:`colorize.models.diffusion`). SDXL is trained at 1024 px; at the
default 512-px generation it is faster, and the detail it loses matters less since the luminance is the input's.
"""

import numpy as np

from colorize.models.diffusion import DiffusionColorizer


class StableDiffusionXLColorizer(DiffusionColorizer):
    """Loads ``spec.weights[0]``: a hub id (default ``stabilityai/stable-diffusion-xl-base-1.0``) or folder."""

    def load_pipeline(self):
        from diffusers import StableDiffusionXLImg2ImgPipeline

        # No invisible watermark: it would alter the generated chroma.
        return self.load(StableDiffusionXLImg2ImgPipeline.from_pretrained, self.spec.weights[0], add_watermarker=False)

    def generate(self, images, generators) -> np.ndarray:
        return self.pipeline(image=images, strength=self.settings.strength,
                             **self.common_arguments(len(images), generators)).images
