"""The recommendation on hand-made situations: CPU only, small and large GPU, weights present or absent."""

import dataclasses

import pytest

from colorize.assess import Recommendation, Situation, recommend
from colorize.models import MODEL_SPECS, custom_spec

DIFFUSION = frozenset({"stable_diffusion_inpaint", "stable_diffusion_xl", "controlnet_colorization"})
EVERYTHING = DIFFUSION | {"propagation"}  # on disk when every download was made (the U-Net has no weights yet)
VIDEO = {"width": 1280, "height": 720, "num_frames": 240}  # 10 s at 24 fps


def situation(**changes) -> Situation:
    return Situation(**{**VIDEO, "device": "cpu", "free_memory_gib": 16.0, "on_disk": frozenset({"propagation"}),
                        **changes})


def check_one_sentence(choice: Recommendation) -> None:
    text = choice.explanation
    assert "\n" not in text and text.endswith(".") and ". " not in text and text[0].isupper()


def test_cpu_only_with_a_reference_and_no_weights():
    choice = recommend(MODEL_SPECS, situation(has_reference=True))
    assert choice.model == "propagation"
    assert choice.explanation == (
        "Use propagation: it needs no weights and runs on the CPU, using the color reference, and for a "
        "medium-complexity 1280x720 video of 240 frames it ranks best on expected quality (high) and speed (fast); "
        "not usable here: stable_diffusion_inpaint (weights not on disk), stable_diffusion_xl (weights not on disk), "
        "controlnet_colorization (weights not on disk), unet (no weights exist yet).")
    check_one_sentence(choice)


def test_nothing_usable_says_why_for_each_model():
    choice = recommend(MODEL_SPECS, situation())
    assert choice.model is None and choice.ranking == ()
    assert choice.explanation == (
        "No model is usable here: propagation (needs a color reference), stable_diffusion_inpaint (weights not on "
        "disk), stable_diffusion_xl (weights not on disk), controlnet_colorization (weights not on disk), unet (no "
        "weights exist yet).")
    assert choice.rejected["stable_diffusion_xl"] == ("weights not on disk (get them: "
                                                      f"{MODEL_SPECS['stable_diffusion_xl'].fetch()})")
    assert "python train_colorization.py" in choice.rejected["unet"]
    check_one_sentence(choice)


def test_cpu_without_a_reference_takes_a_cached_diffusion_model_if_ram_allows():
    on_disk = frozenset({"propagation", "stable_diffusion_inpaint"})
    choice = recommend(MODEL_SPECS, situation(on_disk=on_disk))
    assert choice.model == "stable_diffusion_inpaint"
    assert "slow on the CPU" in choice.explanation and "fits the 16.0 GiB free on the CPU" in choice.explanation
    short = recommend(MODEL_SPECS, situation(on_disk=on_disk, free_memory_gib=4.0))
    assert short.model is None  # fp32 on the CPU needs twice the 4 GiB of fp16
    assert short.rejected["stable_diffusion_inpaint"] == "it needs about 8 GiB, 4.0 GiB free on the CPU"


@pytest.mark.parametrize("free, expected", [
    (4.5, "stable_diffusion_inpaint"),  # only the smallest fits
    (6.0, "controlnet_colorization"),  # SDXL does not fit
    (40.0, "controlnet_colorization"),  # everything fits: expected quality high, speed medium beats SDXL's
])
def test_gpu_memory_decides_among_cached_models(free, expected):
    choice = recommend(MODEL_SPECS, situation(device="cuda", free_memory_gib=free, on_disk=EVERYTHING,
                                              complexity="high"))
    assert choice.model == expected
    check_one_sentence(choice)
    if free < 9:
        assert choice.rejected["stable_diffusion_xl"] == f"it needs about 9 GiB, {free:.1f} GiB free on the GPU"


def test_large_gpu_with_a_reference():
    easy = recommend(MODEL_SPECS, situation(device="cuda", free_memory_gib=40.0, on_disk=EVERYTHING,
                                            has_reference=True, complexity="low"))
    assert easy.model == "propagation"
    hard = recommend(MODEL_SPECS, situation(device="cuda", free_memory_gib=40.0, on_disk=EVERYTHING,
                                            has_reference=True, complexity="high"))
    assert hard.model == "controlnet_colorization"  # new content and shots would get guessed colors
    assert hard.ranking.index("propagation") > 0


def test_absent_weights_are_never_recommended():
    for complexity in ("low", "medium", "high"):
        choice = recommend(MODEL_SPECS, situation(device="cuda", free_memory_gib=80.0, has_reference=True,
                                                  complexity=complexity))
        assert choice.model == "propagation" and not DIFFUSION & set(choice.ranking)
        assert DIFFUSION <= set(choice.rejected)


def test_long_cpu_video_prefers_speed():
    on_disk = frozenset({"propagation", "stable_diffusion_inpaint"})
    choice = recommend(MODEL_SPECS, situation(on_disk=on_disk, has_reference=True, complexity="high",
                                              width=3840, height=2160, num_frames=20_000))
    assert choice.model == "propagation" and choice.ranking == ("propagation", "stable_diffusion_inpaint")


def test_a_model_that_requires_a_gpu():
    specs = {**MODEL_SPECS, "gpu_only": custom_spec({"id": "gpu_only", "entry_point": "a:b", "gpu": "required"})}
    assert recommend(specs, situation()).rejected["gpu_only"] == "it needs a CUDA GPU"
    assert "gpu_only" in recommend(specs, situation(device="cuda")).ranking


def test_unknown_complexity():
    with pytest.raises(ValueError, match="complexity must be one of"):
        dataclasses.replace(situation(), complexity="extreme")


@pytest.mark.parametrize("precision, needed", [("auto", 4.0), ("fp16", 4.0), ("bf16", 4.0), ("no", 8.0)])
def test_gpu_memory_is_sized_for_the_precision_that_runs(precision, needed):
    """auto runs fp16 on CUDA (the ModelNeeds figure); a float32 run (mixed precision no) needs twice as much."""
    choice = recommend(MODEL_SPECS, situation(device="cuda", free_memory_gib=6.0, mixed_precision=precision,
                                              on_disk=frozenset({"stable_diffusion_inpaint"})))
    assert choice.model == ("stable_diffusion_inpaint" if needed < 6.0 else None)
    if needed > 6.0:
        assert choice.rejected["stable_diffusion_inpaint"] == "it needs about 8 GiB, 6.0 GiB free on the GPU"
