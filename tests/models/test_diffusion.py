"""What the diffusers backends share: generation size, precision, batching, memory options, big frames."""

import dataclasses

import numpy as np
import pytest
import torch

from colorize.color import resize
from colorize.errors import ColorizeError
from colorize.models import MODEL_SPECS, make_colorizer
from colorize.models.diffusion import generation_size, torch_dtype
from colorize.models.sd_inpaint import StableDiffusionInpaintColorizer
from testkit import pipelines as tiny


@pytest.mark.parametrize("height, width, resolution, expected", [
    (144, 176, 512, (448, 512)),
    (2160, 3840, 512, (256, 512)),  # 4K: generated at 512 px, the chroma is upsampled
    (96, 128, 64, (64, 64)),
    (10, 10, 512, (512, 512)),  # small frames are generated at the model's size
])
def test_generation_size(height, width, resolution, expected):
    assert generation_size(height, width, resolution) == expected


def test_precision():
    assert torch_dtype("no", "cpu") == torch.float32
    assert torch_dtype("bf16", "cpu") == torch.bfloat16
    assert torch_dtype("fp16", "cuda") == torch.float16
    with pytest.raises(ColorizeError, match="mixed precision fp16 needs a CUDA GPU; on the CPU use bf16 or no"):
        torch_dtype("fp16", "cpu")


def test_missing_diffusers_says_how_to_install(monkeypatch, settings):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "diffusers" else find_spec(name))
    with pytest.raises(ColorizeError, match=r"stable_diffusion_inpaint needs diffusers: pip install "
                                            r"'colorize-video\[models\]'"):
        make_colorizer("stable_diffusion_inpaint", settings)


def test_batching_does_not_change_the_result(offline, settings, lum):
    batched = make_colorizer("stable_diffusion_inpaint", dataclasses.replace(settings, batch_size=3)).colorize(lum)
    single = make_colorizer("stable_diffusion_inpaint", dataclasses.replace(settings, batch_size=1)).colorize(lum)
    np.testing.assert_allclose(batched, single, atol=1e-2)  # same noise per frame; float rounding only


def test_memory_efficient_options(offline, settings, lum):
    plain = make_colorizer("stable_diffusion_inpaint", settings)
    lean = make_colorizer("stable_diffusion_inpaint", dataclasses.replace(settings, memory_efficient=True))
    assert lean.batch_size == 1 and plain.batch_size == 2  # one frame at a time
    assert lean.pipeline.vae.use_tiling and not plain.pipeline.vae.use_tiling
    processors = {type(p).__name__ for p in lean.pipeline.unet.attn_processors.values()}
    assert processors == {"AttnProcessor2_0"}  # torch 2 SDPA kept: attention slicing would only slow it down
    np.testing.assert_allclose(lean.colorize(lum), plain.colorize(lum), atol=1e-2)  # same result, less memory


def test_offload_goes_to_the_process_gpu(monkeypatch, settings):
    """Under accelerate launch a process's device is cuda:N: model CPU offload must use that GPU, not GPU 0."""
    from diffusers import StableDiffusionInpaintPipeline

    offloaded = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(StableDiffusionInpaintPipeline, "enable_model_cpu_offload",
                        lambda pipeline, gpu_id=None, device=None: offloaded.append(device))
    lean = dataclasses.replace(settings, device="cuda:1", mixed_precision="no", memory_efficient=True)
    colorizer = StableDiffusionInpaintColorizer(MODEL_SPECS["stable_diffusion_inpaint"], lean,
                                                pipeline=tiny.stable_diffusion_inpaint("tiny"))
    assert offloaded == ["cuda:1"] and colorizer.device == "cuda:1" and colorizer.pipeline.vae.use_tiling


def test_auto_precision_is_fp16_on_cuda_only():
    assert torch_dtype("auto", "cpu") == torch.float32
    assert torch_dtype("auto", "cuda") == torch_dtype("auto", "cuda:1") == torch.float16


def test_bf16_on_the_cpu(offline, settings, lum):
    colorizer = make_colorizer("stable_diffusion_inpaint", dataclasses.replace(settings, mixed_precision="bf16"))
    assert colorizer.pipeline.unet.dtype == torch.bfloat16
    assert colorizer.memory_bytes() * 2 == make_colorizer("stable_diffusion_inpaint", settings).memory_bytes()
    ab = colorizer.colorize(lum[:1])
    assert ab.dtype == np.float32 and np.isfinite(ab).all() and np.abs(ab).mean() > 1.0


def test_a_small_generation_colorizes_a_4k_frame(settings, lum):
    colorizer = StableDiffusionInpaintColorizer(MODEL_SPECS["stable_diffusion_inpaint"], settings,
                                                pipeline=tiny.stable_diffusion_inpaint("tiny"))  # no loading
    frame = np.clip(resize(lum[0], (2160, 3840)), 0.0, 100.0)  # carphone enlarged to 4K
    ab = colorizer.colorize(frame[None])
    assert ab.shape == (1, 2160, 3840, 2) and np.isfinite(ab).all() and np.abs(ab).mean() > 1.0
