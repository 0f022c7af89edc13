"""The ``frames`` training layout (see :mod:`colorize.datasets.sources`), written from
:func:`~testkit.clips.moving_square_frames`."""

from pathlib import Path

import numpy as np

from testkit.clips import moving_square_frames


def write_frames_dataset(root: Path, videos: int = 2, num_frames: int = 6, size: tuple[int, int] = (32, 48),
                         grayscale: bool = False, depth: bool = False, semantic: bool = False) -> Path:
    """Write the ``frames`` training layout under ``root`` (see :mod:`colorize.datasets.sources`); returns ``root``.

    Video ``v`` is :func:`moving_square_frames` moving ``2 + v`` px per frame. ``grayscale/`` holds their luminance as
    gray PNGs, ``depth/`` 16-bit maps (0 at the top row, 65535 at the bottom), ``semantic/`` ids (0 background,
    1 square).
    """
    import cv2

    from colorize.color import luminance_to_gray, rgb_to_luminance
    from colorize.io import write_png

    for v in range(videos):
        frames = moving_square_frames(num_frames, *size, step=2 + v)
        for kind in ["color"] + ["grayscale"] * grayscale + ["depth"] * depth + ["semantic"] * semantic:
            (root / kind / f"video{v}").mkdir(parents=True, exist_ok=True)
        for t, rgb in enumerate(frames):
            name = f"{t:04d}.png"
            write_png(root / "color" / f"video{v}" / name, rgb)
            if grayscale:
                write_png(root / "grayscale" / f"video{v}" / name, luminance_to_gray(rgb_to_luminance(rgb)))
            if depth:
                ramp = np.linspace(0, 65535, size[0]).astype(np.uint16)[:, None].repeat(size[1], axis=1)
                cv2.imwrite(str(root / "depth" / f"video{v}" / name), ramp)
            if semantic:
                write_png(root / "semantic" / f"video{v}" / name, (rgb[..., 0] > 150).astype(np.uint8))
    return root
