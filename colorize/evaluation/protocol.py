"""Which frames a model gets in their true colors during an evaluation."""

import re
from dataclasses import dataclass

from colorize.errors import InputError


@dataclass(frozen=True)
class ReferenceProtocol:
    """Frames a model gets in true color: frame 0 only (``every=None``), or frames 0, K, 2K, ... (``every=K``)."""

    every: int | None = None

    @classmethod
    def parse(cls, text: str) -> "ReferenceProtocol":
        """``"first"`` or ``"keyframes:K"`` (K ≥ 1). Raises InputError otherwise."""
        if text == "first":
            return cls()
        match = re.fullmatch(r"keyframes:(\d+)", text)
        if match and int(match.group(1)) >= 1:
            return cls(int(match.group(1)))
        raise InputError(f"reference protocol must be 'first' or 'keyframes:K' with K >= 1, got {text!r}")

    def indices(self, num_frames: int) -> list[int]:
        """Reference frame indices for a clip of ``num_frames`` frames."""
        return [0] if self.every is None else list(range(0, num_frames, self.every))

    def __str__(self) -> str:
        return "first" if self.every is None else f"keyframes:{self.every}"
