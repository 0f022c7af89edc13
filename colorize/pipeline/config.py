"""Settings of the standalone program; the YAML twin is ``configs/pipeline/colorization.yaml``."""

from dataclasses import dataclass, field
from typing import Any

from colorize.choices import DEVICES, GUIDANCE_SCALE, INFERENCE_STEPS, SEMANTIC_MODELS
from colorize.config import ConfigError
from colorize.geometry.depth import DEFAULT_DEPTH_MODEL
from colorize.geometry.instances import SegmentTrackerConfig
from colorize.geometry.segments import SegmentChromaConfig
from colorize.propagation.video import PropagationConfig
from colorize.temporal.stabilizer import StabilizerConfig

# The seed's `colorization:` block: its keys -> these settings (dotted), besides depth_conditioning and
# semantic_consistency, which switch the geometry and semantic stages (PipelineConfig.rewrite_keys).
SEED_KEYS = {"colorization_model": "colorization_model", "inference_steps": "inference_steps",
             "guidance_scale": "guidance_scale", "temporal_weight": "temporal_weight",
             "depth_model": "geometry.depth_model", "semantic_model": "semantic.model"}
GEOMETRY_SOURCES = ("none", "vipe", "depth-model")  # or folder:PATH


@dataclass
class OutputConfig:
    save_frames: bool = True  # frames/: the grayscale input frames, PNG
    save_colorized_frames: bool = True  # colorized_frames/: lossless PNG per frame
    visualization: bool = True  # visualization/: side-by-side video and contact sheet
    contact_sheet_frames: int = 6  # rows of the contact sheet, spread evenly over the video
    crf: int = 16  # H.264 quality of the output videos (lower is better; 16 with veryfast ≈ 18 with medium)
    preset: str = "veryfast"  # x264 speed preset; veryfast encodes 2.3x faster than medium (see VideoWriter)
    checkpoint_every: int = 100  # frames between checkpoints a killed run resumes from (0: none; README "Long runs")

    def __post_init__(self) -> None:
        if self.checkpoint_every < 0:
            raise ValueError(f"checkpoint_every must be >= 0, got {self.checkpoint_every}")


@dataclass
class GeometryConfig:
    """3D guidance (README "3D guidance"). Camera poses (ViPE, or a depth folder with poses.npz) turn on reprojection
    in propagation (settings: ``propagation.reprojection``); depth alone gives depth maps and camera-space clouds."""

    source: str = "none"  # none | vipe | depth-model | folder:PATH
    vipe_dir: str = "vipe_results"  # ViPE's output folder (relative to the current directory, as `vipe infer`'s)
    run_vipe: bool = True  # run `vipe infer` first when the video has no output there and ViPE is installed
    depth_model: str = DEFAULT_DEPTH_MODEL  # depth-model: a transformers depth-estimation model id or folder
    fov_degrees: float = 60.0  # horizontal field of view assumed where no intrinsics are known
    depth_maps: bool = True  # depth_maps/: 16-bit PNG per frame, color-mapped previews, camera files
    point_cloud_every: int = 10  # point_clouds/: a PLY of every n-th frame, at the working size (0: none)

    def __post_init__(self) -> None:
        if self.source not in GEOMETRY_SOURCES and not (self.source.startswith("folder:") and self.source[7:]):
            raise ValueError(f"geometry source must be one of {', '.join(GEOMETRY_SOURCES)}, folder:PATH; got "
                             f"{self.source!r}")
        if not 0.0 < self.fov_degrees < 180.0:
            raise ValueError(f"fov_degrees must be in (0, 180), got {self.fov_degrees}")
        if self.point_cloud_every < 0:
            raise ValueError(f"point_cloud_every must be >= 0, got {self.point_cloud_every}")


@dataclass
class SemanticConfig:
    """Semantic segmentation of every frame, its segments tracked over each shot, and their chroma consistency."""

    model: str = "none"  # none | upernet (openmmlab/upernet-convnext-small) | a transformers segmentation model
    momentum: float = 0.5  # label smoothing over time: weight of the previous frames' class probabilities, [0, 1)
    masks: bool = True  # semantic_masks/: label PNG per frame (class ids), at the working size
    tracking: SegmentTrackerConfig = field(default_factory=SegmentTrackerConfig)
    consistency: SegmentChromaConfig = field(default_factory=SegmentChromaConfig)

    def __post_init__(self) -> None:
        if not self.model:
            raise ValueError(f"semantic model must be one of {', '.join(SEMANTIC_MODELS)} or a model id")
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"semantic momentum must be in [0, 1), got {self.momentum}")


