"""EpochSampler: same order for a seed and epoch, resumable mid-epoch, split across processes."""

from colorize.training.sampler import EpochSampler


def test_order_depends_on_seed_and_epoch_only():
    a, b = EpochSampler(10, seed=3), EpochSampler(10, seed=3)
    assert list(a) == list(b) and sorted(a) == list(range(10))
    first = list(a)
    a.set_epoch(1)
    assert list(a) != first and sorted(a) == list(range(10))
    assert list(EpochSampler(10, seed=4)) != first
    assert list(EpochSampler(5, shuffle=False)) == [0, 1, 2, 3, 4]


def test_skip_resumes_mid_epoch():
    sampler = EpochSampler(10, seed=1)
    sampler.set_epoch(2)
    whole = list(sampler)
    sampler.set_epoch(2, skip=4)
    assert list(sampler) == whole[4:] and len(sampler) == 6


def test_processes_share_an_epoch_evenly():
    shares = [list(EpochSampler(10, seed=0, rank=rank, world_size=3)) for rank in range(3)]
    assert [len(share) for share in shares] == [4, 4, 4]  # padded from 10 to 12 by wrapping around
    assert set(sum(shares, [])) == set(range(10))
