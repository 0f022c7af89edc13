"""The order in which training samples are visited: shuffled per epoch, split across processes, resumable."""

from collections.abc import Iterator

import torch
from torch.utils.data import Sampler


class EpochSampler(Sampler[int]):
    """Indices ``0 .. length-1`` shuffled by (``seed``, epoch), this process's share, from a given position.

    The order depends only on the seed and the epoch, so a resumed run sees the same samples in the same order
    (``set_epoch(epoch, skip=n)`` starts after the first ``n`` indices of this process). With several processes
    the permutation is padded by wrapping around to a multiple of ``world_size``, then dealt out round-robin, as
    ``torch.utils.data.DistributedSampler`` does.
    """

    def __init__(self, length: int, seed: int = 0, shuffle: bool = True, rank: int = 0, world_size: int = 1) -> None:
        self.length, self.seed, self.shuffle, self.rank, self.world_size = length, seed, shuffle, rank, world_size
        self.epoch, self.skip = 0, 0

    def set_epoch(self, epoch: int, skip: int = 0) -> None:
        self.epoch, self.skip = epoch, skip

    def _indices(self) -> list[int]:
        if self.shuffle:
            generator = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
            order = torch.randperm(self.length, generator=generator).tolist()
        else:
            order = list(range(self.length))
        padded = order + order[: -self.length % self.world_size]  # no padding for one process
        return padded[self.rank :: self.world_size]

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices()[self.skip :])

    def __len__(self) -> int:
        return len(self._indices()) - self.skip
