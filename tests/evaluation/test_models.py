"""Evaluable models: any id of the one registry (colorize.models), the propagation baselines under their table names."""

import numpy as np
import pytest

from colorize.errors import InputError
from colorize.evaluation import DEFAULT_MODELS, PROPAGATION_MODELS, check_model_names, make_model
from colorize.models import MODEL_SPECS, MissingWeightsError, register_custom_model
from colorize.propagation import PropagationConfig


def test_builtin_models():
    assert DEFAULT_MODELS == ("gray", "copy", "chain", "anchored")
    assert [model.name for model in PROPAGATION_MODELS] == list(DEFAULT_MODELS)
    assert PROPAGATION_MODELS[3].config() == PropagationConfig()  # this project's defaults, scene cuts on
    anchored = make_model("anchored")  # the registry's "propagation", under the name the tables use
    assert anchored.name == "anchored" and anchored.colorizer.name == "propagation"
    assert anchored.colorizer.config == PropagationConfig()
    assert anchored.description == MODEL_SPECS["propagation"].description
    for name in ("gray", "copy", "chain"):  # the naive baselines ignore scene cuts
        config = make_model(name, device="cuda").colorizer.config
        assert config.method == name and not config.scene_cut.enabled
        assert config == PROPAGATION_MODELS[DEFAULT_MODELS.index(name)].config()
    assert all(model.description for model in PROPAGATION_MODELS)
    check_model_names(["propagation", "anchored", "stable_diffusion_xl", "controlnet_colorization", "unet"])
    with pytest.raises(InputError, match="unknown model 'magic': choose one of propagation, stable_diffusion_inpaint"):
        make_model("magic")


def test_propagation_model_colorizes(clips):
    frames = clips["carphone"][:3]
    output = list(make_model("copy").colorize(lambda: iter(frames), {0: frames[0]}, len(frames)))
    assert len(output) == 3 and all(f.shape == frames[0].shape and f.dtype == np.uint8 for f in output)
    assert np.abs(output[0].astype(int) - frames[0]).mean() < 2  # the reference frame keeps its true colors


def test_propagation_uses_every_keyframe(clips):
    """Keyframes past frame 0 reach the propagation colorizer (not only frame 0's colors)."""
    frames = clips["bikes"][:6]
    model = make_model("copy")
    both = np.stack(list(model.colorize(lambda: iter(frames), {0: frames[0], 4: frames[4]}, 6)))
    first = np.stack(list(make_model("copy").colorize(lambda: iter(frames), {0: frames[0]}, 6)))
    error = [np.abs(out[4].astype(int) - frames[4]).mean() for out in (both, first)]
    assert error[0] < 0.1 and error[1] > 0.5, error  # measured 0.0 and 0.91


def test_registered_models_are_evaluable(model_registry, empty_cache, tmp_path):
    register_custom_model({"id": "mine", "entry_point": "colorize.models.propagation:PropagationColorizer"})
    assert make_model("mine").colorizer.config == PropagationConfig()
    with pytest.raises(MissingWeightsError):  # no weights anywhere: the runner reports the model unavailable
        make_model("stable_diffusion_inpaint")
