"""Fine-tuning a diffusers ControlNet on gray -> color pairs (``model: controlnet`` in the training YAML).

As in diffusers' ``examples/controlnet/train_controlnet.py``: the Stable Diffusion parts (VAE, UNet, text encoder)
are frozen; the ControlNet sees the black-and-white frame (the same gray image inference gives it,
:func:`colorize.models.diffusion.gray_images`) and learns to steer the UNet's noise prediction towards the true color
frame. ``controlnet.pretrained_model`` is a Hub id, read from the Hugging Face cache like inference's weights
(downloaded when absent and online), or a local folder (``unet/``, ``vae/``, ``text_encoder/``, ``tokenizer/``,
``scheduler/``).
Validation generates color frames with ``StableDiffusionControlNetPipeline`` and keeps only their chroma under
the input luminance, so the PSNR is comparable with the U-Net's.
"""

import logging
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from colorize.color import rgb_to_lab, upsample_chroma
from colorize.errors import ColorizeError
from colorize.io import atomic_dir
from colorize.models.diffusion import gray_images
from colorize.models.loading import (
    DIFFUSERS_FILES,
    DIFFUSERS_SKIPPED,
    fetch_command,
    is_local,
    load_pretrained,
    snapshot_folder,
)
from colorize.training.config import TrainConfig

logger = logging.getLogger(__name__)

_SUBFOLDERS = ("unet", "vae", "text_encoder", "tokenizer", "scheduler")
_NAME = "controlnet.pretrained_model"
_SD15 = "stable-diffusion-v1-5/stable-diffusion-v1-5"
_CONDITIONING_CHANNELS = (16, 32, 96, 256)  # diffusers' default; cut to the VAE's number of downsamplings


