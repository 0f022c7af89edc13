"""The evaluable-models registry: the propagation colorizer and its baselines, extensible by name."""

import numpy as np
import pytest

import colorize.evaluation.models as models_module
from colorize.errors import InputError
from colorize.evaluation import PROPAGATION_MODELS, make_model, model_names, register_model
from colorize.propagation import PropagationConfig


def test_builtin_models():
    assert model_names()[:4] == ["gray", "copy", "chain", "anchored"]
    assert make_model("anchored").config() == PropagationConfig()  # this project's defaults, scene cuts on
    for name in ("gray", "copy", "chain"):  # the naive baselines ignore scene cuts
        config = make_model(name, device="cuda").config()
        assert config.method == name and not config.scene_cut.enabled
    assert all(model.description for model in PROPAGATION_MODELS)
    with pytest.raises(InputError, match="unknown model 'magic'; choose from gray, copy, chain, anchored"):
        make_model("magic")


def test_propagation_model_colorizes(clips):
    frames = clips["carphone"][:3]
    output = list(make_model("copy").colorize(lambda: iter(frames), {0: frames[0]}, len(frames)))
    assert len(output) == 3 and all(f.shape == frames[0].shape and f.dtype == np.uint8 for f in output)
    assert np.abs(output[0].astype(int) - frames[0]).mean() < 2  # the reference frame keeps its true colours


def test_register_model(monkeypatch):
    monkeypatch.setattr(models_module, "_REGISTRY", dict(models_module._REGISTRY))
    built = []
    register_model("later", lambda device: built.append(device) or PROPAGATION_MODELS[0])
    assert model_names()[-1] == "later" and built == []  # factories run only when a model is asked for
    assert make_model("later", "cuda") is PROPAGATION_MODELS[0] and built == ["cuda"]
    with pytest.raises(ValueError, match="already registered"):
        register_model("later", lambda device: None)
