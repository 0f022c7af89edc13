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
    propagation: PropagationConfig = field(default_factory=PropagationConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ValueError(f"device must be one of {DEVICES}, got {self.device!r}")
