"""Monocular depth through ``transformers``: any depth-estimation model id or local folder.

The default, ``LiheYoung/depth-anything-small-hf``, is a *relative* model: it predicts affine-invariant inverse
depth (larger is nearer, unknown scale and shift), which orders surfaces but cannot be reprojected as metres.
Models whose config says ``depth_estimation_type="metric"`` (e.g. the Depth Anything V2 metric checkpoints)
predict metres; :attr:`MonocularDepth.metric` tells which. Weights come through
:func:`colorize.models.loading.load_pretrained` (cache first, one-line error with the fetch command).
"""

import logging
from pathlib import Path

import numpy as np

from colorize.models.loading import load_pretrained

logger = logging.getLogger(__name__)

DEFAULT_DEPTH_MODEL = "LiheYoung/depth-anything-small-hf"


class MonocularDepth:
    """``depth(frame)``: (H, W) float32 prediction for an (H, W) gray or (H, W, 3) RGB uint8 frame, at its size."""

    def __init__(self, source: str = DEFAULT_DEPTH_MODEL, device: str = "cpu", cache: Path | None = None) -> None:
        try:
            from transformers import AutoImageProcessor, AutoModelForDepthEstimation
        except ModuleNotFoundError as err:
            raise ModuleNotFoundError("monocular depth needs transformers: "
                                      "pip install 'colorize-video[models]'") from err
        self.source = source
        self.model = load_pretrained(AutoModelForDepthEstimation.from_pretrained, source, "depth model", cache)
        self.model.to(device).eval()
        self.processor = load_pretrained(AutoImageProcessor.from_pretrained, source, "depth model", cache)
        self.device = device

    @property
    def metric(self) -> bool:
        """True when the model predicts metres; False for relative inverse depth."""
        return getattr(self.model.config, "depth_estimation_type", "relative") == "metric"

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        import torch

        if frame.ndim == 2:
            frame = np.repeat(frame[..., None], 3, axis=2)  # black-and-white input: the model expects RGB
        if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
            raise ValueError(f"expected an (H, W) or (H, W, 3) uint8 frame, got {frame.shape} {frame.dtype}")
        inputs = self.processor(images=frame, return_tensors="pt").to(self.device)
        with torch.no_grad():
            outputs = self.model(**inputs)
        depth = self.processor.post_process_depth_estimation(outputs, target_sizes=[frame.shape[:2]])[0]
        return depth["predicted_depth"].float().cpu().numpy()
