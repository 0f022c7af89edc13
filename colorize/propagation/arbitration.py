"""Never below the simple baselines: per region, the anchored output against what copying and chaining would give.

Each candidate carries the luminance its chroma came with: copying, the keyframe's at the same place; chaining, the
keyframe's warped frame to frame together with its chroma (so it blurs and drifts exactly as the chained chroma does);
the anchored output, the keyframe's through its map blended with its own chained fallback's by the same weights. The
candidate whose carried luminance explains the frame's luminance and gradients best over a region wins there, by a
margin over the anchored output. Only the input luminance and the keyframe are used, never the true colors.
"""

import cv2
import numpy as np

from colorize.propagation.matching import Structure, patch_error


class Arbiter:
    """Per-frame arbitration state: the pure chained candidate, (H, W, 3) float32 = (a, b, luminance) raw Lab
    chroma and uint8-scale luminance, warped frame to frame by the same flow as the anchored method.

    ``margin``: uint8 levels by which a baseline's region error must beat the anchored output's; errors are
    patch errors over (2 ``match_radius`` + 1)² windows averaged over (2 ``region_radius`` + 1)² regions.
    ``copy``: whether copying is a candidate (chaining always is).
    """

    def __init__(self, margin: float, match_radius: int, region_radius: int, copy: bool = True) -> None:
        self.margin, self.match_radius, self.region_radius, self.copy = margin, match_radius, region_radius, copy

    def reset(self, key_ab: np.ndarray, key_lum: np.ndarray) -> None:
        """Start both baselines at the keyframe: ``key_ab`` (H, W, 2), ``key_lum`` (H, W) float32."""
        self._chain = np.dstack([key_ab, key_lum]).astype(np.float32)

    def step(self, lum: Structure, key: Structure, key_ab: np.ndarray, to_previous: np.ndarray,
             ab: np.ndarray, explained: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The arbitrated (H, W, 2) chroma and the (H, W) luminance it carries.

        ``lum``: the frame's structure; ``key``: the keyframe's; ``key_ab``: the keyframe's chroma (what copying
        gives); ``to_previous``: absolute coordinates (H, W, 2) in the previous frame; ``ab`` and ``explained``: the
        anchored output and the luminance it carries; ``keep``: (H, W) bool, pixels whose anchored output stays
        (the hole fill's: their chroma comes from their neighbours, not with ``explained``).
        """
        chain = cv2.remap(self._chain, to_previous, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        self._chain = chain
        region = (2 * self.region_radius + 1,) * 2
        sources = {0: explained, 1: key, 2: np.ascontiguousarray(chain[..., 2])}
        if not self.copy:
            del sources[1]
        errors = {index: cv2.blur(patch_error(lum, source, self.match_radius), region)
                  for index, source in sources.items()}
        errors[0] -= np.float32(self.margin)
        errors.setdefault(1, np.full_like(errors[0], np.inf))
        errors = [errors[index] for index in range(3)]
        choice = np.argmin(np.stack(errors), axis=0).astype(np.uint8)
        if keep is not None:
            choice[keep] = 0
        if not choice.any():
            return ab, explained
        ab, explained = ab.copy(), explained.copy()
        for index, (source_ab, source_lum) in ((1, (key_ab, key[0])), (2, (chain[..., :2], chain[..., 2]))):
            mask = (choice == index).view(np.uint8)
            cv2.copyTo(np.ascontiguousarray(source_ab), mask, ab)
            cv2.copyTo(np.ascontiguousarray(source_lum), mask, explained)
        return ab, explained
