"""Shared base for the torchmetrics wrappers: a running mean of per-item (frame or video) scores."""

import torch
from torchmetrics import Metric


class _RunningMean(Metric):
    """Subclasses implement ``_scores(*args) -> 1-D array of scores``; ``compute`` is their mean over all updates."""

    is_differentiable = False
    full_state_update = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_state("total", default=torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("count", default=torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum")

    def _scores(self, *args, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, *args, **kwargs) -> None:
        scores = torch.as_tensor(self._scores(*args, **kwargs), dtype=torch.float64).reshape(-1)
        self.total += scores.sum().to(self.total.device)
        self.count += scores.numel()

    def compute(self) -> torch.Tensor:
        if int(self.count) == 0:
            raise ValueError(f"{type(self).__name__}.compute() called before any update()")
        return self.total / self.count
