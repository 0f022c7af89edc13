"""This project's propagator: keyframe chroma sampled once through a composed, re-anchored map into the keyframe.

Everything is at working resolution. ``step`` takes frame t's (H, W) uint8 luminance and returns (H, W, 2) float32
ab in raw Lab units (as the keyframe's) with an (H, W) float32 confidence in [0, 1]. Patch errors, margins and
scales are in uint8 luminance levels, comparing values and gradients over (2 ``match_radius`` + 1)² windows.
Carried from frame to frame: the map of keyframe coordinates (H, W, 2), the chroma before smoothing, its confidence.

Per frame t:

1. Maps into the keyframe. Flow t→t-1 carries the *composed* map (where each pixel of frame t came from in the
   keyframe); on every ``key_flow_every``-th frame, flow t→keyframe (computed on a second thread) gives a *direct*
   map. Given the next frame (``prefetch(upcoming)``, as the video driver does), its flow to this one is computed on
   a third thread while this step runs, and its flow to the keyframe on the second if it anchors (the same result;
   faster end to end: benchmarks/README.md). Per region (errors over (2 ``region_radius`` + 1)² windows) the direct
   map replaces the composed one where its sampled keyframe luminance matches frame t's structure better by
   ``anchor_margin``. The keyframe's chroma is sampled once through the chosen map; its confidence comes from the
   patch error (``key_scale``) and falls to 0 where the map folds or collapses (area ratio below ``fold_below``,
   where flat luminance matches by chance). Both flows are DIS with ``flow_preset``. With ``exposure``, the keyframe's
   luminance is compared after a gain and offset fitted on the composed map, followed slowly and applied beyond a
   dead band (:mod:`colorize.propagation.matching`). Why: sampled once through a re-anchored map, the keyframe's
   chroma neither blurs (as re-warping the previous output every frame does) nor drifts far; when a camera's
   auto-exposure changes, an uncorrected keyframe mismatches everywhere and wrong direct maps win.
2. Chained fallback. The previous output, warped by flow t→t-1, gets the confidence its patch error earns
   (``chain_scale``) times the share the keyframe leaves (1 - keyframe confidence) times the carried confidence to
   the power ``chain_decay``; the chroma is the confidence-weighted mean of the two. Why (the decay): a color
   guessed once, for new content, is not re-trusted as fresh at every later step.
3. Hole fill (``fill``). Holes, pixels with total confidence under ``fill_below`` and a chain error beyond
   ``fill_texture`` times the local gradient energy, are filled edge-aware from the rest of the frame (spread at
   ``fill_side`` px), and the filled chroma is carried on. Why: uncovered background takes its neighbours' colors
   instead of the occluder's that the flow drags in.
4. Per-region arbitration (``arbitrate``; :mod:`colorize.propagation.arbitration`, by default the chained
   candidate only, ``arbitrate_margin`` 0.5). A pure chained candidate, the keyframe's chroma and luminance warped
   frame to frame, is kept beside the output; where its carried luminance explains frame t better over a region
   than the luminance the output carries, the output takes its chroma (and carries it on, ``arbitrate_carry``).
   Hole-filled pixels keep their fill. Why: the output should not fall below plain chaining where chaining is right.
5. Output smoothing. A guided filter under the luminance (radius ``smooth_radius`` at 640 px, scaled with the
   frame) smooths the output's chroma in proportion to 1 - keyframe confidence; the carried chroma is not smoothed.
   That confidence is recomputed with the patch error divided by 1 + ``smooth_texture`` x the local gradient energy
   / ``key_scale``. Why: where the keyframe explains a pixel its chroma keeps its detail; elsewhere the fallbacks'
   noise is snapped to the luminance edges. In texture, a right but sub-pixel-shifted sample mismatches by about
   the gradient energy: without the allowance the keyframe's own detail was smoothed away.

Optional (off by default): ``same_place``, the keyframe at the pixel's own position as a third map in step 1;
``arbitrate_fill``, step 4 for hole-filled pixels too (their fill carrying the luminance of the pixels it drew on),
towards a candidate whose region error a non-hole's would be (uncovered background gains, new content entering
can take the wrong color); ``fill_chroma`` below 1, the fill's chroma scaled toward neutral, a guess for content
nothing explains (objects entering gain, uncovered background loses).
Measurements behind each step and setting: benchmarks/README.md ("History of `propagation.py`").
"""

