"""The model registry: built-in specs, names that select them, custom models from entry points and checkpoints."""

import shutil

import numpy as np
import pytest

from colorize.errors import ColorizeError, InputError
from colorize.models import MODEL_SPECS, ColorizerSettings, get_spec, make_colorizer, register_custom_model
from colorize.models.loading import cached_snapshot
from colorize.models.sd_inpaint import StableDiffusionInpaintColorizer

ENTRY_MODULE = '''
import numpy as np

from colorize.models import Colorizer, ModelNeeds


class Sepia(Colorizer):
    needs = ModelNeeds(weights=False, gpu="no", memory_gib=0.0)

    def __init__(self, spec, settings):
        self.name, self.settings = spec.id, settings

    def colorize(self, lum, conditions=None):
        self._check(lum, conditions)
        return np.broadcast_to(np.float32([5.0, 20.0]), (*lum.shape, 2)).copy()


def build(spec, settings):
    return Sepia(spec, settings)
'''


def test_builtin_models():
    assert list(MODEL_SPECS)[:5] == ["propagation", "stable_diffusion_inpaint", "stable_diffusion_xl",
                                     "controlnet_colorization", "unet"]
    assert MODEL_SPECS["stable_diffusion_inpaint"].weights == ("stable-diffusion-v1-5/stable-diffusion-inpainting",)
    assert MODEL_SPECS["stable_diffusion_xl"].weights == ("stabilityai/stable-diffusion-xl-base-1.0",)
    assert MODEL_SPECS["controlnet_colorization"].weights == ("latentcat/control_v1p_sd15_brightness",
                                                              "stable-diffusion-v1-5/stable-diffusion-v1-5")
    assert MODEL_SPECS["propagation"].fetch() == ""  # no weights
    assert MODEL_SPECS["stable_diffusion_xl"].fetch() == ('hf download stabilityai/stable-diffusion-xl-base-1.0 '
                                                         '--include "*.json" --include "*.txt" --include '
                                                         '"*diffusion_pytorch_model.safetensors" --include '
                                                         '"*/model.safetensors" --exclude "safety_checker/*"')
    assert "python train_colorization.py --config configs/training/custom_unet.yaml" in MODEL_SPECS["unet"].fetch()
    assert MODEL_SPECS["propagation"].needs.reference and not MODEL_SPECS["propagation"].needs.weights


def test_names_that_select_a_model():
    assert get_spec("stable_diffusion_inpaint") is MODEL_SPECS["stable_diffusion_inpaint"]
    assert get_spec("runwayml/stable-diffusion-inpainting") is MODEL_SPECS["stable_diffusion_inpaint"]  # old id
    assert get_spec("stabilityai/stable-diffusion-xl-base-1.0") is MODEL_SPECS["stable_diffusion_xl"]
    assert get_spec("latentcat/control_v1p_sd15_brightness") is MODEL_SPECS["controlnet_colorization"]
    assert get_spec("anchored") is MODEL_SPECS["propagation"]  # the name the evaluation tables use
    assert [MODEL_SPECS[name].kind for name in ("gray", "copy", "chain")] == ["baseline"] * 3
    assert make_colorizer("anchored").config == make_colorizer("propagation").config
    assert make_colorizer("chain").config.method == "chain" and not make_colorizer("chain").config.scene_cut.enabled
    with pytest.raises(InputError, match="unknown model 'magic': choose one of propagation, stable_diffusion_inpaint"):
        get_spec("magic")


