"""configs/training/stable_diffusion_finetune.yaml end to end on a tiny random Stable Diffusion built offline.

The components follow diffusers' own tests (tiny UNet2DConditionModel, AutoencoderKL and CLIPTextModel, each
seeded); the CLIP tokenizer is made from a vocab.json / merges.txt written here, so nothing is downloaded.
"""

import json
from pathlib import Path

import pytest
import torch
import yaml

from colorize.errors import ColorizeError
from colorize.training import ColorizationTrainer

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


def test_preset_trains_two_steps_and_validates(tiny_sd, tiny_data, tmp_path):
    config = yaml.safe_load(PRESET.read_text())
    config["controlnet"].update(pretrained_model=str(tiny_sd), inference_steps=2, resolution=32)
    config["data"].update(train_dir=str(tiny_data / "train"), val_dir=str(tiny_data / "val"), val_samples=1,
                          max_side=48, augment={"crop_size": 16})
    config["training"].update(output_dir=str(tmp_path / "run"), batch_size=2, max_steps=2, num_workers=0,
                              gradient_accumulation_steps=1, mixed_precision="no", validate_every=2,
                              checkpoint_every=2)
    final = ColorizationTrainer(config).train()

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
    with pytest.raises(ColorizeError, match="not a local Stable Diffusion folder") as info:
        ColorizationTrainer(config).train()
    assert "\n" not in str(info.value)