from concurrent import futures
from dataclasses import dataclass

import cv2
import numpy as np

from colorize.flow import DISFlow, FlowConfig, sample, sample_together, sampling_grid
from colorize.propagation.arbitration import Arbiter
from colorize.propagation.base import ChromaPropagator, Keyframe, PropagationStep
from colorize.propagation.fill import edge_aware_fill
from colorize.propagation.matching import (
    IDENTITY,
    Structure,
    confidence,
    dead_band,
    expose,
    fit_exposure,
    follow_exposure,
    patch_error,
    structure,
)
from colorize.utils.opencv import scale_channels, ximgproc
from colorize.utils.threads import SharedPool

# The two flows of a step are independent: the one to the keyframe runs here while the caller computes the
# other (OpenCV releases the GIL).
_FLOW_THREAD = SharedPool(1, "colorize-flow")
# Given the next frame (``prefetch``), its flow to this one is computed here while this step runs.
_NEXT_FLOW_THREAD = SharedPool(1, "colorize-next-flow")
# The hole test's texture energy counts each gradient (uint8 levels over 2 px) up to this: unclipped, an occluder's
# outline makes the strip it uncovers look textured (no hole); clipped lower, sharp textures count as holes.
_EDGE_CLIP = 48.0


@dataclass
class AnchoredConfig:
    flow_preset: str = "fine"  # DIS preset for both flows (colorize.flow: ultrafast | fast | medium | fine)
    flow_patch_stride: int | None = None  # DIS patch stride of both flows (px); None: the preset's
    match_radius: int = 3  # patch half-size for comparing luminance structure (pixels)
    region_radius: int = 7  # half-size of the window over which map choices are made (pixels)
    anchor_margin: float = 0.5  # the direct map must beat the composed one by this (uint8 levels)
    key_scale: float = 10.0  # patch error at which keyframe confidence is 1/e (uint8 levels)
    chain_scale: float = 10.0  # same for the previous-output candidate
    fill: bool = True  # edge-aware fill of the holes: pixels that neither the keyframe nor the previous frame explain
    fill_below: float = 3e-4  # total confidence under which a pixel's chroma is (partly) replaced by the fill
    fill_side: int = 160  # the fill's spread is computed at this longer side (px) and upsampled
    fill_texture: float = 1.5  # no hole where the chain error is under this multiple of the local gradient energy
    fill_chroma: float = 1.0  # the fill's chroma is scaled by this (toward neutral): a guess for content nothing explains
    smooth_radius: int = 3  # guided-filter radius (px at 640 px, scaled with the frame) where the keyframe is unsure
    smooth_eps: float = 1e-3  # guided-filter regulariser on luminance in [0, 1]
    smooth_texture: float = 1.0  # the smoothing's gate forgives patch errors up to this x the local gradient energy
    key_flow_every: int = 2  # the flow to the keyframe on every k-th frame (in between the composed map carries)
    fold_below: float = 0.6  # keyframe confidence falls to 0 where the map's area ratio drops below this (folds)
    chain_decay: float = 0.5  # the previous output's confidence is scaled by the carried confidence to this power
    # The keyframe at the same position (what copying gives) as a third map candidate, where its luminance explains
    # the region better. Off: its gain is within noise (benchmarks/README.md).
    same_place: bool = False
    same_place_margin: float = 0.5  # it must beat the chosen map by this (uint8 levels, errors over the region)
    # Per region, the output falls back to what chaining (and optionally copying) gives where its carried luminance
    # explains the frame better (colorize.propagation.arbitration): slow drifts and flat new content, where chaining
    # is right and the keyframe map is not. Costs 7-22 % of the speed as measured (benchmarks/README.md).
    arbitrate: bool = True
    arbitrate_margin: float = 0.5  # a baseline must beat the anchored region error by this (uint8 levels)
    arbitrate_carry: bool = True  # the arbitrated chroma is what the next frame's chained fallback starts from
    arbitrate_copy: bool = False  # copying as a candidate too (chaining always is)
    # With ``arbitrate``, hole-filled pixels may be arbitrated too (the fill carrying the luminance of the pixels it
    # drew on), but only to a candidate whose region error is under ``fill_texture`` x the region's gradient energy.
    arbitrate_fill: bool = False
    # For footage whose exposure changes (a phone's auto-exposure): the keyframe's luminance is compared after a
    # global gain and offset fitted each step on the composed map (:func:`~colorize.propagation.matching.fit_exposure`)
    # and followed slowly where most of the frame agrees (:func:`~colorize.propagation.matching.follow_exposure`);
    # the arbitration compares its candidates under it too.
    # Even over 38 clips, the bundled ones unchanged, a phone clip +2.3 dB. With ``exposure_chroma`` the output's
    # chroma is scaled as a change of exposure scales it, by (L + 16) / (L_key + 16) (Lab's a and b go with f(Y) =
    # (L + 16) / 116), L_key the keyframe luminance the fit maps to the frame's; off: it lost where a clip brightens
    # with less contrast (haze, not exposure). Measurements: benchmarks/README.md, "Exposure changes".
    exposure: bool = True
    # Followed brightness changes at mid-grey (uint8 levels) up to this are not applied, from twice it wholly, in
    # between in part (:func:`~colorize.propagation.matching.dead_band`): on footage whose exposure does not change
    # the fit is small and as often content. 0 applies every followed change.
    exposure_dead_band: float = 6.0
    exposure_chroma: bool = False

    def __post_init__(self) -> None:
        self.flow_config()  # rejects an unknown preset or a bad stride when the config is read
        if self.key_flow_every < 1:
            raise ValueError(f"key_flow_every must be at least 1, got {self.key_flow_every}")
        if self.exposure_dead_band < 0:
            raise ValueError(f"exposure_dead_band must be at least 0, got {self.exposure_dead_band}")

    def flow_config(self) -> FlowConfig:
        """Both flows' settings; frames come at the working size already (no further shrinking)."""
        return FlowConfig(preset=self.flow_preset, max_side=10_000, patch_stride=self.flow_patch_stride)


