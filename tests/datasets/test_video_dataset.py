"""VideoColorizationDataset: sample contents and shapes, seeding, flows, DataLoader workers."""

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from colorize.color import rgb_to_lab
from colorize.datasets import ArraySequence, AugmentConfig, VideoColorizationDataset
from colorize.errors import InputError
from testkit.clips import moving_square_frames
from testkit.datasets import write_frames_dataset

AUGMENT = AugmentConfig(crop_size=24, scale=(0.8, 1.25), rotate=5.0, luminance_gain=0.1)


@pytest.fixture
def data_dir(tmp_path):
    return write_frames_dataset(tmp_path / "train", videos=2, num_frames=6, depth=True, semantic=True)


def test_sample_shapes_and_values(data_dir):
    dataset = VideoColorizationDataset(data_dir, include_depth=True, include_semantic=True, clip_length=3)
    assert len(dataset) == 2 * (6 - 3 + 1)
    sample = dataset[5]  # video1, frames 1..3, no augmentation
    shapes = {name: tuple(value.shape) for name, value in sample.items()}
    assert shapes == {"lum": (3, 1, 32, 48), "ab": (3, 2, 32, 48), "rgb": (3, 32, 48, 3), "index": (),
                      "depth": (3, 1, 32, 48), "semantic": (3, 32, 48), "flow": (2, 2, 32, 48),
                      "flow_valid": (2, 1, 32, 48)}
    truth = moving_square_frames(6, step=3)[1:4]
    np.testing.assert_array_equal(sample["rgb"].numpy(), truth)
    lab = rgb_to_lab(truth[0])
    np.testing.assert_allclose(sample["lum"][0, 0].numpy(), lab[..., 0] / 100, atol=1e-5)
    np.testing.assert_allclose(sample["ab"][0].permute(1, 2, 0).numpy(), lab[..., 1:] / 128, atol=1e-5)
    assert sample["semantic"].dtype == torch.int64 and sample["semantic"].sum() > 0


def test_flow_follows_the_square(data_dir):
    sample = VideoColorizationDataset(data_dir, clip_length=2)[0]  # video0: the square moves 2 px right
    flow, valid = sample["flow"][0].numpy(), sample["flow_valid"][0, 0].numpy() > 0
    square = sample["rgb"][1, ..., 0].numpy() > 150  # where the square is in frame 1
    core = square & valid
    assert core.sum() > 20
    # flow goes frame 1 -> frame 0: the square came from 2 px to the left
    np.testing.assert_allclose(np.median(flow[0][core]), -2.0, atol=0.3)
    assert 0.5 < valid.mean() <= 1.0


def test_augmented_samples_are_seeded_per_index_and_epoch(data_dir):
    dataset = VideoColorizationDataset(data_dir, clip_length=2, augment=AUGMENT, seed=7)
    first, again = dataset[3], dataset[3]
    torch.testing.assert_close(first["lum"], again["lum"])
    assert first["rgb"].shape == (2, 24, 24, 3)
    assert not torch.equal(first["rgb"], dataset[2]["rgb"])
    dataset.set_epoch(1)
    assert not torch.equal(first["rgb"], dataset[3]["rgb"])  # a new epoch draws new augmentations
    other_seed = VideoColorizationDataset(data_dir, clip_length=2, augment=AUGMENT, seed=8)
    assert not torch.equal(first["rgb"], other_seed[3]["rgb"])


def test_workers_give_the_same_batches(data_dir):
    dataset = VideoColorizationDataset(data_dir, clip_length=2, augment=AUGMENT)
    single = list(DataLoader(dataset, batch_size=4))
    workers = list(DataLoader(dataset, batch_size=4, num_workers=2))
    assert len(single) == len(workers) == 3
    for a, b in zip(single, workers, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            torch.testing.assert_close(a[key], b[key])


def test_in_memory_sequences_and_repeat():
    sequences = [ArraySequence("key", moving_square_frames(1))]
    dataset = VideoColorizationDataset(sequences=sequences, clip_length=1, augment=AUGMENT, repeat=5)
    assert len(dataset) == 5 and "flow" not in dataset[0]
    assert not torch.equal(dataset[0]["rgb"], dataset[1]["rgb"])  # each repeat is augmented differently


def test_errors_are_one_line(tmp_path, data_dir):
    with pytest.raises(InputError, match="data folder not found") as info:
        VideoColorizationDataset(tmp_path / "nowhere")
    assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="no clip of 7 consecutive frames"):
        VideoColorizationDataset(data_dir, clip_length=7)
