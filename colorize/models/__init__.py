"""Colorization models behind one interface: luminance in, chroma out (CIE Lab, raw scaling).

Built in: ``propagation`` (this project's keyframe propagation), the diffusers models ``stable_diffusion_inpaint``,
``stable_diffusion_xl`` and ``controlnet_colorization``, and ``unet`` (this project's network, trained by
``train_colorization.py``). Nothing heavy is imported until a model is built: diffusers, transformers and torch load
inside the backends.

    colorizer = make_colorizer("controlnet_colorization", ColorizerSettings(device="cuda", mixed_precision="fp16"))
    ab = colorizer.colorize(lum)  # (N, H, W) L in [0, 100] -> (N, H, W, 2) ab
"""

from colorize.models.base import Colorizer, ColorizerSettings, Conditions, ModelNeeds
from colorize.models.frames import ColorizerModel, colorize_rgb
from colorize.models.loading import MissingWeightsError, cache_dir, load_pretrained, weights_present
from colorize.models.registry import (
    MODEL_SPECS,
    ModelSpec,
    custom_spec,
    get_spec,
    make_colorizer,
    register_custom_model,
)

__all__ = [
    "Colorizer", "ColorizerSettings", "Conditions", "ModelNeeds",
    "colorize_rgb", "ColorizerModel",
    "MissingWeightsError", "cache_dir", "load_pretrained", "weights_present",
    "MODEL_SPECS", "ModelSpec", "custom_spec", "get_spec", "make_colorizer", "register_custom_model",
]
