"""Resolving ``--device auto|cpu|cuda`` without importing torch unless it is asked about."""

import re

from colorize.errors import ColorizeError


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when a CUDA GPU is usable, else ``"cpu"``; ``"cuda"`` (or ``"cuda:N"``, kept as it
    is) without one is an error."""
    if device == "cpu":
        return "cpu"
    try:
        import torch

        available = torch.cuda.is_available()
    except ImportError:
        available = False
    one_gpu = re.fullmatch(r"cuda:\d+", device) is not None  # one GPU of several (accelerate launch)
    if (device == "cuda" or one_gpu) and not available:
        raise ColorizeError(f"--device {device} was asked for but no CUDA GPU is available (use --device cpu or auto)")
    if device not in ("auto", "cuda") and not one_gpu:
        raise ColorizeError(f"unknown device {device!r}: use auto, cpu or cuda")
    return device if one_gpu else "cuda" if available else "cpu"
