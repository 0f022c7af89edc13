"""The random pipelines for tests and benchmarks: the full architectures have the real models' parameter counts."""

import pytest
import torch

from testkit import pipelines

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # as in tests/models: tiny models are slow on many threads

# Published parameter counts of the released models.
PARAMETERS = {
    "sd15_unet": 859_520_964,  # SD 1.5 UNet
    "sd15_inpaint_unet": 859_535_364,  # the same with 9 input channels (5 x 320 x 3 x 3 more weights)
    "sdxl_unet": 2_567_463_684,
    "vae": 83_653_863,
    "clip_l": 123_060_480,  # CLIP ViT-L/14 text encoder (SD 1.5, SDXL's first)
    "clip_g": 694_659_840,  # OpenCLIP ViT-bigG/14 text encoder with projection (SDXL's second)
}


def count(module) -> int:
    return sum(parameter.numel() for parameter in module.parameters())


def test_full_architectures_match_the_released_models():
    tokenizer = pipelines.byte_level_clip_tokenizer()
    with torch.device("meta"):  # shapes only, no memory
        built = {
            "sd15_unet": pipelines.make_unet("sd15", "full"),
            "sd15_inpaint_unet": pipelines.make_unet("sd15", "full", in_channels=9),
            "sdxl_unet": pipelines.make_unet("sdxl", "full"),
            "vae": pipelines.make_vae("full"),
            "clip_l": pipelines.make_text_encoder("clip_l", "full", tokenizer),
            "clip_g": pipelines.make_text_encoder("clip_g", "full", tokenizer, with_projection=True),
        }
    assert {name: count(module) for name, module in built.items()} == PARAMETERS


def test_byte_level_tokenizer():
    tokenizer = pipelines.byte_level_clip_tokenizer()
    ids = tokenizer("a red car", padding="max_length", max_length=77).input_ids
    assert len(ids) == 77 and ids[0] == tokenizer.bos_token_id and max(ids) < len(tokenizer) == 514
    assert tokenizer.decode(ids, skip_special_tokens=True) == "a red car"


@pytest.mark.parametrize("build", [pipelines.stable_diffusion_inpaint, pipelines.stable_diffusion_controlnet,
                                   pipelines.stable_diffusion_xl_img2img])
def test_tiny_pipelines_are_tiny(build):
    pipeline = build("tiny")
    assert sum(count(c) for c in pipeline.components.values() if isinstance(c, torch.nn.Module)) < 5_000_000
