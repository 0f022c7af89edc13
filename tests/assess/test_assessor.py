"""PretrainedModelAssessor: the registry it reads, recommendations on this machine, comparisons on a dataset."""

import dataclasses

import pytest

import colorize
from colorize.assess import PretrainedModelAssessor, probe
from colorize.errors import InputError
from colorize.models import MODEL_SPECS, ColorizerSettings, ModelSpec, register_custom_model

TINY = ColorizerSettings(device="cpu", inference_steps=2, resolution=64)  # the tiny test pipelines' size
VIDEO = {"width": 1280, "height": 720, "duration": 10.0, "fps": 24}


def test_exported_lazily_from_colorize():
    assert colorize.PretrainedModelAssessor is PretrainedModelAssessor and "PretrainedModelAssessor" in colorize.__all__


def test_available_models_is_the_registry(model_registry):
    assessor = PretrainedModelAssessor(device="cpu")
    assert PretrainedModelAssessor.AVAILABLE_MODELS is MODEL_SPECS
    assert list(assessor.models())[:5] == ["propagation", "stable_diffusion_inpaint", "stable_diffusion_xl",
                                           "controlnet_colorization", "unet"]
    register_custom_model({"id": "registered", "entry_point": "a.b:c"})
    PretrainedModelAssessor.AVAILABLE_MODELS["direct"] = {"entry_point": "a.b:d", "quality": "high", "gpu": "required"}
    specs = assessor.models()
    assert specs["registered"].factory == "a.b:c"
    assert isinstance(specs["direct"], ModelSpec) and specs["direct"].quality == "high"
    assert specs["direct"].needs.gpu == "required"


def test_situation_from_video_characteristics(monkeypatch, empty_cache):
    monkeypatch.setattr(probe, "free_memory_gib", lambda device: 12.5)
    situation = PretrainedModelAssessor(device="cpu").situation({**VIDEO, "complexity": "high"})
    assert (situation.width, situation.height, situation.num_frames) == (1280, 720, 240)
    assert situation.complexity == "high" and not situation.has_reference
    assert situation.device == "cpu" and situation.free_memory_gib == 12.5
    assert situation.on_disk == {"propagation", "gray", "copy", "chain"}  # what needs no weights


@pytest.mark.parametrize("video, message", [
    ({**VIDEO, "colour": True}, "unknown key\\(s\\) colour"),
    ({"width": 64, "height": 64}, "needs width, height and duration"),
    ({**VIDEO, "complexity": "extreme"}, "complexity must be one of"),
])
def test_bad_video_characteristics(video, message):
    with pytest.raises(InputError, match=message):
        PretrainedModelAssessor(device="cpu").recommend_model(video)


@pytest.mark.parametrize("free, expected", [(16.0, "controlnet_colorization"), (9.0, "stable_diffusion_inpaint")])
def test_recommendation_sees_the_weights_in_the_cache(monkeypatch, offline, free, expected):
    monkeypatch.setattr(probe, "free_memory_gib", lambda device: free)  # the machine's RAM varies; the cache is real
    assessor = PretrainedModelAssessor(device="cpu")
    choice = assessor.recommend_model(VIDEO)
    assert choice.model == expected  # no reference: the best cached diffusion model that fits in RAM (fp32)
    assert "propagation" in choice.rejected and "unet" in choice.rejected
    assert assessor.recommend_model({**VIDEO, "has_reference": True}).model == "propagation"


def test_recommendation_without_weights(monkeypatch, empty_cache):
    monkeypatch.setattr(probe, "free_memory_gib", lambda device: 16.0)
    choice = PretrainedModelAssessor(device="cpu").recommend_model(VIDEO)
    assert choice.model is None and choice.explanation.startswith("No model is usable here: propagation (needs a")


def test_compare_models(offline, dataset):
    assessor = PretrainedModelAssessor(device="cpu", settings=TINY)
    comparison = assessor.compare_models(["stable_diffusion_inpaint", "propagation", "unet"], dataset)
    models, overall = comparison["models"], comparison["overall"]
    assert list(models) == ["stable_diffusion_inpaint", "propagation", "unet"]
    assert models["unet"]["status"] == "unavailable" and "python train_colorization.py" in models["unet"]["error"]
    for name in ("stable_diffusion_inpaint", "propagation"):
        assert models[name]["status"] == "ok" and models[name]["clips_ok"] == 1
    # Propagation from the true colors of frame 0 is far closer to the truth than an untrained diffusion model.
    propagation = models["propagation"]["scores"]["psnr"]
    diffusion = models["stable_diffusion_inpaint"]["scores"]["psnr"]
    assert propagation > 30.0 and propagation > diffusion + 3.0
    assert overall == {"best_model": "propagation", "metric": "psnr", "higher_is_better": True,
                       "ranking": ["propagation", "stable_diffusion_inpaint"]}


def test_assess_one_model(dataset):
    result = PretrainedModelAssessor(device="cpu").assess_model_on_dataset("propagation", dataset, max_frames=3)
    assert result["status"] == "ok" and result["scores"]["psnr"] > 30.0 and result["scores"]["fps"] > 0


def test_compare_needs_distinct_models(dataset):
    with pytest.raises(InputError, match="distinct model ids"):
        PretrainedModelAssessor(device="cpu").compare_models(["propagation", "propagation"], dataset)
    with pytest.raises(InputError, match="unknown model 'magic'"):
        PretrainedModelAssessor(device="cpu").compare_models(["magic"], dataset)


def test_settings_default_to_the_device():
    assert PretrainedModelAssessor(device="cpu").settings == dataclasses.replace(ColorizerSettings(), device="cpu")
