"""Dense optical flow with OpenCV's DIS (Kroeger et al., ECCV 2016).

Convention used throughout colorize: ``flow = compute_flow(a, b)`` is (H, W, 2) float32 in pixels, (dx, dy),
such that ``a[y, x] ≈ b[y + dy, x + dx]``. So ``warp(b, flow)`` brings ``b`` into alignment with ``a``.
"""

from dataclasses import dataclass

import cv2
import numpy as np

# name -> (OpenCV preset, DIS parameters set on top of it)
_PRESETS = {
    "ultrafast": (cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST, {}),
    "fast": (cv2.DISOPTICAL_FLOW_PRESET_FAST, {}),
    "medium": (cv2.DISOPTICAL_FLOW_PRESET_MEDIUM, {}),
    # The patch search carried down to full resolution (``medium`` stops at half and refines variationally, which
    # smooths the flow across fine texture), with sparser patches and no variational refinement to pay for it.
    # Better and faster than ``medium`` for propagation (benchmarks/README.md).
    "fine": (cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST,
             {"FinestScale": 0, "PatchStride": 6, "GradientDescentIterations": 12,
              "VariationalRefinementIterations": 0}),
}


# OpenCV's DIS refuses or crashes (segmentation fault) on images with fewer rows or columns than this, depending on
# the preset (ultrafast under 32 rows, medium under 16; measured with opencv-contrib 5.1 on sizes 8-64 x 40-1000).
_DIS_MIN_SIDE = 32


@dataclass
class FlowConfig:
    preset: str = "medium"  # DIS preset: ultrafast | fast | medium (OpenCV's) | fine (see _PRESETS)
    max_side: int = 640  # flow is computed with the longer image side at most this many pixels
    patch_stride: int | None = None  # DIS patches every this many pixels (px), instead of the preset's

    def __post_init__(self) -> None:
        if self.preset not in _PRESETS:
            raise ValueError(f"unknown DIS preset {self.preset!r}; choose one of {sorted(_PRESETS)}")
        if self.patch_stride is not None and self.patch_stride < 1:
            raise ValueError(f"patch_stride must be at least 1, got {self.patch_stride}")


class DISFlow:
    """Reusable DIS estimator (creating one per call costs more than small flows themselves)."""

    def __init__(self, config: FlowConfig | None = None) -> None:
        self.config = config or FlowConfig()
        preset, parameters = _PRESETS[self.config.preset]
        self._dis = cv2.DISOpticalFlow_create(preset)
        if self.config.patch_stride is not None:
            parameters = {**parameters, "PatchStride": self.config.patch_stride}
        for name, value in parameters.items():
            getattr(self._dis, f"set{name}")(value)

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Flow from ``a`` to ``b``: both (H, W) uint8 luminance. Returns (H, W, 2) float32 pixels."""
        if a.shape != b.shape or a.ndim != 2:
            raise ValueError(f"expected two (H, W) images of one size, got {a.shape} and {b.shape}")
        a, b = _as_uint8(a), _as_uint8(b)
        height, width = a.shape
        scale = min(1.0, self.config.max_side / max(height, width))
        if scale == 1.0:
            return self._calc(a, b)
        size = (max(8, round(width * scale)), max(8, round(height * scale)))
        small = self._calc(cv2.resize(a, size, interpolation=cv2.INTER_AREA),
                           cv2.resize(b, size, interpolation=cv2.INTER_AREA))
        return resize_flow(small, (height, width))

    def _calc(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """DIS on ``a``, ``b``; a side under ``_DIS_MIN_SIDE`` is padded (edges replicated) and the flow cropped back."""
        height, width = a.shape
        if min(height, width) >= _DIS_MIN_SIDE:
            return self._dis.calc(a, b, None)
        pad = (0, max(0, _DIS_MIN_SIDE - height), 0, max(0, _DIS_MIN_SIDE - width))
        a, b = (cv2.copyMakeBorder(image, *pad, cv2.BORDER_REPLICATE) for image in (a, b))
        return np.ascontiguousarray(self._dis.calc(a, b, None)[:height, :width])


def compute_flow(a: np.ndarray, b: np.ndarray, config: FlowConfig | None = None) -> np.ndarray:
    """One-off flow from ``a`` to ``b`` ((H, W) uint8 each); see :class:`DISFlow` for repeated use."""
    return DISFlow(config)(a, b)


def resize_flow(flow: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize (h, w, 2) flow to ``size`` = (H, W), scaling the vectors by the same factors."""
    height, width = size
    out = cv2.resize(flow, (width, height), interpolation=cv2.INTER_LINEAR)
    out[..., 0] *= width / flow.shape[1]
    out[..., 1] *= height / flow.shape[0]
    return out


def _as_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return np.ascontiguousarray(image)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)
