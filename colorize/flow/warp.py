"""Backward warping with a flow field or at absolute coordinates, and the occlusion / motion-boundary tests of Lai
et al. (ECCV 2018)."""

import cv2
import numpy as np


def sampling_grid(flow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Absolute sampling coordinates (map_x, map_y), each (H, W) float32, for ``flow`` (H, W, 2)."""
    height, width = flow.shape[:2]
    xs = np.arange(width, dtype=np.float32)[None, :]
    ys = np.arange(height, dtype=np.float32)[:, None]
    return flow[..., 0] + xs, flow[..., 1] + ys


def warp(image: np.ndarray, flow: np.ndarray, border: int = cv2.BORDER_REPLICATE,
         interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """Sample ``image`` (H, W[, C]) at ``x + flow(x)``: with ``flow = compute_flow(a, b)``, ``warp(b, flow) ≈ a``."""
    map_x, map_y = sampling_grid(flow)
    return _remap(image, map_x, map_y, interpolation, border)


def sample(image: np.ndarray, coords: np.ndarray, border_value: float | None = None) -> np.ndarray:
    """Bilinear sample of ``image`` (H', W'[, C]) float32 at absolute ``coords`` (H, W, 2) = (x, y) -> (H, W[, C]).
    Outside the image: the nearest edge pixel, or ``border_value`` where given."""
    coords = np.ascontiguousarray(coords)  # one two-channel map: no copies of strided x and y planes
    if border_value is None:
        return _remap(image, coords, None, cv2.INTER_LINEAR, cv2.BORDER_REPLICATE)
    return _remap(image, coords, None, cv2.INTER_LINEAR, cv2.BORDER_CONSTANT, border_value)


def sample_together(images: list[np.ndarray], coords: np.ndarray) -> list[np.ndarray]:
    """:func:`sample` of several float32 images of one size, four channels in all or fewer, in one remap.

    Why: OpenCV's remap of a 4-channel float image costs what a 1-channel one does, while a 3-channel remap costs
    twice that (and a 2-channel one too, as two planes: see :func:`_remap`). The images are stacked (padded to 4
    channels) and split again.
    """
    channels = sum(1 if image.ndim == 2 else image.shape[2] for image in images)
    if channels > 4:
        raise ValueError(f"at most 4 channels can be sampled together, got {channels}")
    padding = [np.zeros(images[0].shape[:2], np.float32)] * (4 - channels)
    sampled = sample(cv2.merge([*images, *padding]), coords)
    outputs = [np.empty((*coords.shape[:2], *image.shape[2:]), np.float32) for image in images]
    cv2.mixChannels([sampled], outputs, [index for channel in range(channels) for index in (channel, channel)])
    return outputs


def _remap(image: np.ndarray, map1: np.ndarray, map2: np.ndarray | None, interpolation: int, border: int,
           border_value: float = 0.0) -> np.ndarray:
    """``cv2.remap``, exact for 2-channel float images too: OpenCV (5.1) interpolates those at positions rounded to
    1/32 px (up to 2 % of the range off exact bilinear on rough data; 1-, 3- and 4-channel float remaps are exact),
    so their two planes are remapped one by one, at the same cost."""
    if image.ndim == 3 and image.shape[2] == 2 and image.dtype.kind == "f" and interpolation != cv2.INTER_NEAREST:
        return cv2.merge([_remap(plane, map1, map2, interpolation, border, border_value) for plane in cv2.split(image)])
    return cv2.remap(image, map1, map2, interpolation, borderMode=border, borderValue=(border_value,) * 4)


def occlusion_mask(flow_ab: np.ndarray, flow_ba: np.ndarray) -> np.ndarray:
    """(H, W) bool, True where the forward-backward check of Lai et al. 2018 fails for pixels of frame a.

    Fails when ``|F + B(x+F)|² > 0.01 (|F|² + |B(x+F)|²) + 0.5``, with F = ``flow_ab`` and B = ``flow_ba``.
    """
    back = warp(flow_ba, flow_ab)
    total = flow_ab + back
    bound = 0.01 * ((flow_ab**2).sum(-1) + (back**2).sum(-1)) + 0.5
    return (total**2).sum(-1) > bound


def motion_boundary_mask(flow: np.ndarray) -> np.ndarray:
    """(H, W) bool, True on motion boundaries: ``|∇u|² + |∇v|² > 0.01 |F|² + 0.002`` (Lai et al. 2018).

    Gradients are forward differences (zero on the last row / column), as in Lai et al.'s official code.
    """
    grad = np.zeros(flow.shape[:2], np.float32)
    dx = flow[:, :-1] - flow[:, 1:]
    dy = flow[:-1, :] - flow[1:, :]
    grad[:, :-1] += (dx**2).sum(-1)
    grad[:-1, :] += (dy**2).sum(-1)
    return grad > 0.01 * (flow**2).sum(-1) + 0.002