def test_custom_model_from_an_entry_point(model_registry, tmp_path, monkeypatch):
    (tmp_path / "sepia_colorizer.py").write_text(ENTRY_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = register_custom_model({"id": "sepia", "entry_point": "sepia_colorizer:build", "speed": "fast"})
    assert MODEL_SPECS["sepia"] is spec and spec.kind == "custom" and spec.speed == "fast"
    assert not spec.needs.weights and spec.needs.gpu == "no"
    colorizer = make_colorizer("sepia")
    assert colorizer.settings == ColorizerSettings()  # defaults when none are given
    ab = colorizer.colorize(np.full((2, 8, 8), 50.0, np.float32))
    assert ab.shape == (2, 8, 8, 2) and (ab == [5.0, 20.0]).all()

    register_custom_model({"id": "broken", "entry_point": "sepia_colorizer:nothing_here"})
    with pytest.raises(ColorizeError, match="model broken: cannot import sepia_colorizer:nothing_here "
                                            r"\(AttributeError: "):
        make_colorizer("broken")
    with pytest.raises(InputError, match="'sepia' is already registered"):
        register_custom_model({"id": "sepia", "entry_point": "sepia_colorizer:build"})
    register_custom_model({"id": "sepia", "entry_point": "sepia_colorizer:build", "quality": "high"}, replace=True)
    assert MODEL_SPECS["sepia"].quality == "high"


def test_custom_model_from_a_checkpoint_folder(model_registry, offline, settings, lum, tmp_path):
    folder = shutil.copytree(cached_snapshot("stable-diffusion-v1-5/stable-diffusion-inpainting"), tmp_path / "mine")
    spec = register_custom_model({"id": "my_inpaint", "checkpoint": str(folder)})  # backend read from the folder
    assert spec.factory == MODEL_SPECS["stable_diffusion_inpaint"].factory and spec.weights == (str(folder),)
    assert spec.kind == "custom" and spec.aliases == () and spec.fetch() == ""
    colorizer = make_colorizer("my_inpaint", settings)
    assert isinstance(colorizer, StableDiffusionInpaintColorizer)
    assert np.abs(colorizer.colorize(lum[:1])).mean() > 1.0
    # A local folder works as a model name as it is.
    assert isinstance(make_colorizer(str(folder), settings), StableDiffusionInpaintColorizer)


def test_custom_controlnet_keeps_the_base_model(model_registry, offline, tmp_path):
    folder = shutil.copytree(cached_snapshot("latentcat/control_v1p_sd15_brightness"), tmp_path / "cn")
    spec = register_custom_model({"id": "my_cn", "checkpoint": str(folder)})
    assert spec.weights == (str(folder), "stable-diffusion-v1-5/stable-diffusion-v1-5")
    assert spec.fetch().startswith("hf download stable-diffusion-v1-5/stable-diffusion-v1-5 --include ")
    assert "&&" not in spec.fetch()  # the local ControlNet needs no download


def test_custom_unet_checkpoint_file(model_registry, tmp_path):
    checkpoint = tmp_path / "unet.pt"
    checkpoint.write_bytes(b"not yet")
    spec = register_custom_model({"id": "my_unet", "checkpoint": str(checkpoint)})
    assert spec.factory == MODEL_SPECS["unet"].factory and spec.weights == (str(checkpoint),)
    with pytest.raises(ColorizeError, match="no U-Net checkpoint at .*config.json and model.safetensors missing"):
        make_colorizer("my_unet")


@pytest.mark.parametrize("entry, message", [
    ({"entry_point": "a:b"}, "'id' must be a non-empty string"),
    ({"id": "x", "entry_point": "a:b", "checkpoint": "c"}, "give one of 'entry_point' .* not both"),
    ({"id": "x", "entry_point": "no colon"}, "entry_point must look like package.module:factory"),
    ({"id": "x", "entry_point": "a:b", "color": 1}, "unknown key\\(s\\) color"),
    ({"id": "x", "entry_point": "a:b", "speed": "warp"}, "speed must be one of slow, medium, fast"),
    ({"id": "x", "entry_point": "a:b", "gpu": "maybe"}, "gpu must be one of no, recommended, required"),
    ({"id": "x", "entry_point": "a:b", "memory_gib": "lots"}, "memory_gib must be a number"),
    ({"id": "x", "checkpoint": "c", "base": "propagation"}, "base must be a model that loads weights"),
])
def test_bad_custom_entries(model_registry, entry, message):
    with pytest.raises(InputError, match=message):
        register_custom_model(entry)
    assert "x" not in MODEL_SPECS


def test_folder_written_by_an_unknown_class(tmp_path):
    (tmp_path / "model_index.json").write_text('{"_class_name": "FluxPipeline"}')
    with pytest.raises(InputError, match="written by FluxPipeline, which no colorizer loads"):
        get_spec(str(tmp_path))