@dataclass
class PipelineConfig:
    device: str = "auto"  # auto | cpu | cuda (propagation itself runs on the CPU with OpenCV)
    # The colorizer: a model id of colorize.models (propagation, stable_diffusion_inpaint, stable_diffusion_xl,
    # controlnet_colorization, unet), a Hugging Face id or a local folder; models other than propagation go through
    # the temporal stabilizer (temporal_weight, temporal_lookahead). enhanced_inference.py reads the same YAML.
    colorization_model: str = "propagation"
    inference_steps: int = INFERENCE_STEPS  # diffusion denoising steps
    guidance_scale: float = GUIDANCE_SCALE  # classifier-free guidance of the prompt (1: off)
    temporal_weight: float = StabilizerConfig.temporal_weight  # 0..1: most of the previous chroma the stabiliser keeps
    temporal_lookahead: int = 8  # frames the stabiliser sees before writing one (0: causal, frame by frame)
    propagation: PropagationConfig = field(default_factory=PropagationConfig)
    geometry: GeometryConfig = field(default_factory=GeometryConfig)
    semantic: SemanticConfig = field(default_factory=SemanticConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ValueError(f"device must be one of {DEVICES}, got {self.device!r}")
        if not self.colorization_model:
            raise ValueError("colorization_model must not be empty")
        if self.inference_steps < 1:
            raise ValueError(f"inference_steps must be at least 1, got {self.inference_steps}")
        if self.guidance_scale < 0:
            raise ValueError(f"guidance_scale must be >= 0, got {self.guidance_scale}")
        if not 0.0 <= self.temporal_weight <= 1.0:
            raise ValueError(f"temporal_weight must be in [0, 1], got {self.temporal_weight}")
        if self.temporal_lookahead < 0:
            raise ValueError(f"temporal_lookahead must be >= 0, got {self.temporal_lookahead}")

    def stabilizer_config(self) -> StabilizerConfig:
        """The temporal stabilizer's settings (``temporal_weight``, ``temporal_lookahead``)."""
        return StabilizerConfig(temporal_weight=self.temporal_weight, lookahead=self.temporal_lookahead)

    @classmethod
    def rewrite_keys(cls, data: dict[str, Any], where: str) -> dict[str, Any]:
        """The seed's ``colorization:`` block mapped onto these settings (see :data:`SEED_KEYS`).

        ``depth_conditioning: true`` turns on depth maps from ``depth_model`` (geometry source ``depth-model``,
        unless a geometry source is set), ``false`` turns geometry off; ``semantic_consistency: true`` runs
        ``semantic_model`` (default upernet) with segment consistency, ``false`` turns it off. A key given both
        in the block and in its place with different values is an error.
        """
        block = data.pop("colorization", None)
        if block is None:
            return data
        if not isinstance(block, dict):
            raise ConfigError(f"{where}.colorization: expected a mapping, got {type(block).__name__}")
        unknown = sorted(set(block) - set(SEED_KEYS) - {"depth_conditioning", "semantic_consistency"})
        if unknown:
            raise ConfigError(f"{where}.colorization: unknown key(s) {', '.join(unknown)}; known keys: "
                              f"{', '.join([*SEED_KEYS, 'depth_conditioning', 'semantic_consistency'])}")
        mapped = {SEED_KEYS[key]: value for key, value in block.items() if key in SEED_KEYS}
        switches = {"depth_conditioning": ("geometry.source", "depth-model"),
                    "semantic_consistency": ("semantic.model", "upernet")}
        for key, (dotted, default) in switches.items():
            if key in block:
                section, leaf = dotted.split(".")
                current = mapped.get(dotted, (data.get(section) or {}).get(leaf, "none"))
                on = block[key] is True
                mapped[dotted] = (current if current != "none" else default) if on else "none"
        for dotted, value in mapped.items():
            node = data
            *parents, leaf = dotted.split(".")
            for key in parents:
                if node.get(key) is None:
                    node[key] = {}
                node = node[key]
                if not isinstance(node, dict):
                    raise ConfigError(f"{where}.{key}: expected a mapping, got {type(node).__name__}")
            if leaf in node and node[leaf] != value:
                raise ConfigError(f"{where}: colorization block sets {dotted} to {value!r}, the file to "
                                  f"{node[leaf]!r}")
            node[leaf] = value
        return data
