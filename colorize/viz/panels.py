"""Pictures people look at instead of numbers: side-by-side frames and a contact sheet."""

import cv2
import numpy as np

_BOX_SHADE = 0.35  # the box behind a label keeps this fraction of the content's brightness


def label(image: np.ndarray, text: str) -> np.ndarray:
    """Copy of ``image`` (H, W, 3) uint8 with white ``text`` on a dark box in the top-left corner.

    The box (content darkened to 35 %) keeps the text legible on any content and under any OpenCV release:
    an outline drawn by a second, thicker ``putText`` nearly vanishes with OpenCV 5's font rendering.
    """
    out = image.copy()
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, max(0.4, image.shape[1] / 900)
    thickness = max(1, round(scale * 2))
    (text_width, text_height), baseline = cv2.getTextSize(text, font, scale, thickness)
    pad = max(3, round(4 * scale))
    left, top = 8, 8
    bottom, right = top + text_height + baseline + 2 * pad, left + text_width + 2 * pad
    box = out[top:bottom, left:right]
    box[...] = (box * _BOX_SHADE).astype(np.uint8)
    origin = (left + pad, top + pad + text_height)
    cv2.putText(out, text, origin, font, scale, (255, 255, 255), thickness, cv2.LINE_AA)
    return out


def side_by_side(panels: list[tuple[str, np.ndarray]], gap: int = 4) -> np.ndarray:
    """Labelled panels of one size, left to right: ``[("input", gray_rgb), ("colorized", rgb)]`` -> (H, W', 3)."""
    height, width = panels[0][1].shape[:2]
    out = np.zeros((height, len(panels) * width + (len(panels) - 1) * gap, 3), np.uint8)
    for i, (text, image) in enumerate(panels):
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=-1)
        out[:, i * (width + gap): i * (width + gap) + width] = label(image, text)
    return out


def contact_sheet(rows: list[np.ndarray], max_width: int = 1600, gap: int = 4) -> np.ndarray:
    """Stack ``rows`` (each (H, W, 3) uint8 of one size, e.g. side-by-side frames) into one image."""
    height, width = rows[0].shape[:2]
    scale = min(1.0, max_width / width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = [cv2.resize(row, size, interpolation=cv2.INTER_AREA) for row in rows]
    out = np.zeros((len(rows) * size[1] + (len(rows) - 1) * gap, size[0], 3), np.uint8)
    for i, row in enumerate(resized):
        out[i * (size[1] + gap): i * (size[1] + gap) + size[1]] = row
    return out


def sheet_indices(num_frames: int, count: int) -> list[int]:
    """``count`` frame indices spread evenly over ``num_frames`` (first and last included; one row: the middle)."""
    if num_frames <= count:
        return list(range(num_frames))
    if count <= 1:
        return [num_frames // 2] if count == 1 else []
    return sorted({round(i * (num_frames - 1) / (count - 1)) for i in range(count)})
