"""LPIPS (Zhang et al., CVPR 2018) through the ``lpips`` package: AlexNet trunk, linear calibration v0.1.

The calibrated linear layers ship inside the ``lpips`` wheel. The AlexNet trunk is torchvision's ImageNet
checkpoint ``alexnet-owt-7be5be79.pth``, which ``lpips`` would download; here it is only read from disk (the torch
hub cache, ``$TORCH_HOME/hub/checkpoints``, or an explicit path). Without it :meth:`LPIPS.load` raises
:class:`~colorize.metrics.weights.MetricUnavailable` instead of scoring with an untrained trunk.

Reference: R. Zhang, P. Isola, A. A. Efros, E. Shechtman, O. Wang, "The Unreasonable Effectiveness of Deep
Features as a Perceptual Metric", CVPR 2018.
"""

import logging
import os
import warnings

import numpy as np
import torch

from colorize.metrics._frames import ArrayLike, as_video, check_same_shape, reduce, to_float
from colorize.metrics.weights import MetricUnavailable, find_weights

logger = logging.getLogger(__name__)

ALEXNET_WEIGHTS = "alexnet-owt-7be5be79.pth"  # torchvision's AlexNet_Weights.IMAGENET1K_V1 file name


def _build(device: str | torch.device):
    try:
        import lpips
    except ModuleNotFoundError as err:
        raise MetricUnavailable("LPIPS needs the lpips package: pip install lpips") from err
    with warnings.catch_warnings():  # lpips passes torchvision's deprecated `pretrained=` argument
        warnings.simplefilter("ignore", UserWarning)
        # pnet_rand=True: no trunk download; the v0.1 linear layers still load from the lpips package.
        model = lpips.LPIPS(net="alex", version="0.1", pnet_rand=True, verbose=False)
    return model.eval().to(device)


def _load_alexnet_trunk(model: torch.nn.Module, path: os.PathLike) -> None:
    """Copy torchvision AlexNet ``features.*`` weights from ``path`` into lpips' sliced trunk (strictly)."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # corrupt file, wrong format: report, don't crash the evaluation
        raise MetricUnavailable(f"cannot read AlexNet weights {path}: {err}".replace("\n", " ")) from err
    mapped = {}
    for slice_name, block in model.net.named_children():  # slice1..slice5 hold features[i] under the name "i"
        for index, layer in block.named_children():
            for param_name, _ in layer.named_parameters(recurse=False):
                source = f"features.{index}.{param_name}"
                if source not in state:
                    raise MetricUnavailable(f"{path} is not torchvision's AlexNet checkpoint (no {source})")
                mapped[f"{slice_name}.{index}.{param_name}"] = state[source]
    try:
        model.net.load_state_dict(mapped, strict=True)
    except RuntimeError as err:
        raise MetricUnavailable(f"{path} does not fit LPIPS' AlexNet trunk: {err}".replace("\n", " ")) from err


class LPIPS:
    """LPIPS scorer, lower is closer. Build it with :meth:`load` (real weights) or :meth:`random` (tests only)."""

    def __init__(self, model: torch.nn.Module, device: str | torch.device, random_backbone: bool) -> None:
        self.model = model
        self.device = torch.device(device)
        self.random_backbone = random_backbone  # True: numbers are meaningless, for plumbing tests only

    @classmethod
    def load(cls, weights: str | os.PathLike | None = None, device: str | torch.device = "cpu") -> "LPIPS":
        """LPIPS-Alex v0.1 with the ImageNet AlexNet trunk.

        Args:
            weights: ``alexnet-owt-7be5be79.pth`` or the folder holding it; default: the torch hub cache.
            device: where the network runs.

        Raises:
            MetricUnavailable: the lpips package or the AlexNet weights are missing or unreadable.
        """
        path = find_weights(ALEXNET_WEIGHTS, weights, what="LPIPS AlexNet")
        model = _build(device)
        _load_alexnet_trunk(model, path)
        model.to(device)
        logger.info("LPIPS: AlexNet trunk from %s", path)
        return cls(model, device, random_backbone=False)

    @classmethod
    def random(cls, seed: int = 0, device: str | torch.device = "cpu") -> "LPIPS":
        """LPIPS with a randomly initialised trunk (real v0.1 linear layers): for testing the plumbing only."""
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = _build(device)
        logger.warning("LPIPS with a RANDOM AlexNet trunk: its values are not LPIPS, use for tests only")
        return cls(model, device, random_backbone=True)

    @property
    def description(self) -> str:
        trunk = "random trunk, test only" if self.random_backbone else "ImageNet trunk"
        return f"LPIPS alex v0.1 ({trunk})"

    @torch.inference_mode()
    def __call__(self, output: ArrayLike, target: ArrayLike, reduction: str = "mean",
                 batch_size: int = 8) -> float | np.ndarray:
        """LPIPS distance per frame between ``output`` and ``target``.

        Args:
            output: an RGB frame (H, W, 3) or video (T, H, W, 3), uint8 or float in [0, 1] (scaled to [-1, 1]
                for the network, as ``lpips`` expects).
            target: the ground truth, same shape.
            reduction: ``"mean"`` over frames, or ``"none"`` for the (T,) per-frame values.
            batch_size: frames per forward pass.
        """
        output, target = as_video(output, "output"), as_video(target, "target")
        check_same_shape(output, target)
        values = []
        for start in range(0, len(output), batch_size):
            a, b = (torch.from_numpy(to_float(v[start:start + batch_size], np.float32)).permute(0, 3, 1, 2)
                    .to(self.device) for v in (output, target))
            values.append(self.model(a, b, normalize=True).reshape(-1).double().cpu())
        return reduce(torch.cat(values).numpy(), reduction)
