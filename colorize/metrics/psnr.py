"""PSNR per frame and per video, computed by torchmetrics on [0, 1] RGB."""

import numpy as np
import torch
from torchmetrics.functional.image import peak_signal_noise_ratio

from colorize.metrics._frames import ArrayLike, as_video, check_same_shape, reduce, to_float

_CHUNK = 16  # frames converted to float64 at a time


def psnr(output: ArrayLike, target: ArrayLike, reduction: str = "mean") -> float | np.ndarray:
    """Peak signal-to-noise ratio in dB, ``10 log10(1 / MSE)`` with MSE over all pixels and the three channels.

    Args:
        output: an RGB frame (H, W, 3) or video (T, H, W, 3), uint8 or float in [0, 1].
        target: the ground truth, same shape as ``output``.
        reduction: ``"mean"`` averages the per-frame PSNRs (the usual video convention, not the PSNR of the
            pooled MSE); ``"none"`` returns the (T,) per-frame values.

    Returns:
        dB; ``inf`` for a frame identical to its target (as ``skimage.metrics.peak_signal_noise_ratio``).
    """
    output, target = as_video(output, "output"), as_video(target, "target")
    check_same_shape(output, target)
    values = []
    for start in range(0, len(output), _CHUNK):
        preds = torch.from_numpy(to_float(output[start:start + _CHUNK])).permute(0, 3, 1, 2)
        truth = torch.from_numpy(to_float(target[start:start + _CHUNK])).permute(0, 3, 1, 2)
        values.append(peak_signal_noise_ratio(preds, truth, data_range=1.0, reduction="none", dim=(1, 2, 3)))
    return reduce(torch.cat(values).numpy(), reduction)
