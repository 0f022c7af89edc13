"""colorize: temporally consistent colorization of black-and-white video.

The color model is CIE Lab: the input luminance is kept, colorizers predict only the chroma (a, b).
Heavy entry points are imported on first use, so ``import colorize`` stays light.
"""

import importlib
import importlib.metadata
from typing import TYPE_CHECKING, Any

try:
    __version__ = importlib.metadata.version("colorize-video")
except importlib.metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:
    from colorize.assess import PretrainedModelAssessor
    from colorize.datasets import VideoColorizationDataset
    from colorize.inference import EnhancedColorizationInference
    from colorize.pipeline import PipelineConfig, VideoColorizationPipeline
    from colorize.training import ColorizationTrainer

_LAZY = {
    "VideoColorizationPipeline": "colorize.pipeline",
    "PipelineConfig": "colorize.pipeline",
    "PretrainedModelAssessor": "colorize.assess",
    "EnhancedColorizationInference": "colorize.inference",
    "ColorizationTrainer": "colorize.training",
    "VideoColorizationDataset": "colorize.datasets",
}

__all__ = ["VideoColorizationPipeline", "PipelineConfig", "PretrainedModelAssessor", "EnhancedColorizationInference",
           "ColorizationTrainer",
           "VideoColorizationDataset", "__version__"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        return getattr(module, name)
    raise AttributeError(f"module 'colorize' has no attribute {name!r}")
