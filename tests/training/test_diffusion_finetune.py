"""configs/training/stable_diffusion_finetune.yaml end to end on a tiny random Stable Diffusion built offline.

The components follow diffusers' own tests (tiny UNet2DConditionModel, AutoencoderKL and CLIPTextModel, each
seeded); the CLIP tokenizer is made from a vocab.json / merges.txt written here, so nothing is downloaded.
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from colorize.errors import ColorizeError
from colorize.models import MissingWeightsError
from colorize.models.diffusion import gray_images
from colorize.training import ColorizationTrainer
from colorize.training.config import TrainConfig, load_train_config
from colorize.training.diffusion_finetune import ControlNetObjective

PRESET = Path(__file__).resolve().parents[2] / "configs" / "training" / "stable_diffusion_finetune.yaml"


@pytest.fixture(scope="module")
def tiny_sd(tmp_path_factory) -> Path:
    from diffusers import AutoencoderKL, DDPMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    root = tmp_path_factory.mktemp("tiny_sd")
    torch.manual_seed(0)
    UNet2DConditionModel(block_out_channels=(32, 64), layers_per_block=1, sample_size=16, in_channels=4,
                         out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                         up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=32,
                         norm_num_groups=8, attention_head_dim=4).save_pretrained(root / "unet")
    torch.manual_seed(0)
    AutoencoderKL(block_out_channels=(32, 64), in_channels=3, out_channels=3, latent_channels=4,
                  down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                  norm_num_groups=8, layers_per_block=1).save_pretrained(root / "vae")
    torch.manual_seed(0)
    CLIPTextModel(CLIPTextConfig(bos_token_id=0, eos_token_id=1, pad_token_id=1, hidden_size=32,
                                 intermediate_size=37, num_attention_heads=4, num_hidden_layers=2, vocab_size=100,
                                 max_position_embeddings=77)).save_pretrained(root / "text_encoder")
    DDPMScheduler(num_train_timesteps=100).save_pretrained(root / "scheduler")
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1, **{c + "</w>": 2 + i for i, c in enumerate(letters)},
             **{c: 28 + i for i, c in enumerate(letters)}}
    (root / "words").mkdir()
    (root / "words" / "vocab.json").write_text(json.dumps(vocab))
    (root / "words" / "merges.txt").write_text("#version: 0.2\n")
    CLIPTokenizer(vocab_file=str(root / "words" / "vocab.json"), merges_file=str(root / "words" / "merges.txt"),
                  model_max_length=16).save_pretrained(root / "tokenizer")
    return root


def test_preset_trains_two_steps_and_validates(tiny_sd, tiny_data, tmp_path, monkeypatch, caplog):
    config = yaml.safe_load(PRESET.read_text())
    assert config["training"]["mixed_precision"] is None  # accelerate's choice, as in diffusers' training scripts
    monkeypatch.setenv("ACCELERATE_MIXED_PRECISION", "no")  # what `accelerate launch --mixed_precision no` sets
    config["controlnet"].update(pretrained_model=str(tiny_sd), inference_steps=2, resolution=32)
    config["data"].update(train_dir=str(tiny_data / "train"), val_dir=str(tiny_data / "val"), val_samples=1,
                          max_side=48, augment={"crop_size": 16})
    config["training"].update(output_dir=str(tmp_path / "run"), batch_size=2, max_steps=2, num_workers=0,
                              gradient_accumulation_steps=1, validate_every=2, checkpoint_every=2)
    with caplog.at_level("INFO", logger="colorize.training.trainer"):
        final = ColorizationTrainer(config).train()
    assert "mixed precision no" in caplog.text

    from diffusers import ControlNetModel

    trained = ControlNetModel.from_pretrained(final)
    assert list(trained.config.conditioning_embedding_out_channels) == [16, 32]  # one VAE downsampling
    start = ControlNetModel.from_pretrained(tmp_path / "run" / "checkpoints" / "step-0000002" / "controlnet")
    for a, b in zip(trained.parameters(), start.parameters(), strict=True):
        torch.testing.assert_close(a, b)  # the final model is the one of the last checkpoint
    best = json.loads((tmp_path / "run" / "best.json").read_text())
    assert best["step"] == 2 and 0 < best["psnr"] < 60 and 0 < best["ssim"] <= 1


def test_missing_model_folder_is_one_line(tiny_data, tmp_path):
    config = yaml.safe_load(PRESET.read_text())
    config["controlnet"]["pretrained_model"] = str(tmp_path / "sd15")
    config["data"].update(train_dir=str(tiny_data / "train"), val_dir=None)
    config["training"]["mixed_precision"] = "no"  # fp16 needs a GPU
    with pytest.raises(ColorizeError, match="not a Stable Diffusion folder") as info:
        ColorizationTrainer(config).train()
    assert "\n" not in str(info.value)


def sd_config(source: str) -> TrainConfig:
    config = yaml.safe_load(PRESET.read_text())
    config["controlnet"]["pretrained_model"] = source
    return load_train_config(config)


def test_a_hub_id_is_read_from_the_cache_like_inference(tiny_sd, monkeypatch, tmp_path):
    from huggingface_hub import constants

    snapshot = tmp_path / "hub" / "models--someone--tiny-sd" / "snapshots" / "0123456789abcdef"
    shutil.copytree(tiny_sd, snapshot)
    (snapshot.parents[1] / "refs").mkdir()
    (snapshot.parents[1] / "refs" / "main").write_text("0123456789abcdef")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    objective = ControlNetObjective(sd_config("someone/tiny-sd"))
    assert objective.root == snapshot
    with pytest.raises(MissingWeightsError) as info:
        ControlNetObjective(sd_config("someone/not-cached"))
    message = str(info.value)
    assert "\n" not in message and '`hf download someone/not-cached --include "*.json"' in message


def test_the_controlnet_sees_the_gray_image_inference_gives_it(tiny_sd):
    """Fine-tuning conditions on the sRGB gray of the frame's L (L = 50: 119/255), as inference does, not on L / 100."""
    objective = ControlNetObjective(sd_config(str(tiny_sd)))
    controlnet = objective.build()
    objective.to(torch.device("cpu"))
    seen = []

    def spy(*args, controlnet_cond, **kwargs):
        seen.append(controlnet_cond)
        return controlnet(*args, controlnet_cond=controlnet_cond, **kwargs)

    lum = torch.linspace(0.0, 1.0, 16 * 16).reshape(1, 1, 1, 16, 16)  # (B, T, 1, H, W) L / 100
    rgb = torch.full((1, 1, 16, 16, 3), 128, dtype=torch.uint8)
    objective.losses(spy, {"lum": lum, "rgb": rgb})
    expected = gray_images(lum[0, :, 0].numpy() * 100.0)
    torch.testing.assert_close(seen[0], expected)
    middle = gray_images(np.full((1, 2, 2), 50.0, np.float32))
    assert float(middle[0, 0, 0, 0]) == pytest.approx(119 / 255)
