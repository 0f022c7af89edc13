"""Model-agnostic temporal stabiliser: makes any per-frame chroma (CIE Lab ab, raw scaling) steady over time.

Per frame, with one DIS flow computed on the input luminance (never on the colors being stabilised):

1. the previous frame is warped onto the current one; where the warped previous luminance disagrees with the
   current one the warp is not trusted (occlusions, fast motion); a frame where most pixels fail that test is a
   scene cut: the state is dropped and the new shot starts from its own chroma;
2. global flicker: the new chroma's hue rotation and gain relative to the previous frame's *input* chroma are
   measured on the trusted pixels (robustly: a region whose colors truly changed does not count) and chained into
   the input's global cast over the shot; :class:`colorize.temporal.cast.CastTrack` turns that into the output's
   cast (the shot's mean cast, approached in small steps; how fast it follows is learnt from the video's own
   flicker and measurement noise). The new chroma is brought to the output's cast, and so is the previous output,
   so what is left between the two is local;
3. local flicker: each pixel keeps a share of the warped previous output, the steady-state Kalman weight for the
   colorizer's local flicker and the warp's error, both learnt from the video
   (:class:`colorize.temporal.local.LocalFlicker`; at most ``temporal_weight``, 0 for a colorizer without local
   flicker), lowered where the warp is not trusted and where the new chroma differs from the warped output by more
   than that flicker explains (a truly new color: a recolored object);
4. ``new + weight * (warped - new)``, the correction passed through a guided filter under the luminance (edge-aware
   cleanup: the correction's edges follow the frame's, the colorizer's own detail is left as it is);
5. optionally, keyframes with known true chroma replace the output (anchoring) and tell the true cast.

Frame by frame (:meth:`TemporalStabilizer.step`) the stabiliser is causal: a shot's first frame keeps its own
flicker, and the output's cast then walks from it to the shot's mean. With ``lookahead`` frames
(:meth:`TemporalStabilizer.push` / :meth:`~TemporalStabilizer.flush`, :func:`stabilize_sequence`) a frame is output
once ``lookahead`` more frames were seen, and its global cast uses them: a shot starts at the mean cast of its first
``lookahead + 1`` frames. Only the global cast looks ahead; the local blend stays causal.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from colorize.color import resize, working_size
from colorize.flow import DISFlow, FlowConfig, warp
from colorize.temporal.cast import CastTrack, apply_cast, estimate_cast, ramp
from colorize.temporal.local import LocalFlicker
from colorize.utils.opencv import ximgproc


@dataclass
class StabilizerConfig:
    temporal_weight: float = 0.8  # 0..1: most a pixel keeps of the previous stabilised chroma (0: off)
    flow: FlowConfig = field(default_factory=lambda: FlowConfig(preset="ultrafast", max_side=320))
    lum_tolerance: tuple[float, float] = (6.0, 16.0)  # |ΔL| (0..255 gray levels) where trust falls from 1 to 0
    outlier_tolerance: tuple[float, float] = (3.0, 6.0)  # relative |Δab| ÷ the frame's median one where a pixel
    # stops counting for the global cast (from 1 to 0)
    change_tolerance: tuple[float, float] = (4.0, 9.0)  # |Δab|² / its expected variance where blending stops
    cast_rate: float = 0.01  # 0..1: least share of a new frame's global cast the true-cast estimate takes
    cast_smoothing: float = 0.2  # 0..1: share of the way to that estimate the output's cast moves per frame
    cast_tolerance: float | None = None  # the output's cast stays while within this many standard errors of the
    # estimate; None: 1 frame by frame, 2 with lookahead (it starts near the estimate, then need not follow its noise)
    lookahead: int = 0  # frames seen before one is output (push/flush, stabilize_sequence); step() needs 0
    chroma_floor: float = 4.0  # ab units added to the mean |ab| so that near-gray pixels are not over-tested
    window: int = 7  # px: box window over which the luminance and color tests are averaged
    cut_fraction: float = 0.5  # share of untrusted pixels above which a frame starts a new shot
    cleanup_radius: int = 8  # guided-filter radius in px (0: no cleanup)
    cleanup_eps: float = 1e-3  # guided-filter regulariser on L/255 squared units
    max_side: int | None = 640  # px: larger frames are stabilised at this longer side and the correction is
    # upsampled onto their own chroma (chroma is low-frequency; 1280x720: 57 -> 18 ms a frame on 2 cores). None: full

    def __post_init__(self) -> None:
        for name in ("temporal_weight", "cast_rate", "cast_smoothing"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        for name in ("lum_tolerance", "outlier_tolerance", "change_tolerance"):
            low, high = getattr(self, name)
            if not 0 <= low < high:
                raise ValueError(f"{name} must be (low, high) with 0 <= low < high, got {(low, high)}")
        if self.cast_tolerance is not None and self.cast_tolerance < 0:
            raise ValueError(f"cast_tolerance must be >= 0 or None, got {self.cast_tolerance}")
        if self.max_side is not None and self.max_side < 16:
            raise ValueError(f"max_side must be at least 16 or None, got {self.max_side}")
        if self.window < 1 or self.cleanup_radius < 0 or self.lookahead < 0 or not 0.0 < self.cut_fraction <= 1.0:
            raise ValueError(f"need window >= 1, cleanup_radius >= 0, lookahead >= 0 and cut_fraction in (0, 1], "
                             f"got {self.window}, {self.cleanup_radius}, {self.lookahead}, {self.cut_fraction}")


@dataclass
class _Frame:
    """One input frame waiting for output: what was measured on arrival, and its output cast once decided."""

    lum8: np.ndarray  # (H, W) uint8
    ab: np.ndarray  # (H, W, 2) float32 input chroma
    anchor: np.ndarray | None  # (H, W, 2) true chroma of a keyframe
    flow: np.ndarray | None  # (H, W, 2) flow to the previous frame; None where a shot starts
    lum_trust: np.ndarray | None  # (H, W) float32 trust of the warp, from the luminance
    warped_input: np.ndarray | None  # (H, W, 2) the previous frame's input chroma warped onto this one
    input_cast: complex = 0j  # log-cast of the input in its shot's coordinates
    output_cast: complex | None = None  # log-cast the output gets, once due
    full_ab: np.ndarray | None = None  # the input chroma at full size, where the frame was over max_side
    full_anchor: np.ndarray | None = None  # the anchor at full size, likewise


class TemporalStabilizer:
    """Stabilises one video, frame by frame; :meth:`reset` before another video.

    ``step(lum8, ab)``: ``lum8`` (H, W) uint8 input luminance (Lab L scaled to 0..255), ``ab`` (H, W, 2) float32
    chroma from any colorizer; returns the stabilised (H, W, 2) float32 ab. ``anchor`` (H, W, 2): true chroma of a
    keyframe, returned as is and carried forward. With ``lookahead`` > 0, :meth:`push` frames in and collect what
    comes out, then :meth:`flush` at the end. Frames larger than ``max_side`` are stabilised on a smaller copy and
    get its correction (stabilised minus input chroma) upsampled onto their own chroma; ``last_weight`` is then at
    the smaller size.
    """

    def __init__(self, config: StabilizerConfig | None = None) -> None:
        self.config = config or StabilizerConfig()
        self._flow = DISFlow(self.config.flow)
        self.reset()

    def reset(self) -> None:
        self._queue: deque[_Frame] = deque()
        self._last_input: _Frame | None = None
        self._ab: np.ndarray | None = None  # the previous output
        self._output_cast = 0j  # the previous output's cast
        self._previous: _Frame | None = None  # the previous output's input frame
        self._diff: np.ndarray | None = None  # the previous output's input minus its predecessor's (same cast)
        self._local = LocalFlicker()
        tolerance = self.config.cast_tolerance
        if tolerance is None:
            tolerance = 2.0 if self.config.lookahead else 1.0
        self._cast = CastTrack(self.config.cast_rate, self.config.cast_smoothing, tolerance)
        self.last_weight: np.ndarray | None = None  # (H, W) float32 weight of the previous chroma, last output
        self.cuts: list[int] = []  # frame indices (since reset) that started a new shot
        self._index = -1

    def step(self, lum8: np.ndarray, ab: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
        """The stabilised chroma of this frame (causal: needs ``lookahead`` 0)."""
        if self.config.lookahead:
            raise ValueError(f"step() returns each frame at once: with lookahead={self.config.lookahead} use "
                             "push() and flush(), or stabilize_sequence()")
        (out,) = self.push(lum8, ab, anchor)
        return out

    def push(self, lum8: np.ndarray, ab: np.ndarray, anchor: np.ndarray | None = None) -> list[np.ndarray]:
        """Take the next frame; returns the stabilised (H, W, 2) chroma of the frames now due, in order."""
        if lum8.dtype != np.uint8 or lum8.ndim != 2 or ab.shape != (*lum8.shape, 2):
            raise ValueError(f"expected (H, W) uint8 luminance and (H, W, 2) chroma, got {lum8.shape} {lum8.dtype} "
                             f"and {ab.shape}")
        self._index += 1
        ab = full_ab = ab.astype(np.float32, copy=False)
        full_anchor, small = anchor, working_size(*lum8.shape, self.config.max_side)
        if small != lum8.shape:
            lum8, ab = resize(lum8, small), resize(ab, small)
            anchor = None if anchor is None else resize(anchor.astype(np.float32), small)
        frame, change = self._measure(lum8, ab, anchor)
        if ab is not full_ab:
            frame.full_ab, frame.full_anchor = full_ab, full_anchor
        if frame.flow is None or self._cast.jumps(change):  # a new shot (or new colors): the last one's frames are
            self._decide(len(self._queue))  # due with the cast it has
            if frame.flow is not None:
                frame.input_cast = self._cast.input_cast + change[0]
            self._cast.start(frame.input_cast, truth=anchor is not None)
        else:
            frame.input_cast = self._cast.add(change)
        self._queue.append(frame)
        self._last_input = frame
        self._decide(len(self._queue) - self.config.lookahead)
        return self._emit()

    def flush(self) -> list[np.ndarray]:
        """The frames still held for lookahead, stabilised, in order (the end of the video)."""
        self._decide(len(self._queue))
        return self._emit()

    def _measure(self, lum8: np.ndarray, ab: np.ndarray,
                 anchor: np.ndarray | None) -> tuple[_Frame, tuple[complex, complex] | None]:
        """The frame with its flow and luminance trust, and its input's cast change from the previous frame's
        (:func:`estimate_cast`). Where a shot starts the flow is None, and the input's cast is its cast relative
        to the anchor (else 0)."""
        cfg, last = self.config, self._last_input
        if anchor is not None:
            anchor = anchor.astype(np.float32)
            cast = estimate_cast(ab, anchor, np.ones(lum8.shape, np.float32), cfg.outlier_tolerance, cfg.chroma_floor)
            return _Frame(lum8, ab, anchor, None, None, None, cast[0] if cast else 0j), None
        if last is None or last.lum8.shape != lum8.shape or cfg.temporal_weight == 0.0:
            return _Frame(lum8, ab, None, None, None, None), None
        flow = self._flow(lum8, last.lum8)  # warp(previous, flow) lines up with this frame
        lum_err = cv2.absdiff(lum8, warp(last.lum8, flow)).astype(np.float32)
        lum_trust = ramp(cv2.blur(lum_err, (cfg.window, cfg.window)), *cfg.lum_tolerance)
        if (lum_trust < 0.5).mean() > cfg.cut_fraction:  # a scene cut: nothing to carry over
            self.cuts.append(self._index)
            return _Frame(lum8, ab, None, None, None, None), None
        # Nearest-neighbour sampling keeps the chroma's energy: bilinear would blur it a little every frame, and
        # the chained gain would drift by that much.
        warped = warp(last.ab, flow, interpolation=cv2.INTER_NEAREST)
        change = estimate_cast(ab, warped, lum_trust, cfg.outlier_tolerance, cfg.chroma_floor)
        return _Frame(lum8, ab, None, flow, lum_trust, warped), change

    def _decide(self, count: int) -> None:
        """The first ``count`` queued frames are due: each gets the output's cast as it stands."""
        for frame in list(self._queue)[:max(count, 0)]:
            if frame.output_cast is None:
                frame.output_cast = 0j if frame.anchor is not None else self._cast.output_cast()

    def _emit(self) -> list[np.ndarray]:
        out = []
        while self._queue and self._queue[0].output_cast is not None:
            frame = self._queue.popleft()
            stabilised = self._output(frame)
            if frame.full_anchor is not None:
                stabilised = frame.full_anchor.astype(np.float32)
            elif frame.full_ab is not None:  # the correction made at the smaller size, onto the frame's own chroma
                stabilised = frame.full_ab + resize(stabilised - frame.ab, frame.full_ab.shape[:2])
            out.append(stabilised)
        return out

    def _output(self, frame: _Frame) -> np.ndarray:
        """The stabilised chroma of a due frame; the previous output becomes this one."""
        cast = frame.output_cast
        ab = apply_cast(frame.ab, cast - frame.input_cast)  # the input brought to the output's cast
        if frame.flow is None or self._previous is None or self._ab is None:  # a shot starts
            self.last_weight = np.zeros(frame.lum8.shape, np.float32)
            self._diff = None
        else:
            previous_input = apply_cast(frame.warped_input, cast - self._previous.input_cast)
            diff = ab - previous_input
            self._local.update(diff, None if self._diff is None else warp(self._diff, frame.flow), frame.lum_trust)
            self._diff = diff
            ab = self._blend(frame, ab, apply_cast(warp(self._ab, frame.flow), cast - self._output_cast), diff)
        if frame.anchor is not None:
            ab = frame.anchor
        self._ab, self._output_cast, self._previous = ab, cast, frame
        return ab

    def _blend(self, frame: _Frame, ab: np.ndarray, warped_ab: np.ndarray, step: np.ndarray) -> np.ndarray:
        """``ab`` and the warped previous output (both at the output's cast) blended where the warp is trusted,
        as much as the colorizer's local flicker calls for, except where the colors truly changed: where ``ab``
        differs from the warped output by more than chance allows, or by more than it differs from the previous
        input (``step``: ``ab`` minus the warped previous input; the output lags a change the input already
        made in the previous frame)."""
        cfg = self.config
        most, innovation_var = self._local.weight()
        most = min(cfg.temporal_weight, most)
        if most < 1e-3:  # no local flicker to take out
            self.last_weight = np.zeros(frame.lum8.shape, np.float32)
            return ab
        box = (cfg.window, cfg.window)
        lag = cv2.blur(_norm(ab - warped_ab) ** 2, box) / innovation_var
        persistent = lag - cv2.blur(_norm(step) ** 2, box) / self._local.step_var()
        weight = most * frame.lum_trust * ramp(np.maximum(lag, persistent), *cfg.change_tolerance)
        self.last_weight = weight
        return ab + self._cleanup(frame.lum8, weight[..., None] * (warped_ab - ab))

    def _cleanup(self, lum8: np.ndarray, correction: np.ndarray) -> np.ndarray:
        """The (H, W, 2) chroma correction made edge-aware: guided filter under the luminance."""
        if self.config.cleanup_radius == 0:
            return correction
        guide = lum8.astype(np.float32) / 255.0
        return ximgproc().guidedFilter(guide, correction, self.config.cleanup_radius, self.config.cleanup_eps)


def _norm(ab: np.ndarray) -> np.ndarray:
    """(H, W) float32 |ab| of (H, W, 2) float32 chroma."""
    a, b = cv2.split(np.ascontiguousarray(ab, dtype=np.float32))
    return cv2.magnitude(a, b)


def stabilize_sequence(lum8: Iterable[np.ndarray], chroma: Iterable[np.ndarray],
                       config: StabilizerConfig | None = None,
                       anchors: dict[int, np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """Stabilise a whole video: (H, W) uint8 luminance and (H, W, 2) ab per frame -> stabilised ab per frame
    (``config.lookahead`` frames behind the input).

    ``anchors``: frame index -> (H, W, 2) true chroma of a keyframe (optional).
    """
    stabilizer = TemporalStabilizer(config)
    anchors = anchors or {}
    for index, (lum, ab) in enumerate(zip(lum8, chroma, strict=True)):
        yield from stabilizer.push(lum, ab, anchors.get(index))
    yield from stabilizer.flush()