class AnchoredPropagator(ChromaPropagator):
    name = "anchored"

    def __init__(self, config: AnchoredConfig | None = None) -> None:
        self.config = config or AnchoredConfig()
        cfg = self.config
        self._flow = DISFlow(cfg.flow_config())
        self._key_flow = DISFlow(self._flow.config)  # its own estimator: it runs on another thread
        self._next_flow = DISFlow(self._flow.config)  # and this one on a third
        self._prefetched = None  # the frame after the next step's, given by prefetch
        # (that frame's lum8, the futures of its flows to the current frame and, if it anchors, to the keyframe)
        self._ahead = None
        self._arbiter = Arbiter(cfg.arbitrate_margin, cfg.match_radius, cfg.region_radius, cfg.arbitrate_copy)

    def reset(self, keyframe: Keyframe) -> PropagationStep:
        self._key = keyframe
        self._key_lum = keyframe.lum8.astype(np.float32)
        self._lum8, self._lum = keyframe.lum8, self._key_lum  # the previous frame's, as uint8 and float32
        self._ab = keyframe.ab.astype(np.float32)
        height, width = keyframe.lum8.shape
        self._grid = np.dstack(sampling_grid(np.zeros((height, width, 2), np.float32)))  # identity map
        self._coords = self._grid
        self._smooth_radius = max(1, round(self.config.smooth_radius * max(height, width) / 640))
        self._steps = 0
        self._prefetched = self._ahead = None
        self._key_structure = structure(self._key_lum)
        self._confidence = np.ones((height, width), np.float32)  # of the previous output, carried with it
        self._explained = self._key_lum  # the keyframe luminance the carried chroma came with
        self._followed = IDENTITY  # gain and offset from the keyframe's luminance to the frame's (``exposure``)
        self._exposure = IDENTITY  # what is applied: the followed one outside the dead band (``exposure_dead_band``)
        if self.config.arbitrate:
            self._arbiter.reset(self._ab, self._key_lum)
        return PropagationStep(self._ab, self._confidence)

    def prefetch(self, upcoming: np.ndarray) -> None:
        self._prefetched = upcoming

    def step(self, lum8: np.ndarray) -> PropagationStep:
        cfg = self.config
        lum = structure(lum8.astype(np.float32))
        anchor_now = self._steps % cfg.key_flow_every == 0  # frames 1, 1 + k, 1 + 2k, ... after the keyframe
        self._steps += 1
        previous_ahead, key_ahead = self._flows_ahead(lum8)
        if anchor_now and key_ahead is None:  # the flow to the keyframe, on its own thread
            key_ahead = _FLOW_THREAD.get().submit(self._key_flow, lum8, self._key.lum8)
        pending = key_ahead if anchor_now else None
        flow = previous_ahead.result() if previous_ahead is not None else self._flow(lum8, self._lum8)
        to_previous = flow + self._grid  # absolute coordinates in the previous frame
        upcoming, self._prefetched = self._prefetched, None
        if upcoming is not None:  # the next step's flows, on other threads while this step runs
            to_previous_next = _NEXT_FLOW_THREAD.get().submit(self._next_flow, upcoming, lum8)
            to_key_next = None
            if self._steps % cfg.key_flow_every == 0:  # the next step anchors: its flow to the keyframe too
                to_key_next = _FLOW_THREAD.get().submit(self._key_flow, upcoming, self._key.lum8)
            self._ahead = (upcoming, to_previous_next, to_key_next)

        # 1. Composed and direct maps into the keyframe; pick per region by structural match. The carried state
        # is sampled in 4-channel remaps (sample_together: cheaper and exact); the luminances only the arbitration
        # uses (``explained`` here, the keyframe's at ``coords`` below) ride in channels that would be padding.
        composed, chain_ab = sample_together([self._coords, self._ab], to_previous)
        carried_confidence, previous_lum, chain_lum = sample_together(
            [self._confidence, self._lum, self._explained], to_previous)
        error_composed = self._key_error(lum, composed, fit=cfg.exposure)
        coords, key_error = composed, error_composed  # the direct map's choices are copied in, in place
        if pending is not None:
            direct = pending.result() + self._grid
            error_direct = self._key_error(lum, direct)
            region = (2 * cfg.region_radius + 1,) * 2
            use_direct = cv2.blur(error_direct, region) + cfg.anchor_margin < cv2.blur(error_composed, region)
            mask = use_direct.view(np.uint8)
            cv2.copyTo(direct, mask, coords)  # in place; 3x faster than np.copyto with a broadcast mask
            cv2.copyTo(error_direct, mask, key_error)
        if cfg.same_place:  # static content: the keyframe where the pixel is, verified on the frame's luminance
            error_here = patch_error(lum, self._key_structure, cfg.match_radius)
            region = (2 * cfg.region_radius + 1,) * 2
            here = (cv2.blur(error_here, region) + cfg.same_place_margin < cv2.blur(key_error, region)).view(np.uint8)
            cv2.copyTo(self._grid, here, coords)
            cv2.copyTo(error_here, here, key_error)
        key_ab, key_lum = sample_together([self._key.ab, self._key_lum], coords)
        fold = 1.0
        if cfg.fold_below > 0:  # a folded or collapsed map matches flat luminance by chance, not by geometry
            fold = np.clip(_area_ratio(coords, cfg.match_radius) / cfg.fold_below, 0.0, 1.0)
        key_conf = confidence(key_error, cfg.key_scale) * fold
        gate = key_conf  # of the output smoothing (step 5): forgives a right sample's sub-pixel mismatch in texture
        texture = None  # local gradient energy, computed once where needed (here and in the hole test)
        if cfg.smooth_radius and cfg.smooth_texture:
            texture = _texture_energy(lum, cfg.match_radius)
            allowance = 1.0 + texture * np.float32(cfg.smooth_texture / cfg.key_scale)
            gate = confidence(key_error / allowance, cfg.key_scale) * fold

        # 2-3. Previous output as the fallback; optionally an edge-aware fill of what nothing explains.
        chain_error = patch_error(lum, previous_lum, cfg.match_radius)
        chain_conf = confidence(chain_error, cfg.chain_scale) * (1.0 - key_conf)
        if cfg.chain_decay:
            chain_conf *= np.maximum(carried_confidence, 1e-3) ** cfg.chain_decay
        total = key_conf + chain_conf
        # Confidence-weighted mean of the two, written as chain + w (key - chain); the previous output where
        # neither is trusted at all.
        key_share = np.divide(key_conf, total, out=np.zeros_like(total), where=total > 1e-6)
        ab = np.subtract(key_ab, chain_ab, out=key_ab)
        scale_channels(ab, key_share)
        ab += chain_ab
        weight = self._hole_weight(total, chain_error, lum, texture) if cfg.fill else None
        explained = None
        if cfg.arbitrate:  # the luminance the chroma came with, blended by the same weights
            explained = key_lum - chain_lum
            explained *= key_share
            explained += chain_lum
        if weight is not None:
            if cfg.arbitrate and cfg.arbitrate_fill:  # the fill carries the luminance its chroma came with
                both = edge_aware_fill(np.dstack([ab, explained]), weight, lum8, max_side=cfg.fill_side,
                                       gain=(cfg.fill_chroma, cfg.fill_chroma, 1.0))
                ab, explained = np.ascontiguousarray(both[..., :2]), np.ascontiguousarray(both[..., 2])
            else:
                ab = edge_aware_fill(ab, weight, lum8, max_side=cfg.fill_side, gain=cfg.fill_chroma)
        state = ab
        if cfg.arbitrate:  # 4. copy or chain where their carried luminance explains the region better
            filled = weight < 1.0 if weight is not None else None
            allowance = None
            if filled is not None and cfg.arbitrate_fill:
                texture = _texture_energy(lum, cfg.match_radius) if texture is None else texture
                allowance = cv2.blur(texture, (2 * cfg.region_radius + 1,) * 2) * np.float32(cfg.fill_texture)
            ab, arbitrated = self._arbiter.step(lum, self._key_structure, self._key.ab, to_previous, ab, explained,
                                                keep=filled, keep_above=allowance, exposure=self._exposure)
            if cfg.arbitrate_carry:
                state, explained = ab, arbitrated
            self._explained = explained

        self._coords, self._lum8, self._lum, self._ab, self._confidence = coords, lum8, lum[0], state, total
        # 5. Output only (smoothing the carried state would blur more with every frame): where the keyframe
        # explains the frame its chroma is kept sharp; elsewhere it is smoothed under the luminance edges.
        if cfg.smooth_radius:
            smooth = ximgproc().guidedFilter(lum8, ab, self._smooth_radius, cfg.smooth_eps * 255**2)
            detail = ab - smooth  # ab itself is the carried state: not modified
            scale_channels(detail, gate)
            ab = np.add(smooth, detail, out=smooth)
        if cfg.exposure and cfg.exposure_chroma and not self._exposure.is_identity:
            ab = scale_channels(ab.copy(), _exposure_chroma_factor(lum8, self._exposure.gain, self._exposure.offset))
        return PropagationStep(ab, total)

    def _flows_ahead(self, lum8: np.ndarray) -> tuple[futures.Future | None, futures.Future | None]:
        """The futures of ``lum8``'s flows to the previous frame and to the keyframe, started during the step before
        if that step was told of this frame (``prefetch``); None for each not started."""
        ahead, self._ahead = self._ahead, None
        if ahead is None or not np.array_equal(ahead[0], lum8):
            return None, None
        return ahead[1], ahead[2]

    def _hole_weight(self, total: np.ndarray, chain_error: np.ndarray, lum: Structure,
                     texture: np.ndarray | None = None) -> np.ndarray | None:
        """(H, W) weight of the propagated chroma against the fill: below 1 only at holes, pixels whose total
        confidence is under ``fill_below`` and whose chain error exceeds ``fill_texture`` times the local gradient
        energy (a merely shifted texture mismatches by about that much: no hole, the chained color is right).
        Gradients count up to ``_EDGE_CLIP`` each, so the outline of an occluder does not make the strip it uncovers
        look textured. ``texture``: the frame's ``_texture_energy`` if already computed. None where there is no hole."""
        cfg = self.config
        if not (total < cfg.fill_below).any():
            return None
        weight = np.minimum(total * np.float32(1.0 / cfg.fill_below), 1.0)
        if texture is None:
            texture = _texture_energy(lum, cfg.match_radius)
        textured = chain_error < texture * np.float32(cfg.fill_texture)
        np.maximum(weight, textured, out=weight)  # 1 where textured (a boolean mask assignment is 25x slower)
        return weight if (weight < 1.0).any() else None

    def _key_error(self, lum: Structure, coords: np.ndarray, fit: bool = False) -> np.ndarray:
        """Patch error of the keyframe luminance sampled at ``coords``; maps leaving the keyframe score 255. With
        ``exposure`` the sample is first mapped by the step's gain and offset, fitted here when ``fit``."""
        source = sample(self._key_lum, coords, border_value=-1000.0)
        if self.config.exposure:
            if fit:
                self._followed = follow_exposure(self._followed, fit_exposure(lum[0], source))
                self._exposure = dead_band(self._followed, self.config.exposure_dead_band)
            source = expose(source, self._exposure)  # outside the keyframe stays far below 0 (error 255)
        error = patch_error(lum, source, self.config.match_radius)
        return np.minimum(error, 255.0)


