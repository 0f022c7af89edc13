"""Loading weights: from the cache without the network, one-line errors when they are missing, completeness."""

import shutil

import pytest
from huggingface_hub import constants

from colorize.errors import InputError
from colorize.models import ColorizerSettings, MissingWeightsError, make_colorizer, weights_present
from colorize.models.loading import cached_snapshot, load_pretrained, missing_parts

INPAINT = "stable-diffusion-v1-5/stable-diffusion-inpainting"


def test_missing_weights_give_one_line_naming_model_cache_and_command(empty_cache):
    with pytest.raises(MissingWeightsError) as info:
        make_colorizer("stable_diffusion_inpaint", ColorizerSettings(device="cpu"))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("stable_diffusion_inpaint: weights of stable-diffusion-v1-5/stable-diffusion-inpainting "
                              f"are not in the local Hugging Face cache ({empty_cache}) and offline mode")
    assert f"`hf download {INPAINT}`" in message


def test_a_model_of_two_repositories_names_both_commands(empty_cache):
    with pytest.raises(MissingWeightsError, match="hf download latentcat/control_v1p_sd15_brightness && "
                                                  "hf download stable-diffusion-v1-5/stable-diffusion-v1-5`"):
        make_colorizer("controlnet_colorization", ColorizerSettings(device="cpu"))


def test_cached_weights_are_loaded_without_the_network(offline, monkeypatch):
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # online: still no download for cached weights
    calls = []
    loaded = load_pretrained(lambda source, **kwargs: calls.append((source, kwargs)) or "pipeline", INPAINT, "m")
    assert loaded == "pipeline"
    assert calls == [(INPAINT, {"cache_dir": offline, "local_files_only": True})]
    calls.clear()
    load_pretrained(lambda source, **kwargs: calls.append(kwargs), "someone/not-cached", "m")
    assert calls == [{"cache_dir": offline, "local_files_only": False}]  # not cached, online: from_pretrained downloads


def test_presence_in_the_cache(offline):
    for repo_id in ("stable-diffusion-v1-5/stable-diffusion-inpainting", "stabilityai/stable-diffusion-xl-base-1.0",
                    "latentcat/control_v1p_sd15_brightness", "stable-diffusion-v1-5/stable-diffusion-v1-5"):
        assert weights_present(repo_id)
        assert cached_snapshot(repo_id).is_relative_to(offline / ("models--" + repo_id.replace("/", "--")))
    assert not weights_present("someone/never-downloaded")
    assert not weights_present("not a repo id!")


def test_presence_in_an_empty_cache(empty_cache):
    assert not weights_present(INPAINT)


def test_incomplete_folders_are_absent(offline, tmp_path):
    folder = shutil.copytree(cached_snapshot(INPAINT), tmp_path / "inpaint")
    assert missing_parts(folder) == [] and weights_present(str(folder))
    (folder / "unet" / "diffusion_pytorch_model.safetensors").unlink()
    assert missing_parts(folder) == ["unet/ weights"] and not weights_present(str(folder))
    shutil.rmtree(folder / "vae")
    assert missing_parts(folder) == ["vae", "unet/ weights"]
    assert missing_parts(tmp_path / "nowhere") == [str(tmp_path / "nowhere")]
    assert missing_parts(tmp_path) == ["model_index.json"]  # a folder that is no model at all


def test_local_folder_errors(tmp_path):
    with pytest.raises(InputError, match=f"m: model folder not found: {tmp_path / 'missing'}"):
        load_pretrained(lambda source, **kwargs: None, str(tmp_path / "missing"), "m")

    def fails(source, **kwargs):
        raise OSError("Error no file named model_index.json found in directory\nsecond line")

    with pytest.raises(InputError) as info:
        load_pretrained(fails, str(tmp_path), "m")
    assert str(info.value) == f"m: cannot load {tmp_path}: Error no file named model_index.json found in directory " \
                              "second line"
