"""The interface every colorizer implements: luminance in, chroma out.

A colorizer never changes the luminance: it gets L (CIE Lab, raw scaling, L in [0, 100]) for a batch of frames and
returns only the chroma ab (a, b in about [-128, 127]) at the same size; :func:`colorize.color.compose_lab` puts the
two together. Optional conditions (a color reference, depth, a semantic mask) go in :class:`Conditions`.
"""

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from colorize.choices import DEVICES, GUIDANCE_SCALE, INFERENCE_STEPS, MIXED_PRECISION
from colorize.errors import ColorizeError, InputError

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

CONDITIONS = ("reference", "depth", "semantic")


@dataclass
class ColorizerSettings:
    """How a colorizer runs. Diffusion models use every field; the others ignore what does not apply."""

    device: str = "auto"  # auto | cpu | cuda | cuda:N
    mixed_precision: str = "auto"  # auto (fp16 on CUDA, fp32 on the CPU) | no | fp16 | bf16 (fp16 needs CUDA)
    memory_efficient: bool = False  # model CPU offload (CUDA), VAE tiling, one frame at a time
    inference_steps: int = INFERENCE_STEPS  # denoising steps
    guidance_scale: float = GUIDANCE_SCALE  # classifier-free guidance (1: off)
    strength: float = 0.8  # img2img / inpainting: how much of the gray frame is noised away (0..1]
    seed: int = 0  # every frame starts from the same noise: reproducible, and less flicker between frames
    batch_size: int = 4  # frames generated together
    resolution: int = 512  # generation size: longer side in px, rounded to a multiple of 64
    prompt: str = "a natural color photograph, realistic colors"
    negative_prompt: str = "black and white, grayscale, monochrome, sepia, desaturated"

    def __post_init__(self) -> None:
        if self.device not in DEVICES and not re.fullmatch(r"cuda:\d+", self.device):
            raise ValueError(f"device must be one of {DEVICES} or cuda:N, got {self.device!r}")
        if self.mixed_precision not in MIXED_PRECISION:
            raise ValueError(f"mixed_precision must be one of {MIXED_PRECISION}, got {self.mixed_precision!r}")
        for name in ("inference_steps", "batch_size", "resolution"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0.0 < self.strength <= 1.0:
            raise ValueError(f"strength must be in (0, 1], got {self.strength}")


def resolve_precision(mixed_precision: str, device: str) -> str:
    """The precision a run on ``device`` (``cpu``, ``cuda``, ``cuda:N``) uses: ``"auto"`` -> ``"fp16"`` on CUDA,
    ``"no"`` (float32) on the CPU; others as given."""
    if mixed_precision == "auto":
        return "fp16" if device.startswith("cuda") else "no"
    return mixed_precision


def torch_dtype(mixed_precision: str, device: str) -> "torch.dtype":
    """The weights' dtype: ``"no"`` -> float32, ``"fp16"`` -> float16 (CUDA only), ``"bf16"`` -> bfloat16,
    ``"auto"`` as :func:`resolve_precision` says."""
    import torch

    precision = resolve_precision(mixed_precision, device)
    if precision == "fp16" and not device.startswith("cuda"):
        raise ColorizeError("mixed precision fp16 needs a CUDA GPU; on the CPU use bf16 or no")
    return {"no": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[precision]


@dataclass
class Conditions:
    """Optional inputs besides the luminance; a colorizer uses those it lists in ``Colorizer.uses``."""

    reference: np.ndarray | None = None  # (H, W, 3) uint8 RGB: colors of the batch's first frame (or similar scene)
    depth: np.ndarray | None = None  # (N, H, W) float32, larger is farther, any scale
    semantic: np.ndarray | None = None  # (N, H, W) int32 class index per pixel

    def given(self) -> list[str]:
        """Names of the conditions that are set."""
        return [name for name in CONDITIONS if getattr(self, name) is not None]


@dataclass(frozen=True)
class ModelNeeds:
    """What a model needs to run: weights on disk, a GPU, memory."""

    weights: bool  # weights must be on disk (Hugging Face cache, a local folder or a checkpoint)
    gpu: str  # "no" | "recommended" | "required"
    memory_gib: float | None  # GPU memory at 512 px in fp16 (float32 needs about twice as much); None: unknown
    reference: bool = False  # needs a color reference frame (keyframe propagation)


class Colorizer(ABC):
    """Base class: ``colorize(lum, conditions)`` -> chroma. Subclasses set ``name``, ``needs``, ``device``."""

    name: str
    needs: ModelNeeds
    device: str = "cpu"
    batch_size: int = 1  # frames callers should pass per call (any count works)
    uses: frozenset[str] = frozenset()  # the conditions it takes into account (names from CONDITIONS)

    @abstractmethod
    def colorize(self, lum: np.ndarray, conditions: Conditions | None = None) -> np.ndarray:
        """(N, H, W) float32 L in [0, 100] -> (N, H, W, 2) float32 ab in [-128, 127], same N, H, W."""

    def colorize_clip(self, open_frames: Callable[[], Iterable[np.ndarray]], references: dict[int, np.ndarray],
                      num_frames: int) -> Iterator[np.ndarray] | None:
        """A whole clip from color keyframes ``{index: (H, W, 3) uint8 RGB}``: (H, W, 3) uint8 RGB frames.

        For colorizers that use keyframes anywhere in the clip (keyframe propagation). The default, None, means
        the caller streams the frames through :meth:`colorize` with frame 0's colors
        (:class:`colorize.models.ColorizerModel` does).
        """
        return None

    def memory_bytes(self) -> int:
        """Bytes of weights this colorizer holds (0 for one without weights)."""
        return 0

    def describe(self) -> dict:
        """Its device and needs, for logs and reports."""
        return {"model": self.name, "device": self.device, "weights_mib": round(self.memory_bytes() / 2**20, 1),
                "needs": self.needs}

    def _check(self, lum: np.ndarray, conditions: Conditions | None) -> Conditions:
        """Validate the input (InputError naming the problem); warn about conditions this model ignores."""
        if not isinstance(lum, np.ndarray) or lum.ndim != 3 or lum.size == 0:
            raise InputError(f"{self.name}: expected luminance of shape (N, H, W), got {np.shape(lum)}")
        if lum.min() < 0.0 or lum.max() > 100.0:
            raise InputError(f"{self.name}: luminance must be Lab L in [0, 100], got [{lum.min():.3g}, "
                             f"{lum.max():.3g}]")
        conditions = conditions or Conditions()
        ignored = [name for name in conditions.given() if name not in self.uses]
        if ignored:
            logger.warning("%s does not use %s: ignored", self.name, ", ".join(ignored))
        return conditions
