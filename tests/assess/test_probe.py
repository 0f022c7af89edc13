"""Machine probes: free memory, and which models have their weights on disk."""

import psutil
import pytest

from colorize.assess import probe
from colorize.models import MODEL_SPECS

NO_WEIGHTS = {"propagation", "gray", "copy", "chain"}  # keyframe propagation and its baselines


def test_free_ram():
    assert probe.free_memory_gib("cpu") == pytest.approx(psutil.virtual_memory().available / 2**30, rel=0.1)


def test_models_on_disk(offline):
    assert probe.models_on_disk(MODEL_SPECS) == NO_WEIGHTS | {"stable_diffusion_inpaint", "stable_diffusion_xl",
                                                              "controlnet_colorization"}  # the U-Net: no checkpoint


def test_models_on_disk_with_an_empty_cache(empty_cache):
    assert probe.models_on_disk(MODEL_SPECS) == NO_WEIGHTS
