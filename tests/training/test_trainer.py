"""ColorizationTrainer on a tiny set: the loss falls, resume is exact, outputs and logs are where they should be."""

import json

import numpy as np
import pytest
import torch
from safetensors.torch import load_file
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from colorize.config import ConfigError
from colorize.datasets import VideoColorizationDataset
from colorize.errors import ColorizeError, InputError
from colorize.models.unet_network import UNet, UNetConfig
from colorize.training import ColorizationTrainer, find_checkpoint
from colorize.training.trainer import STATE_MARKER


def _weights(folder):
    return load_file(str(folder / "model.safetensors"))


def _events(run) -> EventAccumulator:
    """The TensorBoard events of a run (one event file per run)."""
    events = EventAccumulator(str(next((run / "logs").rglob("events.out.tfevents.*")).parent))
    events.Reload()
    return events


def _l1(model: UNet, data_dir) -> float:
    """Mean |ab error| / 128 of ``model`` on every frame of ``data_dir`` (no augmentation)."""
    dataset = VideoColorizationDataset(data_dir, clip_length=1)
    samples = [dataset[i] for i in range(len(dataset))]
    lum = np.stack([sample["lum"][0, 0].numpy() * 100 for sample in samples])
    truth = np.stack([sample["ab"][0].permute(1, 2, 0).numpy() for sample in samples])
    return float(np.abs(model.colorize_frames(lum) / 128 - truth).mean())


def test_a_few_steps_lower_the_loss(tiny_config, tiny_data):
    tiny_config["training"].update(max_steps=6, checkpoint_every=0, validate_every=0)
    tiny_config["data"]["augment"] = {"crop_size": 0, "flip": False}  # overfit the frames themselves
    final = ColorizationTrainer(tiny_config).train()
    torch.manual_seed(0)  # the trainer's seed: the same initial network
    before = _l1(UNet(UNetConfig(base_channels=4, levels=2)), tiny_data / "train")
    after = _l1(UNet.from_pretrained(final), tiny_data / "train")
    assert after < 0.7 * before, (before, after)


def test_resume_is_exact(tiny_config, tmp_path):
    straight = ColorizationTrainer(tiny_config).train()  # 4 steps, checkpoint at 2 (kept: 1 + the last)
    checkpoint = straight.parent / "checkpoints" / "step-0000002"
    assert not checkpoint.exists()  # keep_checkpoints 1: only step 4 is left
    tiny_config["training"].update(keep_checkpoints=2, output_dir=str(tmp_path / "first"))
    ColorizationTrainer(tiny_config).train()
    checkpoint = tmp_path / "first" / "checkpoints" / "step-0000002"
    tiny_config["training"]["output_dir"] = str(tmp_path / "resumed")
    resumed = ColorizationTrainer(tiny_config).train(resume=checkpoint)
    expected, got = _weights(straight), _weights(resumed)
    assert expected.keys() == got.keys()
    for name in expected:
        torch.testing.assert_close(got[name], expected[name], rtol=0, atol=0)
    halfway = _weights(checkpoint / "unet")
    assert any(not torch.equal(halfway[name], expected[name]) for name in expected)  # it did train after step 2


def test_outputs_and_tensorboard_logs(tiny_config):
    final = ColorizationTrainer(tiny_config).train()
    run = final.parent
    assert final.name == "unet" and UNet.from_pretrained(final).config.base_channels == 4
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["step-0000004"]
    best = json.loads((run / "best.json").read_text())
    assert best["step"] in (2, 4) and best["psnr"] > 0 and best["psnr_gray"] > 0
    assert (run / "best" / "model.safetensors").is_file() and (run / "config.yaml").is_file()
    events = _events(run)
    scalars = events.Tags()["scalars"]
    for tag in ("loss/total", "loss/reconstruction", "loss/temporal", "lr", "val/psnr", "val/ssim", "val/psnr_gray"):
        assert tag in scalars, tag
    assert [event.step for event in events.Scalars("loss/total")] == [1, 2, 3, 4]
    assert [event.step for event in events.Scalars("val/psnr")] == [2, 4]
    assert "val/sample_0" in events.Tags()["images"]


