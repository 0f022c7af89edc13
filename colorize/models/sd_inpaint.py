"""``stable_diffusion_inpaint``: Stable Diffusion 1.5 inpainting repaints the whole frame from its noised gray version.

The mask covers the whole frame and generation starts from the gray frame's latents noised to ``settings.strength``,
so the layout of the frame survives while the colors are generated; only their chroma is kept
(:mod:`colorize.models.diffusion`).
"""

import numpy as np

from colorize.models.diffusion import DiffusionColorizer


class StableDiffusionInpaintColorizer(DiffusionColorizer):
    """Loads ``spec.weights[0]``: a hub id (default ``stable-diffusion-v1-5/stable-diffusion-inpainting``) or folder."""

    def load_pipeline(self):
        from diffusers import StableDiffusionInpaintPipeline

        # No safety checker: the output keeps the input's luminance, only the generated chroma is used.
        return self.load(StableDiffusionInpaintPipeline.from_pretrained, self.spec.weights[0], safety_checker=None,
                         requires_safety_checker=False)

    def generate(self, images, generators) -> np.ndarray:
        import torch

        height, width = images.shape[-2:]
        return self.pipeline(image=images, mask_image=torch.ones_like(images[:, :1]), height=height, width=width,
                             strength=self.settings.strength,
                             **self.common_arguments(len(images), generators)).images