def _exposure_chroma_factor(lum8: np.ndarray, gain: float, offset: float) -> np.ndarray:
    """(H, W) float32 factor by which an exposure change (frame = ``gain`` x keyframe + ``offset``, uint8 scale)
    scales a surface's Lab chroma: (L + 16) / (L_key + 16) in Lab units, clipped to [0.5, 2]."""
    to_lab = np.float32(100.0 / 255.0)
    frame = lum8.astype(np.float32)
    key = (frame - np.float32(offset)) * np.float32(to_lab / gain) + np.float32(16.0)
    lum = frame * to_lab + np.float32(16.0)
    return np.clip(lum / np.maximum(key, np.float32(1.0)), 0.5, 2.0)


def _texture_energy(lum: Structure, radius: int) -> np.ndarray:
    """(H, W) float32 local gradient energy: |dx| + |dy| of the luminance, each clipped at ``_EDGE_CLIP``, averaged
    over (2r+1)² windows (uint8 levels; about what a right but slightly shifted source mismatches by)."""
    energy, energy_y = np.abs(lum[1]), np.abs(lum[2])
    energy = np.minimum(energy, _EDGE_CLIP, out=energy) + np.minimum(energy_y, _EDGE_CLIP, out=energy_y)
    return cv2.blur(energy, (2 * radius + 1,) * 2)


def _area_ratio(coords: np.ndarray, radius: int) -> np.ndarray:
    """(H, W) local area ratio of a map (H, W, 2): the determinant of its Jacobian, averaged over (2r+1)² windows.

    1 for a rigid shift, < 1 where a region of the frame comes from a smaller region of the keyframe, <= 0 where the
    map folds over itself (a mosaic of unrelated keyframe positions).
    """
    x, y = cv2.split(coords)  # contiguous planes: OpenCV would copy strided views for each of the four Sobels
    dx_dx, dx_dy = (cv2.Sobel(x, cv2.CV_32F, *order, ksize=1, scale=0.5) for order in ((1, 0), (0, 1)))
    dy_dx, dy_dy = (cv2.Sobel(y, cv2.CV_32F, *order, ksize=1, scale=0.5) for order in ((1, 0), (0, 1)))
    determinant = cv2.multiply(dx_dx, dy_dy)  # OpenCV's element-wise ops: 15 % faster here, the same values
    determinant -= cv2.multiply(dx_dy, dy_dx)
    return cv2.blur(determinant, (2 * radius + 1,) * 2)