def test_gradient_accumulation_matches_a_larger_batch(tiny_config, tmp_path):
    tiny_config["training"].update(max_steps=2, checkpoint_every=0, validate_every=0)
    tiny_config["loss"]["temporal"] = 0.0  # its masked mean is not additive over micro-batches
    large = ColorizationTrainer(tiny_config).train().parent
    tiny_config["training"].update(batch_size=2, gradient_accumulation_steps=2, output_dir=str(tmp_path / "acc"))
    accumulated = ColorizationTrainer(tiny_config).train().parent
    # the same 4 samples per step: the same loss, before and after the first update
    expected, got = ([event.value for event in _events(run).Scalars("loss/total")] for run in (large, accumulated))
    assert len(expected) == len(got) == 2
    assert got == pytest.approx(expected, abs=1e-5)


def test_bf16_mixed_precision_runs(tiny_config):
    tiny_config["training"].update(max_steps=1, mixed_precision="bf16", checkpoint_every=0, validate_every=0)
    final = ColorizationTrainer(tiny_config).train()
    assert all(tensor.dtype == torch.float32 for tensor in _weights(final).values())  # weights stay float32


def test_unset_mixed_precision_is_accelerates(tiny_config, monkeypatch, caplog):
    """No mixed_precision in the YAML: `accelerate launch --mixed_precision bf16` (its env variable) decides."""
    monkeypatch.setenv("ACCELERATE_MIXED_PRECISION", "bf16")
    tiny_config["training"].update(max_steps=1, checkpoint_every=0, validate_every=0)
    with caplog.at_level("INFO", logger="colorize.training.trainer"):
        ColorizationTrainer(tiny_config).train()
    assert "mixed precision bf16" in caplog.text


def test_bad_config_and_missing_data_fail_before_training(tiny_config, tmp_path):
    with pytest.raises(ConfigError, match="unknown key"):
        ColorizationTrainer({**tiny_config, "schedule": "fast"})
    tiny_config["data"]["train_dir"] = str(tmp_path / "missing")
    with pytest.raises(InputError, match="data folder not found") as info:
        ColorizationTrainer(tiny_config).train()
    assert "\n" not in str(info.value)
    assert not (tmp_path / "run").exists()  # nothing was written


@pytest.mark.skipif(torch.cuda.is_available(), reason="fp16 is allowed with a CUDA GPU")
def test_fp16_without_a_gpu_is_one_line(tiny_config):
    tiny_config["training"]["mixed_precision"] = "fp16"
    with pytest.raises(ColorizeError, match="fp16 needs a CUDA GPU"):
        ColorizationTrainer(tiny_config).train()


def test_resume_from_a_non_checkpoint(tiny_config, tmp_path):
    with pytest.raises(ColorizeError, match="not a training checkpoint"):
        ColorizationTrainer(tiny_config).train(resume=tmp_path)
    with pytest.raises(ColorizeError, match="no checkpoint"):
        ColorizationTrainer(tiny_config).train(resume="latest")
    (tmp_path / "checkpoint.pth").write_bytes(b"")  # a file beside no saved state
    with pytest.raises(ColorizeError, match="not a training checkpoint"):
        find_checkpoint(tmp_path, tmp_path / "checkpoint.pth")


def test_resume_names_a_file_of_the_checkpoint(tmp_path):
    """The seed's `--resume path/to/checkpoint.pth`: a file in a checkpoint folder resumes that folder."""
    step = tmp_path / "checkpoints" / "step-0000002"
    step.mkdir(parents=True)
    (step / STATE_MARKER).write_bytes(b"")
    (step / "checkpoint.pth").write_bytes(b"")
    assert find_checkpoint(tmp_path, str(step / "checkpoint.pth")) == step
    assert find_checkpoint(tmp_path, "latest") == find_checkpoint(tmp_path, step) == step
