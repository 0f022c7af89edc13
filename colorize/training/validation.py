"""Validation: PSNR / SSIM of the predicted colors against the truth, with the gray baseline next to them."""

from collections.abc import Callable, Iterable

import numpy as np
import torch

from colorize.color import compose_lab
from colorize.metrics import psnr, ssim
from colorize.viz.panels import side_by_side


def validate(predict: Callable[[dict[str, torch.Tensor]], torch.Tensor], batches: Iterable[dict[str, torch.Tensor]],
             num_images: int = 4) -> tuple[dict[str, float], list[np.ndarray]]:
    """Score ``predict`` (batch -> (B, T, 2, H, W) ab / 128) on ``batches`` of the validation set.

    The output frame is the input L with the predicted ab (:func:`colorize.color.compose_lab`), compared with the
    true colors (``rgb``). Returns ``{"psnr", "ssim", "psnr_gray", "ssim_gray"}`` (means over frames, dB for
    PSNR; ``*_gray`` is the L-only baseline, ab = 0) and up to ``num_images`` (H, W', 3) uint8 panels
    gray | predicted | truth.
    """
    scores: dict[str, list[float]] = {"psnr": [], "ssim": [], "psnr_gray": [], "ssim_gray": []}
    panels = []
    for batch in batches:
        ab = predict(batch).float().cpu().numpy() * 128.0  # (B, T, 2, H, W)
        lum = batch["lum"].float().cpu().numpy()[:, :, 0] * 100.0  # (B, T, H, W)
        truth = batch["rgb"].cpu().numpy()  # (B, T, H, W, 3)
        for frame_lum, frame_ab, frame_truth in zip(lum.reshape(-1, *lum.shape[2:]),
                                                    ab.reshape(-1, *ab.shape[2:]),
                                                    truth.reshape(-1, *truth.shape[2:]), strict=True):
            color = compose_lab(frame_lum, np.ascontiguousarray(frame_ab.transpose(1, 2, 0)))
            gray = compose_lab(frame_lum, np.zeros((*frame_lum.shape, 2), np.float32))
            for suffix, output in (("", color), ("_gray", gray)):
                scores["psnr" + suffix].append(float(psnr(output, frame_truth)))
                scores["ssim" + suffix].append(float(ssim(output, frame_truth)))
            if len(panels) < num_images:
                panels.append(side_by_side([("gray", gray), ("predicted", color), ("truth", frame_truth)]))
    return {name: float(np.mean(values)) for name, values in scores.items()}, panels

