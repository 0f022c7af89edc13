"""LPIPS plumbing. No real AlexNet weights exist offline: a randomly initialised trunk stands in and is marked so."""

import logging

import lpips as lpips_package
import numpy as np
import pytest
import torch
import torchvision

from colorize.metrics import LPIPS, MetricUnavailable, evaluate_video
from colorize.metrics.perceptual import ALEXNET_WEIGHTS

# the reference builds lpips.LPIPS, which passes torchvision its deprecated `pretrained=` argument
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated since 0.13:UserWarning")


@pytest.fixture()
def torch_home(tmp_path, monkeypatch):
    """An empty TORCH_HOME, so the real hub cache (if any) does not leak into the test."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    return tmp_path / "torch"


@pytest.fixture(scope="module")
def alexnet() -> torchvision.models.AlexNet:
    torch.manual_seed(0)
    return torchvision.models.alexnet(weights=None).eval()


def _reference(alexnet, output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The lpips package itself, with the trunk's layers swapped in module by module."""
    model = lpips_package.LPIPS(net="alex", version="0.1", pnet_rand=True, verbose=False).eval()
    for index, layer in enumerate(alexnet.features):
        for block in model.net.children():
            if str(index) in block._modules:
                block._modules[str(index)] = layer
    to_tensor = lambda v: torch.from_numpy(v / 127.5 - 1.0).float().permute(0, 3, 1, 2)  # noqa: E731
    with torch.no_grad():
        return model(to_tensor(output), to_tensor(target)).reshape(-1).numpy()


def test_missing_weights_is_unavailable(torch_home):
    with pytest.raises(MetricUnavailable) as info:
        LPIPS.load()
    message = str(info.value)
    assert ALEXNET_WEIGHTS in message and str(torch_home) in message and "\n" not in message


def test_missing_explicit_path(tmp_path):
    with pytest.raises(MetricUnavailable, match="nowhere.pth"):
        LPIPS.load(tmp_path / "nowhere.pth")


def test_loads_from_hub_cache_and_matches_lpips(torch_home, alexnet, clip, helpers):
    checkpoints = torch_home / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    torch.save(alexnet.state_dict(), checkpoints / ALEXNET_WEIGHTS)
    scorer = LPIPS.load()
    assert not scorer.random_backbone and "ImageNet" in scorer.description
    output = np.stack([helpers.add_noise(f, 8.0, seed=t) for t, f in enumerate(clip)])
    np.testing.assert_allclose(scorer(output, clip, reduction="none"), _reference(alexnet, output, clip),
                               rtol=1e-4, atol=1e-6)
    assert scorer(clip, clip) == 0.0
    assert scorer(output / 255.0, clip / 255.0) == pytest.approx(scorer(output, clip), rel=1e-5)


def test_explicit_file_and_folder(tmp_path, alexnet, helpers):
    torch.save(alexnet.state_dict(), tmp_path / ALEXNET_WEIGHTS)
    by_file, by_folder = LPIPS.load(tmp_path / ALEXNET_WEIGHTS), LPIPS.load(tmp_path)
    image = helpers.real_image("coffee")[:96, :96]
    other = np.ascontiguousarray(image[::-1])
    assert by_file(other, image) == by_folder(other, image) > 0


def test_wrong_checkpoint_is_unavailable(tmp_path):
    torch.save({"conv.weight": torch.zeros(1)}, tmp_path / ALEXNET_WEIGHTS)
    with pytest.raises(MetricUnavailable, match="not torchvision's AlexNet"):
        LPIPS.load(tmp_path)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / ALEXNET_WEIGHTS).write_bytes(b"not a checkpoint")
    with pytest.raises(MetricUnavailable, match="cannot read"):
        LPIPS.load(tmp_path / "junk")


def test_random_trunk_is_marked(clip, caplog):
    with caplog.at_level(logging.WARNING, logger="colorize.metrics.perceptual"):
        scorer = LPIPS.random(seed=1)
    assert scorer.random_backbone and "test only" in scorer.description and "RANDOM" in caplog.text
    assert scorer(clip[:2], clip[:2]) == 0.0
    flipped = np.ascontiguousarray(clip[:2, :, ::-1])
    assert scorer(flipped, clip[:2]) == LPIPS.random(seed=1)(flipped, clip[:2]) > 0  # seeded: reproducible
    result = evaluate_video(flipped, clip[:2], lpips=scorer)
    assert isinstance(result.scores["lpips"], float) and result.reasons["lpips"] == "random trunk, test only"
