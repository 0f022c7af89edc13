"""Temporal coherence for any colorizer: per-frame chroma in, flicker-free chroma out (CIE Lab ab, raw scaling)."""

from colorize.temporal.stabilizer import StabilizerConfig, TemporalStabilizer, stabilize_sequence

__all__ = ["StabilizerConfig", "TemporalStabilizer", "stabilize_sequence"]