class ControlNetObjective:
    """Noise-prediction loss of a Stable Diffusion UNet steered by a trained ControlNet; predictions by sampling.

    Batches come from :class:`colorize.datasets.VideoColorizationDataset` (frames of a clip are treated as
    separate images); crops must be a multiple of 8 pixels.
    """

    name = "controlnet"  # the final model is saved under output_dir/controlnet

    def __init__(self, config: TrainConfig) -> None:
        self.config = config.controlnet
        source = self.config.pretrained_model
        root = Path(source).expanduser() if is_local(source) else snapshot_folder(source, _NAME)
        missing = [sub for sub in _SUBFOLDERS if not (root / sub).is_dir()]
        if missing:
            fetch = fetch_command(_SD15, DIFFUSERS_FILES, DIFFUSERS_SKIPPED)
            raise ColorizeError(f"{_NAME} {root}: not a Stable Diffusion folder (missing {', '.join(missing)}/); give "
                                f"a Hub id such as {_SD15} (`{fetch}` caches it) or a folder with those parts")
        self.root = root

    def build(self) -> nn.Module:
        """Load the frozen parts and return the ControlNet to train (from the UNet unless a ControlNet is given)."""
        from diffusers import AutoencoderKL, ControlNetModel, DDPMScheduler, UNet2DConditionModel
        from transformers import CLIPTextModel, CLIPTokenizer

        self.vae = AutoencoderKL.from_pretrained(self.root, subfolder="vae").requires_grad_(False)
        self.unet = UNet2DConditionModel.from_pretrained(self.root, subfolder="unet").requires_grad_(False)
        self.text_encoder = CLIPTextModel.from_pretrained(self.root, subfolder="text_encoder").requires_grad_(False)
        self.tokenizer = CLIPTokenizer.from_pretrained(self.root, subfolder="tokenizer")
        self.noise_scheduler = DDPMScheduler.from_pretrained(self.root, subfolder="scheduler")
        if self.config.controlnet_model:
            controlnet = load_pretrained(ControlNetModel.from_pretrained, self.config.controlnet_model,
                                         "controlnet.controlnet_model")
        else:
            downsamplings = len(self.vae.config.block_out_channels) - 1
            controlnet = ControlNetModel.from_unet(
                self.unet, conditioning_embedding_out_channels=_CONDITIONING_CHANNELS[: downsamplings + 1])
        with torch.no_grad():
            ids = self.tokenizer(self.config.prompt, padding="max_length", truncation=True, return_tensors="pt",
                                 max_length=self.tokenizer.model_max_length).input_ids
            self.prompt_embeds = self.text_encoder(ids)[0]  # (1, tokens, dim)
        return controlnet.train()

    def to(self, device: torch.device, dtype: torch.dtype = torch.float32) -> None:
        """Frozen parts to ``device`` in ``dtype`` (the mixed-precision dtype, as diffusers' scripts do)."""
        cast = {} if dtype == torch.float32 else {"dtype": dtype}  # from_pretrained loaded float32 already
        for module in (self.vae, self.unet, self.text_encoder):
            module.to(device, **cast)
        self.prompt_embeds = self.prompt_embeds.to(device, dtype=dtype)
        self.dtype = dtype

    def losses(self, model: nn.Module, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """``{"diffusion": MSE of the noise (or v) prediction, "total": the same}``."""
        images = batch["rgb"].flatten(0, 1).permute(0, 3, 1, 2).to(self.dtype) / 127.5 - 1.0  # (N, 3, H, W)
        lum = batch["lum"].flatten(0, 1)[:, 0].float().cpu().numpy() * 100.0  # (N, H, W) L in [0, 100]
        control = gray_images(lum).to(images.device, self.dtype)  # the gray image inference conditions on
        with torch.no_grad():
            latents = self.vae.encode(images).latent_dist.sample() * self.vae.config.scaling_factor
        noise = torch.randn_like(latents)
        steps = torch.randint(0, self.noise_scheduler.config.num_train_timesteps, (len(latents),),
                              device=latents.device)
        noisy = self.noise_scheduler.add_noise(latents, noise, steps)
        text = self.prompt_embeds.expand(len(latents), -1, -1)
        down, mid = model(noisy, steps, encoder_hidden_states=text, controlnet_cond=control, return_dict=False)
        prediction = self.unet(noisy, steps, encoder_hidden_states=text,
                               down_block_additional_residuals=[r.to(self.dtype) for r in down],
                               mid_block_additional_residual=mid.to(self.dtype), return_dict=False)[0]
        if self.noise_scheduler.config.prediction_type == "v_prediction":
            target = self.noise_scheduler.get_velocity(latents, noise, steps)
        else:
            target = noise
        loss = F.mse_loss(prediction.float(), target.float())
        return {"diffusion": loss, "total": loss}

    @torch.no_grad()
    def predict(self, model: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """(B, T, 2, H, W) ab / 128: the chroma of frames generated from the gray input, under its L."""
        from diffusers import StableDiffusionControlNetPipeline, UniPCMultistepScheduler

        pipeline = StableDiffusionControlNetPipeline(
            vae=self.vae, text_encoder=self.text_encoder, tokenizer=self.tokenizer, unet=self.unet, controlnet=model,
            scheduler=UniPCMultistepScheduler.from_config(self.noise_scheduler.config), safety_checker=None,
            feature_extractor=None, requires_safety_checker=False)
        pipeline.set_progress_bar_config(disable=True)
        lum = batch["lum"].flatten(0, 1)  # (N, 1, H, W) L / 100
        height, width = lum.shape[-2:]
        scale = min(1.0, self.config.resolution / max(height, width))
        size = (max(8, int(height * scale) // 8 * 8), max(8, int(width * scale) // 8 * 8))
        control = gray_images(F.interpolate(lum.float(), size=size, mode="area")[:, 0].cpu().numpy() * 100.0)
        generator = torch.Generator(device="cpu").manual_seed(0)
        device = self.prompt_embeds.device
        # The trained ControlNet is float32 beside half-precision frozen parts: autocast, as diffusers' validation.
        with torch.autocast(device.type, dtype=self.dtype, enabled=self.dtype != torch.float32):
            images = pipeline(prompt_embeds=self.prompt_embeds.expand(len(lum), -1, -1), image=control,
                              height=size[0], width=size[1], num_inference_steps=self.config.inference_steps,
                              guidance_scale=self.config.guidance_scale, generator=generator, output_type="np").images
        full_lum = lum[:, 0].float().cpu().numpy() * 100.0
        ab = np.stack([upsample_chroma(rgb_to_lab(np.clip(image, 0.0, 1.0))[..., 1:], frame_lum)
                       for image, frame_lum in zip(images, full_lum, strict=True)])
        out = torch.from_numpy(ab / 128.0).permute(0, 3, 1, 2).float()
        return out.unflatten(0, batch["lum"].shape[:2])

    def save_pretrained(self, model: nn.Module, path: str | Path) -> None:
        """diffusers' ControlNet folder (config.json + diffusion_pytorch_model.safetensors), all or nothing."""
        with atomic_dir(path, overwrite=True) as tmp:
            model.save_pretrained(tmp)
