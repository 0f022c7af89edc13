"""Never below the simple baselines: per region, the anchored output against what copying and chaining would give.

Each candidate carries the luminance its chroma came with: copying, the keyframe's at the same place; chaining, the
keyframe's warped frame to frame together with its chroma (so it blurs and drifts exactly as the chained chroma does);
the anchored output, the keyframe's through its map blended with its own chained fallback's by the same weights. The
candidate whose carried luminance explains the frame's luminance and gradients best over a region wins there, by a
margin over the anchored output. Only the input luminance and the keyframe are used, never the true colors.
"""

import cv2
import numpy as np

from colorize.flow import sample_together
from colorize.propagation.matching import IDENTITY, Exposure, Structure, expose, patch_error


class Arbiter:
    """Per-frame arbitration state: the pure chained candidate, (H, W, 2) float32 raw Lab chroma and the (H, W)
    float32 uint8-scale luminance it carries, warped frame to frame by the same flow as the anchored method.

    ``margin``: uint8 levels by which a baseline's region error must beat the anchored output's; errors are
    patch errors over (2 ``match_radius`` + 1)² windows averaged over (2 ``region_radius`` + 1)² regions.
    ``copy``: whether copying is a candidate (chaining always is).
    """

    def __init__(self, margin: float, match_radius: int, region_radius: int, copy: bool = True) -> None:
        self.margin, self.match_radius, self.region_radius, self.copy = margin, match_radius, region_radius, copy

    def reset(self, key_ab: np.ndarray, key_lum: np.ndarray) -> None:
        """Start both baselines at the keyframe: ``key_ab`` (H, W, 2), ``key_lum`` (H, W) float32."""
        self._chain_ab, self._chain_lum = key_ab.astype(np.float32), key_lum.astype(np.float32)

    def step(self, lum: Structure, key: Structure, key_ab: np.ndarray, to_previous: np.ndarray,
             ab: np.ndarray, explained: np.ndarray, keep: np.ndarray | None = None,
             keep_above: np.ndarray | None = None, exposure: Exposure = IDENTITY) -> tuple[np.ndarray, np.ndarray]:
        """The arbitrated (H, W, 2) chroma and the (H, W) luminance it carries.

        ``lum``: the frame's structure; ``key``: the keyframe's; ``key_ab``: the keyframe's chroma (what copying
        gives); ``to_previous``: absolute coordinates (H, W, 2) in the previous frame; ``ab`` and ``explained``: the
        anchored output and the luminance it carries; ``keep``: (H, W) bool, pixels whose anchored output stays
        (the hole fill's: their chroma comes from their neighbours, not with ``explained``); ``keep_above``: (H, W)
        float32, where given, ``keep`` pixels still go to a candidate whose region error is under it there;
        ``exposure``: every candidate's carried (keyframe) luminance is compared as seen under it.
        """
        self._chain_ab, self._chain_lum = sample_together([self._chain_ab, self._chain_lum], to_previous)
        candidates = [(key_ab, key[0], key)] if self.copy else []  # (chroma, carried luminance, compared as)
        candidates.append((self._chain_ab, self._chain_lum, self._chain_lum))
        best = self._region_error(lum, expose(explained, exposure)) - np.float32(self.margin)  # the anchored output's
        wins = []  # per candidate, where it beats everything before it (so the last winner is the best of all)
        for source_ab, source_lum, source in candidates:
            error = self._region_error(lum, expose(source, exposure))
            better = error < best
            if keep is not None:
                better &= ~keep if keep_above is None else ~keep | (error < keep_above)
            np.minimum(best, error, out=best)
            wins.append((better.view(np.uint8), source_ab, source_lum))
        if not any(mask.any() for mask, _, _ in wins):
            return ab, explained
        ab, explained = ab.copy(), explained.copy()
        for mask, source_ab, source_lum in wins:
            cv2.copyTo(source_ab, mask, ab)
            cv2.copyTo(source_lum, mask, explained)
        return ab, explained

    def _region_error(self, lum: Structure, source: np.ndarray | Structure) -> np.ndarray:
        """Patch error of ``source`` against the frame, averaged over each pixel's region, (H, W) float32."""
        region = (2 * self.region_radius + 1,) * 2
        return cv2.blur(patch_error(lum, source, self.match_radius), region)
