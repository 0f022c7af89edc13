"""SSIM (Wang et al. 2004) per frame and per video, computed by torchmetrics on [0, 1] RGB.

Reference: Z. Wang, A. C. Bovik, H. R. Sheikh, E. P. Simoncelli, "Image quality assessment: from error visibility
to structural similarity", IEEE TIP 2004.
"""

import numpy as np
import torch
from torchmetrics.functional.image import structural_similarity_index_measure

from colorize.metrics._frames import ArrayLike, as_video, check_same_shape, reduce

_SIGMA = 1.5
_CHUNK = 8  # frames per torchmetrics call; bounds memory on long 480p clips


def ssim(output: ArrayLike, target: ArrayLike, reduction: str = "mean",
         device: str | torch.device = "cpu") -> float | np.ndarray:
    """Mean SSIM over the three RGB channels, per frame.

    Wang et al.'s settings: Gaussian window σ = 1.5 (11 × 11), K1 = 0.01, K2 = 0.03, data range 1, and the
    SSIM map averaged over the pixels whose window lies inside the image (the paper's 'valid' filtering; a
    5-pixel border is left out). This equals ``skimage.metrics.structural_similarity(target, output,
    channel_axis=-1, data_range=1, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)``.
    torchmetrics would average over the reflect-padded border too, so its full SSIM map is cropped here.

    Args:
        output: an RGB frame (H, W, 3) or video (T, H, W, 3), uint8 or float in [0, 1]; H, W ≥ 11.
        target: the ground truth, same shape as ``output``.
        reduction: ``"mean"`` averages over frames; ``"none"`` returns the (T,) per-frame values.
        device: where torchmetrics runs (float32; about 0.4 s per 512 × 512 frame on two CPU cores).
    """
    output, target = as_video(output, "output"), as_video(target, "target")
    check_same_shape(output, target)
    if min(output.shape[1:3]) < 11:
        raise ValueError(f"SSIM needs frames of at least 11 x 11 pixels, got {output.shape[1:3]}")
    pad = int(3.5 * _SIGMA + 0.5)  # torchmetrics' and skimage's Gaussian radius: 5 for σ = 1.5
    values = []
    for start in range(0, len(output), _CHUNK):
        preds, truth = (_to_tensor(v[start:start + _CHUNK], device) for v in (output, target))
        _, full = structural_similarity_index_measure(
            preds, truth, gaussian_kernel=True, sigma=_SIGMA, data_range=1.0, reduction="none",
            return_full_image=True,
        )
        values.append(full[..., pad:-pad, pad:-pad].double().mean(dim=(1, 2, 3)).cpu())
    return reduce(torch.cat(values).numpy(), reduction)


def _to_tensor(video: np.ndarray, device: str | torch.device) -> torch.Tensor:
    """(T, 3, H, W) float32 in [0, 1] on ``device`` from a checked (T, H, W, 3) video; uint8 frames travel as uint8
    and are converted there (a quarter of the transfer, and no NumPy pass on one core)."""
    source = torch.from_numpy(np.require(video, requirements="W"))  # torch warns on read-only arrays
    frames = torch.empty(video.shape, dtype=source.dtype, device=device)
    frames.copy_(source)  # fresh strides: a frame given alone has a zero-stride time axis, and torchmetrics then ran
    frames = frames.permute(0, 3, 1, 2)  # 3x slower on the CPU
    return frames.float().div_(255.0) if video.dtype == np.uint8 else frames.float()
