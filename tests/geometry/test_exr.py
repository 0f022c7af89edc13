"""EXR depth read from bytes through openexr>=3.5's File, and through the legacy InputFile older bindings (ViPE's
OpenEXR<3.3) have: both paths run on the installed bindings, the old ones by making them look old."""

import sys

import numpy as np
import pytest

from colorize.errors import ColorizeError, InputError, MissingDependencyError
from colorize.geometry import decode_exr_depth, read_depth

OpenEXR = pytest.importorskip("OpenEXR")
Imath = pytest.importorskip("Imath")

# Half floats: every value below is exact in float16, so both paths must give it back bit for bit.
DEPTH = (np.arange(12 * 20, dtype=np.float32).reshape(12, 20) * 0.125 + 0.5).astype(np.float16)


def write_exr(path, channels: dict[str, np.ndarray], pixel_type=Imath.PixelType.HALF) -> bytes:
    """An EXR of (H, W) channels written with the legacy OutputFile (every version has it); returns its bytes."""
    height, width = next(iter(channels.values())).shape
    header = OpenEXR.Header(width, height)
    header["channels"] = {name: Imath.Channel(Imath.PixelType(pixel_type)) for name in channels}
    dtype = np.float16 if pixel_type == Imath.PixelType.HALF else np.float32
    exr = OpenEXR.OutputFile(str(path), header)
    exr.writePixels({name: np.ascontiguousarray(values, dtype).tobytes() for name, values in channels.items()})
    exr.close()
    return path.read_bytes()


@pytest.fixture
def depth_exr(tmp_path) -> bytes:
    return write_exr(tmp_path / "depth.exr", {"Z": DEPTH})


@pytest.fixture(params=["file", "input_file"])
def bindings(request, monkeypatch) -> str:
    """Each reading path: the installed bindings (3.5: File on a buffer; InputFile must not be used), or the same made
    to look like 3.2, which has no File at all, as ViPE's pin OpenEXR<3.3 installs (InputFile on a file)."""
    if request.param == "file":
        if tuple(int(part) for part in OpenEXR.__version__.split(".")[:2]) < (3, 5):
            pytest.skip(f"File on a buffer needs openexr>=3.5; {OpenEXR.__version__} is installed")
        monkeypatch.setattr(OpenEXR, "InputFile", None)
    else:
        monkeypatch.setattr(OpenEXR, "__version__", "3.2.4")
        monkeypatch.delattr(OpenEXR, "File", raising=False)
    return request.param


def test_reads_half_depth(depth_exr, bindings):
    depth = decode_exr_depth(depth_exr, "depth.exr")
    assert depth.dtype == np.float32 and depth.shape == (12, 20)
    np.testing.assert_array_equal(depth, DEPTH.astype(np.float32))


def test_3_3_and_3_4_do_not_call_file_on_a_buffer(depth_exr, monkeypatch):
    def file_without_buffers(source, *args):  # what 3.3 and 3.4 do with a BytesIO
        raise TypeError(f"File(): incompatible constructor arguments: {type(source).__name__}")

    monkeypatch.setattr(OpenEXR, "__version__", "3.4.1")
    monkeypatch.setattr(OpenEXR, "File", file_without_buffers)
    np.testing.assert_array_equal(decode_exr_depth(depth_exr, "depth.exr"), DEPTH.astype(np.float32))


def test_float_channels_and_the_channel_named(tmp_path, bindings):
    rng = np.random.default_rng(0)
    z, other = rng.random((9, 7), np.float32) * 80.0, rng.random((9, 7), np.float32)
    data = write_exr(tmp_path / "float.exr", {"Z": z, "A": other}, Imath.PixelType.FLOAT)
    np.testing.assert_array_equal(decode_exr_depth(data, "float.exr"), z)  # float32 round trip: exact
    np.testing.assert_array_equal(decode_exr_depth(data, "float.exr", channel="A"), other)


def test_missing_channel_and_corrupt_file_name_the_version(tmp_path, bindings):
    data = write_exr(tmp_path / "gray.exr", {"Y": DEPTH})
    version = OpenEXR.__version__
    with pytest.raises(InputError, match=rf"gray\.exr has no Z channel \(channels: \['Y'\]; OpenEXR {version}\)"):
        decode_exr_depth(data, "gray.exr")
    with pytest.raises(InputError, match=rf"cannot read EXR broken\.exr with OpenEXR {version}: ") as error:
        decode_exr_depth(data[: len(data) // 3], "broken.exr")
    assert "\n" not in str(error.value)


def test_bindings_that_cannot_read_say_what_is_needed(depth_exr, monkeypatch):
    monkeypatch.setattr(OpenEXR, "__version__", "3.4.0")
    monkeypatch.delattr(OpenEXR, "InputFile")  # a build without the legacy API and too old for File on a buffer
    with pytest.raises(MissingDependencyError, match=r"OpenEXR 3\.4\.0 cannot read d\.exr: .*openexr>=3\.5.*"
                                                     r"pip install 'colorize-video\[vipe\]'"):
        decode_exr_depth(depth_exr, "d.exr")


def test_without_openexr_the_error_says_how_to_install(depth_exr, monkeypatch):
    monkeypatch.setitem(sys.modules, "OpenEXR", None)  # import OpenEXR raises ImportError
    with pytest.raises(ColorizeError, match=r"needs the OpenEXR package: pip install 'colorize-video\[vipe\]'"):
        decode_exr_depth(depth_exr, "d.exr")


def test_depth_folder_reads_exr(tmp_path, bindings):
    write_exr(tmp_path / "00003.exr", {"Z": DEPTH})
    np.testing.assert_array_equal(read_depth(tmp_path / "00003.exr"), DEPTH.astype(np.float32))
