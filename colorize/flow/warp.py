"""Backward warping with a flow field, and the occlusion / motion-boundary tests of Lai et al. (ECCV 2018)."""

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
    return cv2.remap(image, map_x, map_y, interpolation, borderMode=border)


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
