"""Loading pretrained weights through ``from_pretrained``, and telling whether they are on disk at all.

A *source* is a Hugging Face model id (``stable-diffusion-v1-5/stable-diffusion-inpainting``) or a local folder
written by ``save_pretrained``. Ids are looked up in the local Hugging Face cache (``HF_HUB_CACHE``, by default
``~/.cache/huggingface/hub``); weights found there are loaded without touching the network, and offline
(``HF_HUB_OFFLINE=1``) nothing else is tried. Weights that are neither cached nor downloadable give a
:class:`MissingWeightsError` whose one line names the model, the cache and the command that fetches them.
"""

import functools
import json
import logging
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from colorize.errors import ColorizeError, InputError

logger = logging.getLogger(__name__)

T = TypeVar("T")

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt")
# Pipeline components a colorizer does not load (model_index.json may list them without their folder being there).
UNUSED_COMPONENTS = frozenset({"safety_checker", "feature_extractor", "image_encoder"})
# What diffusers' from_pretrained reads of a pipeline or model repository (configs, tokenizer files, safetensors
# weights), as `hf download --include` patterns: not the single-file checkpoints, fp16 / non-EMA variants and .bin
# copies beside them (SD 1.5 holds 7.7 GB of those), nor the safety checker (1.2 GB), which colorizers never load.
DIFFUSERS_FILES = ("*.json", "*.txt", "*diffusion_pytorch_model.safetensors", "*/model.safetensors")
DIFFUSERS_SKIPPED = ("safety_checker/*",)


class MissingWeightsError(ColorizeError):
    """Weights are neither in the local cache nor downloadable; the message says how to fetch them."""


def fetch_command(repo_id: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> str:
    """The shell command that puts ``repo_id`` into the Hugging Face cache: the files matching ``include`` and not
    ``exclude`` (glob patterns; all files when ``include`` is empty)."""
    flags = [f'--include "{pattern}"' for pattern in include] + [f'--exclude "{pattern}"' for pattern in exclude]
    return " ".join(["hf download", repo_id, *flags])


def cache_dir() -> Path:
    """The Hugging Face hub cache in use (``HF_HUB_CACHE`` / ``HF_HOME``, read when huggingface_hub is imported)."""
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def is_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` is set: the hub is never contacted."""
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def is_local(source: str) -> bool:
    """True when ``source`` names a path (it exists, or starts with /, ., ~) rather than a hub id."""
    return source.startswith(("/", ".", "~")) or Path(source).exists()


def missing_parts(folder: Path) -> list[str]:
    """What a diffusers/transformers folder lacks: listed components without a folder, configs without weights.

    Empty for a complete folder. A folder with neither ``model_index.json`` nor ``config.json`` lacks
    ``model_index.json``.
    """
    if not folder.is_dir():
        return [str(folder)]
    index = folder / "model_index.json"
    if not index.is_file() and not (folder / "config.json").is_file():
        return ["model_index.json"]
    missing = []
    if index.is_file():
        listed = json.loads(index.read_text())
        missing += [name for name, value in listed.items() if not name.startswith("_") and isinstance(value, list)
                    and value[0] is not None and name not in UNUSED_COMPONENTS and not (folder / name).is_dir()]
    for config in folder.glob("**/config.json"):
        if not any(path.suffix in WEIGHT_SUFFIXES for path in config.parent.iterdir()):
            missing.append(f"{config.parent.relative_to(folder)}/ weights")
    return missing


def cached_snapshot(repo_id: str, cache: Path | None = None) -> Path | None:
    """The folder of ``repo_id``'s cached snapshot (main revision) if it is complete, else None. No network."""
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HFValidationError
    except ModuleNotFoundError:  # a base install without the "models" extra has no cache to look in
        return None

    try:
        folder = Path(snapshot_download(repo_id, cache_dir=cache or cache_dir(), local_files_only=True))
    except (OSError, HFValidationError):  # LocalEntryNotFoundError is an OSError
        return None
    missing = missing_parts(folder)
    if missing:
        logger.info("%s is only partly in the cache (%s missing): treated as absent", repo_id, ", ".join(missing))
        return None
    return folder


def weights_present(source: str, cache: Path | None = None) -> bool:
    """True when ``source`` (hub id or local path) can be loaded without the network."""
    if is_local(source):
        path = Path(source).expanduser()
        return path.is_file() or (path.is_dir() and not missing_parts(path))
    return cached_snapshot(source, cache) is not None


def load_pretrained(load: Callable[..., T], source: str, model: str, cache: Path | None = None, fetch: str = "",
                    **kwargs) -> T:
    """``load(source, **kwargs)`` for a ``from_pretrained`` method, with one-line errors.

    Args:
        load: e.g. ``StableDiffusionInpaintPipeline.from_pretrained`` or ``ControlNetModel.from_pretrained``.
        source: hub id or local folder.
        model: the model's name in this project, for messages (e.g. ``"controlnet_colorization"``).
        cache: the Hugging Face cache; default :func:`cache_dir`.
        fetch: the command the error message gives to fetch the weights; default ``hf download <source>``
            (a model made of several repositories names them all).

    Raises:
        InputError: a local folder that does not exist or cannot be loaded.
        MissingWeightsError: a hub id that is not in the cache and cannot be downloaded.
    """
    if is_local(source):
        path = Path(source).expanduser()
        if not path.exists():
            raise InputError(f"{model}: model folder not found: {path}")
        try:
            return load(str(path), **kwargs)
        except (OSError, ValueError) as err:
            raise InputError(f"{model}: cannot load {path}: {_one_line(err)}") from err
    cache = cache or cache_dir()
    cached = cached_snapshot(source, cache) is not None
    offline = is_offline()
    if not cached and not offline:
        logger.info("%s: %s is not in %s: downloading it", model, source, cache)
    try:
        with warnings.catch_warnings():  # diffusers passes an argument huggingface_hub >= 1 only warns about
            warnings.filterwarnings("ignore", message="The `local_dir_use_symlinks` argument is deprecated")
            return load(source, cache_dir=cache, local_files_only=cached or offline, **kwargs)
    except (OSError, ValueError) as err:  # hub errors (LocalEntryNotFoundError, HTTP errors) are OSErrors
        logger.debug("%s: loading %s failed", model, source, exc_info=True)
        if cached:
            raise InputError(f"{model}: cannot load {source} from the cache {cache}: {_one_line(err)}") from err
        why = "offline mode (HF_HUB_OFFLINE) is on" if offline else f"downloading failed ({_one_line(err)})"
        raise MissingWeightsError(
            f"{model}: weights of {source} are not in the local Hugging Face cache ({cache}) and {why}; fetch them "
            f"with `{fetch or fetch_command(source)}` (HF_HUB_CACHE or HF_HOME choose the cache) or give a local folder"
        ) from err


def snapshot_folder(repo_id: str, model: str, cache: Path | None = None) -> Path:
    """The folder of hub id ``repo_id`` in the Hugging Face cache: taken from the cache without the network, else
    downloaded (only :data:`DIFFUSERS_FILES`) unless offline; MissingWeightsError with the ``hf download`` line."""
    from huggingface_hub import snapshot_download

    download = functools.partial(snapshot_download, allow_patterns=list(DIFFUSERS_FILES),
                                 ignore_patterns=list(DIFFUSERS_SKIPPED))
    fetch = fetch_command(repo_id, DIFFUSERS_FILES, DIFFUSERS_SKIPPED)
    return Path(load_pretrained(download, repo_id, model, cache, fetch))


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text[:200] + ("..." if len(text) > 200 else "") if text else type(err).__name__
