"""One channel of an EXR file, from its bytes, with whichever OpenEXR Python bindings are installed.

``openexr`` 3.5 and later read a buffer: ``OpenEXR.File(io.BytesIO(data))`` (3.2 has no ``File``; 3.3 and 3.4 have it
but raise TypeError on a buffer). Older bindings, such as the ``OpenEXR<3.3`` that ViPE pins, are read through the
legacy ``OpenEXR.InputFile`` on a temporary file: the API every version has (3.5 keeps it, deprecated). OpenEXR is
imported only when an EXR is read; the OpenCV wheels are built without their EXR codec.
"""

import importlib.metadata
import io
import re
import tempfile
from pathlib import Path

import numpy as np

from colorize.errors import InputError, MissingDependencyError

BUFFER_API = (3, 5)  # the first openexr whose File reads a buffer
INSTALL = "pip install 'colorize-video[vipe]' (or pip install 'openexr>=3.5')"


def decode_exr_depth(data: bytes, source: str, channel: str = "Z") -> np.ndarray:
    """One channel (half, float or uint) of an EXR file's bytes as (H, W) float32: ViPE's depth is ``Z``, metres.
    ``source`` names the file in errors.

    Raises :class:`MissingDependencyError` when OpenEXR is missing or cannot read at all, :class:`InputError` when
    the file is unreadable or lacks the channel; both name the installed OpenEXR version.
    """
    openexr, version = _bindings()
    buffer_api = _major_minor(version) >= BUFFER_API
    if not buffer_api and not hasattr(openexr, "InputFile"):
        raise MissingDependencyError(f"OpenEXR {version} cannot read {source}: it has neither File on a buffer "
                                     f"(openexr>=3.5) nor the legacy InputFile; {INSTALL}")
    try:
        names, pixels = (_read_buffer if buffer_api else _read_legacy)(openexr, data, channel)
    except Exception as err:  # OpenEXR raises bare Exceptions (and OSError) for corrupt files
        raise InputError(f"cannot read EXR {source} with OpenEXR {version}: {err}") from err
    if pixels is None:
        raise InputError(f"{source} has no {channel} channel (channels: {sorted(names)}; OpenEXR {version})")
    return pixels


def _bindings():
    """The OpenEXR module and its version string (``__version__``, else the installed distribution's)."""
    try:
        import OpenEXR
    except ImportError as err:
        raise MissingDependencyError(f"reading EXR depth needs the OpenEXR package: {INSTALL}") from err
    version = getattr(OpenEXR, "__version__", None)
    if not version:
        try:
            version = importlib.metadata.version("openexr")
        except importlib.metadata.PackageNotFoundError:
            version = "of unknown version"
    return OpenEXR, str(version)


def _major_minor(version: str) -> tuple[int, int]:
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _read_buffer(openexr, data: bytes, channel: str) -> tuple[list[str], np.ndarray | None]:
    """openexr >= 3.5: the channel names and the channel's pixels (None when it has no such channel)."""
    channels = openexr.File(io.BytesIO(data)).channels()
    if channel not in channels:
        return list(channels), None
    return list(channels), channels[channel].pixels.astype(np.float32)


def _read_legacy(openexr, data: bytes, channel: str) -> tuple[list[str], np.ndarray | None]:
    """Any version's legacy ``InputFile`` (a file name is what every version takes), pixels converted to float."""
    import Imath

    with tempfile.TemporaryDirectory(prefix="colorize-exr-") as folder:
        path = Path(folder) / "channel.exr"
        path.write_bytes(data)
        exr = openexr.InputFile(str(path))
        try:
            header = exr.header()
            names = list(header["channels"])
            if channel not in names:
                return names, None
            box = header["dataWindow"]
            height, width = box.max.y - box.min.y + 1, box.max.x - box.min.x + 1
            raw = exr.channel(channel, Imath.PixelType(Imath.PixelType.FLOAT))
        finally:
            exr.close()
    return names, np.frombuffer(raw, np.float32).reshape(height, width).copy()
