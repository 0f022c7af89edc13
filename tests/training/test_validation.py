"""Validation scores: PSNR / SSIM of predicted chroma under the true L, with the gray baseline."""

import torch
from torch.utils.data import DataLoader

from colorize.datasets import VideoColorizationDataset
from colorize.training.validation import validate


def test_true_chroma_beats_gray_and_panels_are_made(tiny_data):
    loader = DataLoader(VideoColorizationDataset(tiny_data / "val", clip_length=1), batch_size=1)
    perfect, panels = validate(lambda batch: batch["ab"], loader, num_images=1)
    assert perfect["psnr"] > 45 and perfect["ssim"] > 0.99  # only 8-bit rounding left
    assert perfect["psnr_gray"] < 25 < perfect["psnr"]
    assert len(panels) == 1 and panels[0].shape == (32, 3 * 48 + 2 * 4, 3)
    gray, _ = validate(lambda batch: torch.zeros_like(batch["ab"]), loader, num_images=0)
    assert gray["psnr"] == gray["psnr_gray"] == perfect["psnr_gray"]
