"""FID (Heusel et al., NeurIPS 2017) over sets of frames, with torchmetrics and torch-fidelity's Inception-v3.

The Inception weights are torch-fidelity's port of the 2015 TensorFlow graph, ``weights-inception-2015-12-05-
6726825d.pth``, read from the torch hub cache (``$TORCH_HOME/hub/checkpoints``) or an explicit path, never
downloaded. Frames are resized to 299 × 299 with TensorFlow-1.x-compatible bilinear interpolation (torchmetrics'
``antialias=False``), as torch-fidelity and the original TF code do, so values are comparable with papers.

FID is a statistic of a frame *set*: accumulate every clip of a model with :meth:`FID.update`, then call
:meth:`FID.compute` once. Far fewer than 2048 frames give a biased (higher) value; compare models only on the
same frames.

Reference: M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter, "GANs Trained by a Two Time-Scale
Update Rule Converge to a Local Nash Equilibrium", NeurIPS 2017.
"""

import logging
import os

import numpy as np
import torch
from torchmetrics.image.fid import FrechetInceptionDistance

from colorize.metrics._frames import ArrayLike, as_video, to_uint8
from colorize.metrics.weights import MetricUnavailable, find_weights

logger = logging.getLogger(__name__)

INCEPTION_WEIGHTS = "weights-inception-2015-12-05-6726825d.pth"  # torch-fidelity's release file name


class FID:
    """Accumulates ground-truth ("real") and output ("fake") frames; :meth:`compute` gives the FID (lower is better).

    Build it with :meth:`load` (real Inception) or :meth:`with_features` (any feature network, for tests).
    """

    def __init__(self, metric: FrechetInceptionDistance, device: str | torch.device, custom_features: bool) -> None:
        self.metric = metric.to(device)
        self.device = torch.device(device)
        self.custom_features = custom_features  # True: not Inception, values are not comparable with papers

    @classmethod
    def load(cls, weights: str | os.PathLike | None = None, device: str | torch.device = "cpu") -> "FID":
        """FID on the 2048-d pool features of torch-fidelity's Inception-v3.

        Args:
            weights: ``weights-inception-2015-12-05-6726825d.pth`` or its folder; default: the torch hub cache.

        Raises:
            MetricUnavailable: torch-fidelity is not installed, or the weights are missing or unreadable.
        """
        try:
            import torch_fidelity  # noqa: F401
        except ModuleNotFoundError as err:
            raise MetricUnavailable("FID needs the torch-fidelity package: pip install torch-fidelity") from err
        path = find_weights(INCEPTION_WEIGHTS, weights, what="FID Inception")
        try:
            metric = FrechetInceptionDistance(feature=2048, normalize=False, antialias=False,
                                              feature_extractor_weights_path=str(path))
        except Exception as err:  # unreadable or mismatching file: report, don't crash the evaluation
            raise MetricUnavailable(f"cannot load FID Inception weights {path}: {err}".replace("\n", " ")) from err
        logger.info("FID: Inception-v3 weights from %s", path)
        return cls(metric, device, custom_features=False)

    @classmethod
    def with_features(cls, network: torch.nn.Module, device: str | torch.device = "cpu") -> "FID":
        """FID on the features of ``network``, which maps (B, 3, H, W) uint8 to (B, D). For tests only."""
        logger.warning("FID with a custom feature network: values are not comparable with Inception FID")
        return cls(FrechetInceptionDistance(feature=network, normalize=False), device, custom_features=True)

    @property
    def description(self) -> str:
        return "FID (custom features, test only)" if self.custom_features else "FID Inception-v3 pool3 (2048)"

    @property
    def num_frames(self) -> tuple[int, int]:
        """(output frames, ground-truth frames) accumulated so far."""
        return int(self.metric.fake_features_num_samples), int(self.metric.real_features_num_samples)

    @torch.inference_mode()
    def update(self, output: ArrayLike | None = None, target: ArrayLike | None = None, batch_size: int = 16) -> None:
        """Add frames: ``output`` (T, H, W, 3) to the generated set, ``target`` to the real set.

        Frames are uint8 or float in [0, 1] (rounded to uint8, as the Inception network expects). Either may be
        None, e.g. to add the ground truth once for several models.
        """
        for frames, real in ((output, False), (target, True)):
            if frames is None:
                continue
            video = to_uint8(as_video(frames, "target" if real else "output"))
            for start in range(0, len(video), batch_size):
                # contiguous and writable: torch warns on read-only arrays (decoded clips are marked read-only)
                batch = torch.from_numpy(np.require(video[start:start + batch_size], requirements="CW"))
                self.metric.update(batch.permute(0, 3, 1, 2).to(self.device), real=real)

    def compute(self) -> float:
        """FID of the accumulated sets; needs at least 2 frames in each."""
        fake, real = self.num_frames
        if fake < 2 or real < 2:
            raise ValueError(f"FID needs at least 2 frames per set, got {fake} output and {real} ground truth")
        if min(fake, real) < 2048:
            logger.info("FID on %d / %d frames (< 2048): biased upwards, compare only on the same frames", fake, real)
        return float(self.metric.compute())

    def reset(self) -> None:
        self.metric.reset()
