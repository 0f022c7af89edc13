"""Settings of the standalone program; the YAML twin is ``configs/pipeline/colorization.yaml``."""

from dataclasses import dataclass, field

from colorize.propagation.video import PropagationConfig

DEVICES = ("auto", "cpu", "cuda")


@dataclass
class OutputConfig:
    save_frames: bool = True  # frames/: the grayscale input frames, PNG
    save_colorized_frames: bool = True  # colorized_frames/: lossless PNG per frame
    visualization: bool = True  # visualization/: side-by-side video and contact sheet
    contact_sheet_frames: int = 6  # rows of the contact sheet, spread evenly over the video
    crf: int = 16  # H.264 quality of the output videos (lower is better; 16 with veryfast ≈ 18 with medium)
    preset: str = "veryfast"  # x264 speed preset; veryfast encodes 2.3x faster than medium (see VideoWriter)


@dataclass
class PipelineConfig:
    device: str = "auto"  # auto | cpu | cuda (propagation itself runs on the CPU with OpenCV)
    # The colorizer: a model id of colorize.models (propagation, stable_diffusion_inpaint, stable_diffusion_xl,
    # controlnet_colorization, unet), a Hugging Face id or a local folder. Only propagation runs in this program;
    # the others run in enhanced_inference.py, which reads inference_steps, guidance_scale and temporal_weight
    # (and propagation, output) from the same YAML; depth_conditioning and semantic_consistency are not used yet.
    colorization_model: str = "propagation"
    inference_steps: int = 25  # diffusion denoising steps
    guidance_scale: float = 7.5  # classifier-free guidance of the prompt (1: off)
    temporal_weight: float = 0.8  # 0..1: most of the previous frame's chroma the stabiliser keeps (colorize.temporal)
    depth_conditioning: bool = False  # give the model a depth map of each frame
    semantic_consistency: bool = False  # keep colours consistent within semantic segments
    propagation: PropagationConfig = field(default_factory=PropagationConfig)
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
