"""Loading weights: from the cache without the network, one-line errors when they are missing, completeness."""

import shutil

import numpy as np
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
    assert f"`hf download {INPAINT} --include " in message


def test_a_model_of_two_repositories_names_both_commands(empty_cache):
    with pytest.raises(MissingWeightsError, match="hf download latentcat/control_v1p_sd15_brightness --include .* && "
                                                  "hf download stable-diffusion-v1-5/stable-diffusion-v1-5 --include"):
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


def hf_download_patterns(command: str, monkeypatch) -> list[tuple[str, list[str], list[str]]]:
    """(repo, include, exclude) of each ``hf download`` in ``command``, parsed by huggingface_hub's own CLI."""
    import shlex

    import huggingface_hub.cli.download as download
    from huggingface_hub.cli.hf import app

    calls = []
    monkeypatch.setattr(download, "snapshot_download", lambda **kwargs: calls.append(kwargs) or "/nowhere")
    for part in command.split(" && "):
        words = shlex.split(part)
        assert words[:2] == ["hf", "download"]
        app(words[1:], standalone_mode=False)
    return [(call["repo_id"], call["allow_patterns"], call["ignore_patterns"]) for call in calls]


@pytest.mark.parametrize("model", ["stable_diffusion_inpaint", "controlnet_colorization"])
def test_fetch_command_downloads_what_from_pretrained_reads_and_no_more(model, hub_cache, monkeypatch, tmp_path):
    """Each repository filtered by the command's --include/--exclude (as `hf download` filters) still loads through
    the real from_pretrained; single-file checkpoints, variants, .bin copies and the safety checker are left out."""
    from huggingface_hub.utils import filter_repo_objects

    from colorize.models import MODEL_SPECS

    junk = ["v1-5-pruned-emaonly.safetensors", "v1-5-pruned.ckpt", "unet/diffusion_pytorch_model.fp16.safetensors",
            "unet/diffusion_pytorch_model.non_ema.bin", "text_encoder/pytorch_model.bin",
            "safety_checker/model.safetensors"]
    cache = tmp_path / "hub"  # the same layout as hub_cache, with only the files the command downloads
    for repo, include, exclude in hf_download_patterns(MODEL_SPECS[model].fetch(), monkeypatch):
        folder = cached_snapshot(repo, hub_cache)
        files = [str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()]
        kept = set(filter_repo_objects(files + junk, allow_patterns=include, ignore_patterns=exclude))
        assert kept.isdisjoint(junk) and any(name.endswith(".safetensors") for name in kept)
        target = cache / folder.relative_to(hub_cache)
        for name in kept:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(folder / name, target / name)
        shutil.copytree(folder.parents[1] / "refs", target.parents[1] / "refs")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    colorizer = make_colorizer(model, ColorizerSettings(device="cpu", inference_steps=2, resolution=64))
    assert colorizer.colorize(np.full((1, 64, 64), 50.0, np.float32)).shape == (1, 64, 64, 2)
