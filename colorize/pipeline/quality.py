"""Quality figures of a run against known true colors: PSNR and SSIM per frame, summarised for run.json."""

import numpy as np

from colorize.metrics import psnr, ssim


class QualityMeter:
    """Accumulates per-frame PSNR (dB) and SSIM of the output against the ground truth.

    Keyframe frames (whose colors were given) are reported separately too: averages over the other frames
    say how well colors were *propagated*.
    """

    def __init__(self, keyframes: set[int], device: str = "cpu") -> None:
        self.keyframes = keyframes
        self.device = device  # where SSIM runs (0.5 s a 1280x720 frame on two CPU cores)
        self.psnr: list[float] = []
        self.ssim: list[float] = []

    def update(self, index: int, output: np.ndarray, truth: np.ndarray) -> None:
        """``output``/``truth``: (H, W, 3) uint8 RGB frames ``index`` (frames arrive in order)."""
        self.psnr.append(float(psnr(output, truth)))
        self.ssim.append(float(ssim(output, truth, device=self.device)))

    def compute(self) -> dict:
        propagated = [i for i in range(len(self.psnr)) if i not in self.keyframes]
        return {
            "psnr": _mean(self.psnr), "ssim": _mean(self.ssim),
            "psnr_propagated_frames": _mean([self.psnr[i] for i in propagated]),
            "ssim_propagated_frames": _mean([self.ssim[i] for i in propagated]),
            "per_frame": {"psnr": [round(v, 3) for v in self.psnr], "ssim": [round(v, 5) for v in self.ssim]},
        }


def _mean(values: list[float]) -> float | None:
    finite = [v for v in values if np.isfinite(v)]
    return round(float(np.mean(finite)), 4) if finite else None
