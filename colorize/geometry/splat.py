"""Z-buffered splatting: drawing projected points into an image, the nearest surface winning each pixel."""

import numpy as np

# Each point covers the 2x2 pixels around its projection, so a surface seen up to about 2x closer than where
# its points were sampled still leaves no holes.
_FOOTPRINT = ((0, 0), (1, 0), (0, 1), (1, 1))


def splat(pixels: np.ndarray, depth: np.ndarray, values: np.ndarray, size: tuple[int, int],
          surface_tolerance: float = 0.02, near: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """Draw points into an image of ``size`` = (H, W) with a z-buffer.

    Every pixel takes, among the points whose footprint covers it and whose depth is within ``surface_tolerance``
    (relative) of the nearest one's (the front surface), the point projecting closest to its centre.

    Args:
        pixels: (N, 2) float pixel coordinates (x, y) of the points (pixel centres at integers).
        depth: (N,) z-depth of the points in metres; points closer than ``near`` (behind the camera) are dropped.
        values: (N, C) what each point carries (e.g. chroma and luminance).

    Returns:
        ``(image, zbuffer)``: (H, W, C) float32 values of the chosen point at each pixel (0 where none) and
        (H, W) float32 its depth (``inf`` where no point lands).
    """
    height, width = size
    keep = np.isfinite(pixels).all(axis=1) & (depth > near)
    pixels, depth, values = pixels[keep], depth[keep], values[keep]
    base = np.floor(pixels).astype(np.int64)
    xs = np.concatenate([base[:, 0] + dx for dx, _ in _FOOTPRINT])
    ys = np.concatenate([base[:, 1] + dy for _, dy in _FOOTPRINT])
    source = np.tile(np.arange(len(depth)), len(_FOOTPRINT))
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    xs, ys, source = xs[inside], ys[inside], source[inside]
    target = ys * width + xs
    nearest = np.full(height * width, np.inf)
    np.minimum.at(nearest, target, depth[source])
    front = depth[source] <= nearest[target] * (1 + surface_tolerance)
    target, source = target[front], source[front]
    distance = np.square(pixels[source] - np.stack([xs[front], ys[front]], axis=1)).sum(axis=1)
    order = np.lexsort((distance, target))  # by pixel, then by distance: the first of each pixel wins
    target, source = target[order], source[order]
    first = np.flatnonzero(np.diff(target, prepend=-1))
    image = np.zeros((height * width, values.shape[1]), np.float32)
    zbuffer = np.full(height * width, np.inf, np.float32)
    image[target[first]] = values[source[first]]
    zbuffer[target[first]] = depth[source[first]]
    return image.reshape(height, width, -1), zbuffer.reshape(height, width)
