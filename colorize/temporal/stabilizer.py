"""Model-agnostic temporal stabiliser: makes any per-frame chroma (CIE Lab ab, raw scaling) steady over time.

Per frame, with one DIS flow computed on the input luminance (never on the colours being stabilised):

1. the previous *stabilised* chroma is warped onto the current frame;
2. a per-pixel weight says how much to keep of it: ``temporal_weight``, lowered where the warp is not trusted
   (the warped previous luminance disagrees with the current one: occlusions, scene cuts, fast motion) and where
   the new chroma differs from the warped one by more than flicker does (a truly new colour: a recoloured object);
3. the frame's global colour cast is pulled towards the previous output's: the hue rotation and chroma gain that
   take the new ab to the warped ab over the trusted pixels are applied, scaled by ``global_weight``, so the global
   colour follows the inputs' running average instead of each frame's (global flicker, removed without blur);
4. ``new + weight * (warped - new)``, the correction passed through a guided filter under the luminance (edge-aware
   cleanup: the correction's edges follow the frame's, the colorizer's own detail is left as it is);
5. optionally, keyframes with known true chroma replace the state (anchoring).

A frame where most pixels fail the luminance test is a scene cut: the state is dropped and the new chroma passes.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from colorize.color import rotate_chroma
from colorize.flow import DISFlow, FlowConfig, warp


@dataclass
class StabilizerConfig:
    temporal_weight: float = 0.8  # 0..1: most a pixel keeps of the previous stabilised chroma (0: off)
    flow: FlowConfig = field(default_factory=lambda: FlowConfig(preset="ultrafast", max_side=320))
    lum_tolerance: tuple[float, float] = (6.0, 16.0)  # |ΔL| (0..255 gray levels) where trust falls from 1 to 0
    colour_tolerance: tuple[float, float] = (0.5, 0.9)  # |Δab| / mean |ab| where trust falls from 1 to 0
    global_weight: float = 0.85  # 0..1: share of the frame's global hue/gain change taken back (0: off)
    chroma_floor: float = 4.0  # ab units added to the mean |ab| so that near-gray pixels are not over-tested
    window: int = 7  # px: box window over which the luminance and colour tests are averaged
    cut_fraction: float = 0.5  # share of untrusted pixels above which a frame starts a new shot
    cleanup_radius: int = 8  # guided-filter radius in px (0: no cleanup)
    cleanup_eps: float = 1e-3  # guided-filter regulariser on L/255 squared units

    def __post_init__(self) -> None:
        for name in ("temporal_weight", "global_weight"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        for name in ("lum_tolerance", "colour_tolerance"):
            low, high = getattr(self, name)
            if not 0 <= low < high:
                raise ValueError(f"{name} must be (low, high) with 0 <= low < high, got {(low, high)}")
        if self.window < 1 or self.cleanup_radius < 0 or not 0.0 < self.cut_fraction <= 1.0:
            raise ValueError(f"need window >= 1, cleanup_radius >= 0 and cut_fraction in (0, 1], got {self.window}, "
                             f"{self.cleanup_radius}, {self.cut_fraction}")


class TemporalStabilizer:
    """Stabilises one video, frame by frame; :meth:`reset` before another video.

    ``step(lum8, ab)``: ``lum8`` (H, W) uint8 input luminance (Lab L scaled to 0..255), ``ab`` (H, W, 2) float32
    chroma from any colorizer; returns the stabilised (H, W, 2) float32 ab. ``anchor`` (H, W, 2): true chroma of a
    keyframe, returned as is and carried forward.
    """

    def __init__(self, config: StabilizerConfig | None = None) -> None:
        self.config = config or StabilizerConfig()
        self._flow = DISFlow(self.config.flow)
        self.reset()

    def reset(self) -> None:
        self._lum: np.ndarray | None = None
        self._ab: np.ndarray | None = None
        self.last_weight: np.ndarray | None = None  # (H, W) float32 weight of the previous chroma, last frame
        self.cuts: list[int] = []  # frame indices (since reset) that started a new shot
        self._index = -1

    def step(self, lum8: np.ndarray, ab: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        if lum8.dtype != np.uint8 or lum8.ndim != 2 or ab.shape != (*lum8.shape, 2):
            raise ValueError(f"expected (H, W) uint8 luminance and (H, W, 2) chroma, got {lum8.shape} {lum8.dtype} "
                             f"and {ab.shape}")
        self._index += 1
        ab = ab.astype(np.float32, copy=False)
        if anchor is not None:
            out = anchor.astype(np.float32)
        elif self._lum is None or self._lum.shape != lum8.shape or self.config.temporal_weight == 0.0:
            out = ab
        else:
            out = self._blend(lum8, ab)
        self._lum, self._ab = lum8, out
        return out

    def _blend(self, lum8: np.ndarray, ab: np.ndarray) -> np.ndarray:
        cfg = self.config
        flow = self._flow(lum8, self._lum)  # warp(previous, flow) lines up with the current frame
        warped_ab = warp(self._ab, flow)
        lum_err = cv2.absdiff(lum8, warp(self._lum, flow)).astype(np.float32)
        lum_trust = _ramp(cv2.blur(lum_err, (cfg.window, cfg.window)), *cfg.lum_tolerance)
        if (lum_trust < 0.5).mean() > cfg.cut_fraction:  # a scene cut: nothing to carry over
            self.cuts.append(self._index)
            self.last_weight = np.zeros(lum8.shape, np.float32)
            return ab
        box = (cfg.window, cfg.window)
        change = cv2.blur(np.linalg.norm(ab - warped_ab, axis=-1), box)
        size = cv2.blur(0.5 * (np.linalg.norm(ab, axis=-1) + np.linalg.norm(warped_ab, axis=-1)), box)
        colour_trust = _ramp(change / (size + cfg.chroma_floor), *cfg.colour_tolerance)
        trust = lum_trust * colour_trust
        ab = _match_global(ab, warped_ab, trust, cfg.global_weight)
        weight = cfg.temporal_weight * trust
        self.last_weight = weight
        return ab + self._cleanup(lum8, weight[..., None] * (warped_ab - ab))

    def _cleanup(self, lum8: np.ndarray, correction: np.ndarray) -> np.ndarray:
        """The (H, W, 2) chroma correction made edge-aware: guided filter under the luminance."""
        if self.config.cleanup_radius == 0:
            return correction
        guide = lum8.astype(np.float32) / 255.0
        return cv2.ximgproc.guidedFilter(guide, correction, self.config.cleanup_radius, self.config.cleanup_eps)


def stabilize_sequence(lum8: Iterable[np.ndarray], chroma: Iterable[np.ndarray],
                       config: StabilizerConfig | None = None,
                       anchors: dict[int, np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """Stabilise a whole video: (H, W) uint8 luminance and (H, W, 2) ab per frame -> stabilised ab per frame.

    ``anchors``: frame index -> (H, W, 2) true chroma of a keyframe (optional).
    """
    stabilizer = TemporalStabilizer(config)
    anchors = anchors or {}
    for index, (lum, ab) in enumerate(zip(lum8, chroma, strict=True)):
        yield stabilizer.step(lum, ab, anchors.get(index))


def _match_global(ab: np.ndarray, target: np.ndarray, trust: np.ndarray, power: float) -> np.ndarray:
    """``ab`` turned and scaled by ``power`` times the hue angle and log-gain that take it to ``target`` (trusted
    pixels weighted by ``trust``)."""
    if power == 0.0:
        return ab
    a, b, ta, tb = ab[..., 0], ab[..., 1], target[..., 0], target[..., 1]
    norm = float((trust * (a * a + b * b)).sum())
    if norm < 1e-3 * trust.size:  # a gray frame: no colour cast to measure
        return ab
    # Hue from the correlation, gain from the ratio of magnitudes: unlike the least-squares gain, it is not pulled
    # towards 0 by misaligned pixels (which made the colours fade over a long shot).
    angle = power * np.arctan2(float((trust * (a * tb - b * ta)).sum()), float((trust * (a * ta + b * tb)).sum()))
    gain = np.clip(np.sqrt(float((trust * (ta * ta + tb * tb)).sum()) / norm), 0.5, 2.0) ** power
    return rotate_chroma(ab, float(np.rad2deg(angle)), float(gain))


def _ramp(value: np.ndarray, low: float, high: float) -> np.ndarray:
    """1 below ``low``, 0 above ``high``, linear between (float32)."""
    return np.clip((high - value) / (high - low), 0.0, 1.0).astype(np.float32)
