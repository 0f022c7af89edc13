"""Resolving ``--device auto|cpu|cuda`` without importing torch unless it is asked about."""

from colorize.errors import ColorizeError


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when a CUDA GPU is usable, else ``"cpu"``; ``"cuda"`` without one is an error."""
    if device == "cpu":
        return "cpu"
    try:
        import torch

        available = torch.cuda.is_available()
    except ImportError:
        available = False
    if device == "cuda" and not available:
        raise ColorizeError("--device cuda was asked for but no CUDA GPU is available (use --device cpu or auto)")
    if device not in ("auto", "cuda"):
        raise ColorizeError(f"unknown device {device!r}: use auto, cpu or cuda")
    return "cuda" if available else "cpu"
