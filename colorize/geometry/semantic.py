"""Semantic segmentation of frames through ``transformers`` (UperNet by default), with labels smoothed over time.

:class:`SemanticSegmentationProcessor` is the pipeline stage: it sets ``frame.semantic_mask`` ((H, W) int32 class
ids, ADE20K's 150 classes for the default model). Class probabilities are averaged over frames with an
exponential moving average at the model's resolution (``momentum`` is the previous frames' weight), so labels do
not flicker where the model hesitates; call :meth:`reset` at a scene cut. The average is not motion-compensated:
fast motion keeps a short trail of the previous labels.
"""

import logging
from pathlib import Path

import numpy as np

from colorize.geometry.frame import VideoFrame
from colorize.models.loading import load_pretrained

logger = logging.getLogger(__name__)

DEFAULT_SEGMENTATION_MODEL = "openmmlab/upernet-convnext-small"


class SemanticSegmentationProcessor:
    """``processor(frame)`` sets ``frame.semantic_mask``; frames are taken from ``rgb``, else ``gray``."""

    def __init__(self, source: str = DEFAULT_SEGMENTATION_MODEL, momentum: float = 0.5, device: str = "cpu",
                 cache: Path | None = None) -> None:
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        try:
            from transformers import AutoImageProcessor, AutoModelForSemanticSegmentation
        except ModuleNotFoundError as err:
            raise ModuleNotFoundError("semantic segmentation needs transformers: "
                                      "pip install 'colorize-video[models]'") from err
        self.model = load_pretrained(AutoModelForSemanticSegmentation.from_pretrained, source, "segmentation model",
                                     cache)
        self.model.to(device).eval()
        self.processor = load_pretrained(AutoImageProcessor.from_pretrained, source, "segmentation model", cache)
        self.momentum, self.device = momentum, device
        self._average = None

    def reset(self) -> None:
        """Forget the previous frames (at a scene cut)."""
        self._average = None

    def __call__(self, frame: VideoFrame) -> VideoFrame:
        import torch

        image = frame.rgb if frame.rgb is not None else frame.gray
        if image is None:
            raise ValueError(f"frame {frame.index} has neither rgb nor gray")
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=2)
        inputs = self.processor(images=image, return_tensors="pt").to(self.device)
        with torch.no_grad():
            probabilities = self.model(**inputs).logits.float().softmax(dim=1)
        if self._average is not None and self._average.shape == probabilities.shape:
            probabilities = self.momentum * self._average + (1.0 - self.momentum) * probabilities
        self._average = probabilities
        resized = torch.nn.functional.interpolate(probabilities, size=image.shape[:2], mode="bilinear",
                                                  align_corners=False)
        frame.semantic_mask = resized[0].argmax(dim=0).to(torch.int32).cpu().numpy()
        return frame
