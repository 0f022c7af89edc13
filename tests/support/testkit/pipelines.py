"""Randomly initialised diffusers pipelines for tests and benchmarks: nothing is downloaded.

Two sizes of the same three pipelines (SD 1.5 inpainting, SDXL img2img, SD 1.5 + ControlNet):

- ``"tiny"``: a few thousand parameters (as diffusers' own tests build them), for fast end-to-end tests on the CPU.
- ``"full"``: the real architectures (the configs of ``stable-diffusion-v1-5/*``, ``stabilityai/stable-diffusion-xl-
  base-1.0`` and ``latentcat/control_v1p_sd15_brightness``, written out here because configs cannot be downloaded
  either), for speed and memory benchmarks: run time does not depend on the values of the weights.

The tokenizer is a byte-level CLIP BPE without merges (every byte is a token), so a prompt becomes more tokens than
with the real vocabulary; the text encoders always see 77 positions either way.
"""

from typing import Any

SIZES = ("tiny", "full")

_SD15_UNET = {"sample_size": 64, "cross_attention_dim": 768}  # UNet2DConditionModel's defaults are SD 1.x's
_SDXL_UNET = {
    "sample_size": 128, "block_out_channels": (320, 640, 1280), "layers_per_block": 2,
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    "attention_head_dim": (5, 10, 20), "transformer_layers_per_block": (1, 2, 10), "cross_attention_dim": 2048,
    "use_linear_projection": True, "addition_embed_type": "text_time", "addition_time_embed_dim": 256,
    "projection_class_embeddings_input_dim": 2816,  # 6 size/crop numbers x 256 + 1280 pooled text
}
_TINY_UNET = {
    "sample_size": 32, "block_out_channels": (32, 64), "layers_per_block": 2, "cross_attention_dim": 32,
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D"), "up_block_types": ("CrossAttnUpBlock2D", "UpBlock2D"),
}
_TINY_SDXL_UNET = {
    **_TINY_UNET, "attention_head_dim": (2, 4), "transformer_layers_per_block": (1, 2), "cross_attention_dim": 64,
    "use_linear_projection": True, "addition_embed_type": "text_time", "addition_time_embed_dim": 8,
    "projection_class_embeddings_input_dim": 80,  # 6 x 8 + 32
}
UNETS = {("sd15", "full"): _SD15_UNET, ("sdxl", "full"): _SDXL_UNET,
         ("sd15", "tiny"): _TINY_UNET, ("sdxl", "tiny"): _TINY_SDXL_UNET}

_VAE_BLOCKS = {"full": (128, 256, 512, 512), "tiny": (32, 64)}
# CLIP ViT-L/14's text tower (SD 1.5, and SDXL's first encoder) and OpenCLIP ViT-bigG/14's (SDXL's second).
TEXT_ENCODERS = {
    ("clip_l", "full"): {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                         "num_attention_heads": 12, "projection_dim": 768, "hidden_act": "quick_gelu"},
    ("clip_g", "full"): {"hidden_size": 1280, "intermediate_size": 5120, "num_hidden_layers": 32,
                         "num_attention_heads": 20, "projection_dim": 1280, "hidden_act": "gelu"},
    ("clip_l", "tiny"): {"hidden_size": 32, "intermediate_size": 37, "num_hidden_layers": 5,
                         "num_attention_heads": 4, "projection_dim": 32, "hidden_act": "gelu"},
}
TEXT_ENCODERS[("clip_g", "tiny")] = TEXT_ENCODERS[("clip_l", "tiny")]
_CLIP_VOCAB = 49408  # the real vocabulary size: the embedding tables have their real shape


def byte_level_clip_tokenizer():
    """A ``CLIPTokenizer`` whose vocabulary is the 256 byte symbols (plus end-of-word forms) and no merges."""
    from transformers import CLIPTokenizer
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    symbols = list(bytes_to_unicode().values())
    tokens = ["<|startoftext|>", "<|endoftext|>", *symbols, *(symbol + "</w>" for symbol in symbols)]
    return CLIPTokenizer(vocab={token: index for index, token in enumerate(tokens)}, merges=[], model_max_length=77)


def make_text_encoder(kind: str, size: str, tokenizer, with_projection: bool = False):
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    vocab_size = _CLIP_VOCAB if size == "full" else len(tokenizer)
    config = CLIPTextConfig(**TEXT_ENCODERS[(kind, size)], vocab_size=vocab_size, max_position_embeddings=77,
                            bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                            pad_token_id=tokenizer.pad_token_id)
    return (CLIPTextModelWithProjection if with_projection else CLIPTextModel)(config)


