"""What the diffusers colorizers share: device and precision, memory options, batching, seeds, chroma transfer.

A generated image is never used as it comes out. The input luminance is kept exactly; only the chroma (Lab ab) of
the generation is taken, and it is resized to the frame's size by guided upsampling under the full-resolution L
(:func:`colorize.color.upsample_chroma`), so a 512-px generation colorizes a 4K frame. Each frame starts from the
same noise (``settings.seed``): results are reproducible, independent of batching, and flicker less.
"""

import logging
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from colorize.color import luminance_to_gray, resize, rgb_to_lab, upsample_chroma
from colorize.errors import ColorizeError
from colorize.models.base import Colorizer, ColorizerSettings, Conditions, torch_dtype
from colorize.models.loading import load_pretrained
from colorize.utils.device import resolve_device

if TYPE_CHECKING:
    import torch
    from diffusers import DiffusionPipeline

    from colorize.models.registry import ModelSpec

logger = logging.getLogger(__name__)

SIZE_MULTIPLE = 64  # VAE (8x) times the UNet's three downsamplings (8x)


def generation_size(height: int, width: int, resolution: int) -> tuple[int, int]:
    """(h, w) to generate at: longer side ``resolution`` px, each side a multiple of 64 (at least 64)."""
    scale = resolution / max(height, width)
    return tuple(max(SIZE_MULTIPLE, round(side * scale / SIZE_MULTIPLE) * SIZE_MULTIPLE) for side in (height, width))


def gray_images(lum: np.ndarray) -> "torch.Tensor":
    """(N, H, W) L in [0, 100] -> (N, 3, H, W) float32 sRGB gray in [0, 1] with that luminance, in 8-bit levels
    (L = 50: 119/255 = 0.467, not L / 100). The image the diffusion backends start from and the ControlNet is
    conditioned on, in inference and in fine-tuning (:mod:`colorize.training.diffusion_finetune`) alike."""
    import torch

    gray = np.stack([luminance_to_gray(frame) for frame in lum])  # (N, H, W) uint8
    return torch.from_numpy(gray).float().div(255.0)[:, None].expand(-1, 3, -1, -1)


def _check_installed(model: str) -> None:
    """ColorizeError with the install command when diffusers or transformers is missing."""
    import importlib.util

    missing = [name for name in ("diffusers", "transformers") if importlib.util.find_spec(name) is None]
    if missing:
        raise ColorizeError(f"{model} needs {' and '.join(missing)}: pip install 'colorize-video[models]' "
                            "(or pip install -r requirements.txt)")


class DiffusionColorizer(Colorizer):
    """Base of the diffusers colorizers; subclasses load their pipeline and run it on a batch of gray images.

    Args:
        spec: the model's :class:`~colorize.models.registry.ModelSpec` (its ``weights`` are what is loaded).
        settings: device, precision, memory options, steps, guidance, seed, batch size, resolution, prompts.
        pipeline: an already built pipeline to use instead of loading ``spec.weights`` (benchmarks, tests).
    """

    def __init__(self, spec: "ModelSpec", settings: ColorizerSettings,
                 pipeline: "DiffusionPipeline | None" = None) -> None:
        self.spec, self.settings = spec, settings
        self.name, self.needs = spec.id, spec.needs
        _check_installed(self.name)
        self.device = resolve_device(settings.device)
        self.dtype = torch_dtype(settings.mixed_precision, self.device)
        self.batch_size = 1 if settings.memory_efficient else settings.batch_size
        self.pipeline = pipeline if pipeline is not None else self.load_pipeline()
        self._place()

    @abstractmethod
    def load_pipeline(self) -> "DiffusionPipeline":
        """Load ``self.spec.weights`` (with :meth:`load`)."""

    def load(self, from_pretrained: Callable[..., Any], source: str, **kwargs: Any) -> Any:
        """``from_pretrained(source, **kwargs)`` in ``self.dtype`` through
        :func:`~colorize.models.loading.load_pretrained` (one-line errors naming this model and the command that
        fetches all its weights)."""
        return load_pretrained(from_pretrained, source, self.name, fetch=self.spec.fetch(), dtype=self.dtype, **kwargs)

    @abstractmethod
    def generate(self, images: "torch.Tensor", generators: list["torch.Generator"]) -> np.ndarray:
        """(n, 3, h, w) float gray images in [0, 1] -> (n, h, w, 3) float32 RGB in [0, 1], one generator each."""

    def _place(self) -> None:
        """Move to the device in the chosen precision, with the memory-efficient options when asked for."""
        pipeline = self.pipeline
        pipeline.set_progress_bar_config(disable=True)
        if pipeline.dtype != self.dtype:  # a pipeline passed in; loaded ones come in self.dtype already
            pipeline.to(dtype=self.dtype)
        if not self.settings.memory_efficient:
            pipeline.to(self.device)
            return
        if self.device.startswith("cuda"):
            pipeline.enable_model_cpu_offload(device=self.device)  # each model on this GPU only while it runs
        else:
            pipeline.to(self.device)
            logger.info("%s: model CPU offload needs a CUDA GPU: not used", self.name)
        # No attention slicing: with torch 2's scaled-dot-product attention diffusers documents it as a slow-down
        # for little memory saved (docs: optimization/memory).
        if hasattr(getattr(pipeline, "vae", None), "enable_tiling"):
            pipeline.vae.enable_tiling()

    def memory_bytes(self) -> int:
        import torch

        modules = [c for c in self.pipeline.components.values() if isinstance(c, torch.nn.Module)]
        return sum(p.numel() * p.element_size() for module in modules for p in module.parameters())

    def common_arguments(self, count: int, generators: list["torch.Generator"]) -> dict[str, Any]:
        """Pipeline arguments every backend passes: prompts, steps, guidance, generators, numpy output."""
        return {"prompt": [self.settings.prompt] * count, "negative_prompt": [self.settings.negative_prompt] * count,
                "num_inference_steps": self.settings.inference_steps, "guidance_scale": self.settings.guidance_scale,
                "generator": generators, "output_type": "np"}

    def colorize(self, lum: np.ndarray, conditions: Conditions | None = None) -> np.ndarray:
        """(N, H, W) float32 L in [0, 100] -> (N, H, W, 2) float32 ab, generated ``batch_size`` frames at a time."""
        import torch

        self._check(lum, conditions)
        count, height, width = lum.shape
        size = generation_size(height, width, self.settings.resolution)
        ab = np.empty((count, height, width, 2), np.float32)
        for start in range(0, count, self.batch_size):
            batch = lum[start:start + self.batch_size]
            images = gray_images(np.stack([resize(frame, size) for frame in batch]))
            generators = [torch.Generator().manual_seed(self.settings.seed) for _ in batch]
            with torch.inference_mode():
                rgb = self.generate(images, generators)
            for index, (frame, image) in enumerate(zip(batch, rgb, strict=True)):
                chroma = np.ascontiguousarray(rgb_to_lab(np.clip(image, 0.0, 1.0))[..., 1:])
                ab[start + index] = upsample_chroma(chroma, frame, "guided")
        return ab
