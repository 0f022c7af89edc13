"""The rendered scene of :mod:`colorize.geometry.synthetic`, rendered once per session (about 2 s)."""

from pathlib import Path

import numpy as np
import pytest

from colorize.color import luminance_to_uint8, rgb_to_lab
from colorize.geometry import SyntheticVideo, render_video
from colorize.propagation import Keyframe


@pytest.fixture(scope="session")
def synthetic_video() -> SyntheticVideo:
    """48 frames of 160x120 with exact depth, intrinsics and poses."""
    return render_video((120, 160), 48)


@pytest.fixture(scope="session")
def synthetic_lab(synthetic_video) -> tuple[Keyframe, list[np.ndarray], list[np.ndarray]]:
    """Frame 0 as a keyframe with its true colours, every frame's (H, W) uint8 luminance and (H, W, 3) Lab."""
    labs = [rgb_to_lab(frame) for frame in synthetic_video.rgb]
    lums = [luminance_to_uint8(lab[..., 0]) for lab in labs]
    return Keyframe(0, lums[0], labs[0][..., 1:].copy()), lums, labs


@pytest.fixture(scope="session")
def tiny_depth_model(tmp_path_factory) -> Path:
    """A folder with a randomly initialised Depth Anything (DINOv2 backbone, about 140k parameters) and its
    image processor, written by ``save_pretrained``: what ``MonocularDepth`` loads, without a download."""
    import torch
    from transformers import DepthAnythingConfig, DepthAnythingForDepthEstimation, Dinov2Config, DPTImageProcessor

    folder = tmp_path_factory.mktemp("tiny_depth")
    backbone = Dinov2Config(hidden_size=32, num_hidden_layers=4, num_attention_heads=2, intermediate_size=37,
                            image_size=56, patch_size=14, out_features=["stage1", "stage2", "stage3", "stage4"],
                            reshape_hidden_states=False)
    config = DepthAnythingConfig(backbone_config=backbone, reassemble_hidden_size=32, neck_hidden_sizes=[8, 16, 32, 32],
                                 fusion_hidden_size=16, head_hidden_size=8)
    torch.manual_seed(0)
    DepthAnythingForDepthEstimation(config).save_pretrained(folder)
    processor = DPTImageProcessor(size={"height": 56, "width": 56}, keep_aspect_ratio=True, ensure_multiple_of=14)
    processor.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_segmentation_model(tmp_path_factory) -> Path:
    """A folder with a randomly initialised UperNet (ConvNeXt backbone, about 100k parameters, 5 classes) and its
    image processor, as ``save_pretrained`` writes them."""
    import torch
    from transformers import ConvNextConfig, SegformerImageProcessor, UperNetConfig, UperNetForSemanticSegmentation

    folder = tmp_path_factory.mktemp("tiny_upernet")
    backbone = ConvNextConfig(hidden_sizes=[8, 16, 32, 64], depths=[1, 1, 1, 1],
                              out_features=["stage1", "stage2", "stage3", "stage4"])
    config = UperNetConfig(backbone_config=backbone, hidden_size=16, use_auxiliary_head=False, num_labels=5)
    torch.manual_seed(0)
    UperNetForSemanticSegmentation(config).save_pretrained(folder)
    SegformerImageProcessor(size={"height": 64, "width": 64}).save_pretrained(folder)
    return folder