def make_unet(family: str, size: str, in_channels: int = 4):
    """``UNet2DConditionModel`` of ``family`` ``"sd15"`` or ``"sdxl"`` (``in_channels=9``: SD inpainting)."""
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel(**UNETS[(family, size)], in_channels=in_channels, out_channels=4)


def make_vae(size: str, sdxl: bool = False):
    from diffusers import AutoencoderKL

    blocks = _VAE_BLOCKS[size]
    return AutoencoderKL(block_out_channels=blocks, down_block_types=("DownEncoderBlock2D",) * len(blocks),
                         up_block_types=("UpDecoderBlock2D",) * len(blocks), latent_channels=4, layers_per_block=2,
                         norm_num_groups=32, sample_size=1024 if sdxl else 512,
                         scaling_factor=0.13025 if sdxl else 0.18215, force_upcast=sdxl)


def _scheduler(sdxl: bool):
    from diffusers import EulerDiscreteScheduler, PNDMScheduler

    common = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1}
    return EulerDiscreteScheduler(**common, timestep_spacing="leading") if sdxl else \
        PNDMScheduler(**common, skip_prk_steps=True)


def sd15_components(size: str, in_channels: int = 4) -> dict[str, Any]:
    """Components of an SD 1.5 pipeline (``in_channels=9`` for inpainting), random weights, safety checker off."""
    import torch

    tokenizer = byte_level_clip_tokenizer()
    torch.manual_seed(0)
    unet = make_unet("sd15", size, in_channels)
    torch.manual_seed(0)
    vae = make_vae(size)
    torch.manual_seed(0)
    text_encoder = make_text_encoder("clip_l", size, tokenizer)
    return {"unet": unet, "vae": vae, "text_encoder": text_encoder, "tokenizer": tokenizer,
            "scheduler": _scheduler(sdxl=False), "safety_checker": None, "feature_extractor": None,
            "requires_safety_checker": False}


def stable_diffusion_inpaint(size: str):
    """``StableDiffusionInpaintPipeline`` with random weights."""
    from diffusers import StableDiffusionInpaintPipeline

    return StableDiffusionInpaintPipeline(**sd15_components(size, in_channels=9))


def stable_diffusion(size: str):
    """``StableDiffusionPipeline`` (text to image) with random weights: the base a ControlNet is loaded on."""
    from diffusers import StableDiffusionPipeline

    return StableDiffusionPipeline(**sd15_components(size))


def controlnet(size: str, unet=None):
    """``ControlNetModel`` for SD 1.5 (brightness conditioning: a 3-channel image), random weights.

    ``unet``: the SD 1.5 UNet to copy its encoder from (as ``ControlNetModel.from_unet``); a new one by default.
    """
    import torch
    from diffusers import ControlNetModel

    if unet is None:
        torch.manual_seed(0)
        unet = make_unet("sd15", size)
    # The conditioning embedding must shrink the image as much as the VAE does: 8x (full), 2x (tiny).
    channels = (16, 32, 96, 256) if size == "full" else (16, 32)
    torch.manual_seed(1)
    return ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=channels, load_weights_from_unet=False)


def stable_diffusion_controlnet(size: str):
    """``StableDiffusionControlNetPipeline`` with random weights."""
    from diffusers import StableDiffusionControlNetPipeline

    components = sd15_components(size)
    return StableDiffusionControlNetPipeline(**components, controlnet=controlnet(size, components["unet"]))


def stable_diffusion_xl_img2img(size: str):
    """``StableDiffusionXLImg2ImgPipeline`` with random weights (two text encoders, size/crop conditioning)."""
    import torch
    from diffusers import StableDiffusionXLImg2ImgPipeline

    tokenizer = byte_level_clip_tokenizer()
    torch.manual_seed(0)
    unet = make_unet("sdxl", size)
    torch.manual_seed(0)
    vae = make_vae(size, sdxl=True)
    torch.manual_seed(0)
    text_encoder = make_text_encoder("clip_l", size, tokenizer)
    text_encoder_2 = make_text_encoder("clip_g", size, tokenizer, with_projection=True)
    return StableDiffusionXLImg2ImgPipeline(vae=vae, text_encoder=text_encoder, text_encoder_2=text_encoder_2,
                                            tokenizer=tokenizer, tokenizer_2=tokenizer, unet=unet,
                                            scheduler=_scheduler(sdxl=True))
