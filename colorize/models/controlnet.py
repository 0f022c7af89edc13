"""``controlnet_colorization``: SD 1.5 generating from noise under a ControlNet conditioned on the brightness image.

The default ControlNet, ``latentcat/control_v1p_sd15_brightness``, was trained to reproduce an image's brightness,
and its model card names grayscale colorization as its use; it runs on ``stable-diffusion-v1-5/stable-diffusion-
v1-5``. The gray frame is the control image; only the chroma of the generation is kept
(:mod:`colorize.models.diffusion`).
"""

import numpy as np

from colorize.models.diffusion import DiffusionColorizer


class ControlNetColorizer(DiffusionColorizer):
    """Loads ``spec.weights``: (ControlNet, SD 1.5 base), each a hub id or a local folder."""

    def load_pipeline(self):
        from diffusers import ControlNetModel, StableDiffusionControlNetPipeline

        controlnet_source, base_source = self.spec.weights
        controlnet = self.load(ControlNetModel.from_pretrained, controlnet_source)
        # No safety checker: the output keeps the input's luminance, only the generated chroma is used.
        return self.load(StableDiffusionControlNetPipeline.from_pretrained, base_source, controlnet=controlnet,
                         safety_checker=None, requires_safety_checker=False)

    def generate(self, images, generators) -> np.ndarray:
        height, width = images.shape[-2:]
        return self.pipeline(image=images, height=height, width=width,
                             **self.common_arguments(len(images), generators)).images
