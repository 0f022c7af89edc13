"""The seed document's examples, run as a user types them, and the mapping of its keys onto the project's."""

import pytest

from colorize.assess import PretrainedModelAssessor, probe
from colorize.assess.seed import model_from_seed, video_from_seed
from colorize.errors import InputError
from colorize.models import MODEL_SPECS, MissingWeightsError, make_colorizer


@pytest.fixture
def test_data(dataset, tmp_path, monkeypatch):
    """The working directory holds ``test_data/``, the tiny ``custom`` dataset, as in the seed's examples."""
    (tmp_path / "test_data").symlink_to(dataset, target_is_directory=True)
    monkeypatch.chdir(tmp_path)


def test_seed_recommend_model(monkeypatch, empty_cache, capsys):
    monkeypatch.setattr(probe, "free_memory_gib", lambda device: 16.0)
    model_assessor = PretrainedModelAssessor()
    recommended_model = model_assessor.recommend_model({'resolution': 'high', 'duration': 'medium',
                                                        'complexity': 'high'})
    print(f"Recommended model: {recommended_model}")
    # No weights on disk and no color reference: nothing can run here, and the explanation says why.
    assert capsys.readouterr().out == "Recommended model: none\n"
    assert recommended_model.explanation.startswith("No model is usable here: propagation (needs a color reference)")
    with_reference = model_assessor.recommend_model({'resolution': 'high', 'duration': 'medium',
                                                     'complexity': 'high', 'has_reference': True})
    assert str(with_reference) == "propagation"
    assert "high-complexity 1920x1080 video of 1500 frames" in with_reference.explanation


def test_seed_register_custom_model(model_registry, test_data):
    model_assessor = PretrainedModelAssessor()
    model_assessor.register_custom_model({
        'name': 'my_custom_model',
        'type': 'custom',
        'description': 'My custom colorization model',
        'model_path': 'path/to/model.pth'
    })
    spec = MODEL_SPECS['my_custom_model']
    assert spec.description == 'My custom colorization model' and spec.kind == "custom"
    assert spec.weights == ('path/to/model.pth',) and spec.factory == MODEL_SPECS["unet"].factory
    result = model_assessor.assess_model_on_dataset('my_custom_model', 'test_data/')
    assert result == {"status": "failed", "error": "my_custom_model: checkpoint not found: path/to/model.pth"}


def test_seed_available_models_entry(model_registry, test_data, monkeypatch, empty_cache):
    assessor = PretrainedModelAssessor()
    assessor.AVAILABLE_MODELS['my_custom_model'] = {'memory_usage': '6GB', 'speed': 'fast', 'quality': 'high'}
    results = assessor.assess_model_on_dataset('my_custom_model', 'test_data/')
    assert results["status"] == "unavailable"
    assert results["error"] == ("my_custom_model: no weights: register it with a 'checkpoint' or an 'entry_point' "
                                "(my_custom_model has neither)")
    spec = assessor.models()['my_custom_model']
    assert (spec.memory, spec.needs.memory_gib, spec.speed, spec.quality) == ("medium", 6.0, "fast", "high")
    monkeypatch.setattr(probe, "free_memory_gib", lambda device: 16.0)
    choice = assessor.recommend_model({'resolution': 'low', 'duration': 'short', 'complexity': 'low'})
    assert choice.rejected['my_custom_model'] == ("no weights exist yet (get them: register it with a 'checkpoint' "
                                                  "or an 'entry_point' (my_custom_model has neither))")


def test_seed_compare_models(test_data, empty_cache):
    assessor = PretrainedModelAssessor()
    comparison_results = assessor.compare_models(
        model_ids=['stable_diffusion_inpaint', 'controlnet_colorization', 'propagation'],
        test_dataset_path='test_data/')
    best_model = comparison_results['comparison_metrics']['overall']['best_model']
    assert best_model == 'propagation'
    models = comparison_results["models"]
    assert models["stable_diffusion_inpaint"]["status"] == "unavailable"
    error = models["stable_diffusion_inpaint"]["error"]
    assert "hf download stable-diffusion-v1-5/stable-diffusion-inpainting" in error
    psnr = comparison_results['comparison_metrics']['psnr']
    assert list(psnr) == ['propagation'] and psnr['propagation'] == models['propagation']['scores']['psnr'] > 30


def test_video_from_seed():
    assert video_from_seed({"resolution": "medium", "duration": "long", "complexity": "low"}) == {
        "width": 1280, "height": 720, "duration": 600.0, "complexity": "low"}
    assert video_from_seed({"resolution": "640x480", "duration": 3}) == {"width": 640, "height": 480, "duration": 3}
    assert video_from_seed({"width": 10, "height": 20, "num_frames": 5}) == {"width": 10, "height": 20,
                                                                             "num_frames": 5}
    for bad, message in (({"resolution": "huge"}, "resolution must be one of low, medium, high"),
                         ({"duration": "forever"}, "duration must be one of short, medium, long")):
        with pytest.raises(InputError, match=message):
            video_from_seed(bad)


def test_model_from_seed():
    assert model_from_seed({"name": "a", "type": "stable_diffusion_xl", "model_path": "/w/sdxl"}) == {
        "id": "a", "base": "stable_diffusion_xl", "checkpoint": "/w/sdxl"}
    assert model_from_seed({"name": "b", "type": "pytorch", "model_path": "my_pkg.colorizers:build",
                            "memory_usage": 12}) == {"id": "b", "entry_point": "my_pkg.colorizers:build",
                                                     "memory": "high", "memory_gib": 12.0}
    assert model_from_seed({"id": "c", "memory_usage": "low"}) == {"id": "c", "memory": "low"}
    with pytest.raises(InputError, match="memory_usage must be one of low, medium, high or GiB"):
        model_from_seed({"name": "d", "memory_usage": "lots"})
    with pytest.raises(InputError, match="'name' and 'id' disagree"):
        model_from_seed({"name": "d", "id": "e"})


def test_model_without_weights_is_listed_but_cannot_be_built(model_registry):
    PretrainedModelAssessor(device="cpu").register_custom_model({"name": "idea", "quality": "high"})
    with pytest.raises(MissingWeightsError, match="idea: no weights"):
        make_colorizer("idea")
