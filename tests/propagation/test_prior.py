"""Global color prior (luminance/texture statistics matching) from an exemplar photo."""

import re

import numpy as np
import pytest
import skimage.data
from skimage.metrics import peak_signal_noise_ratio

from colorize.color import compose_lab, luminance_to_uint8, resize, rgb_to_lab
from colorize.propagation import transfer_chroma
from colorize.propagation.prior import _DAYLIGHT_AXIS, colour_cast


def _lab_parts(rgb):
    lab = rgb_to_lab(rgb)
    return lab[..., 0], luminance_to_uint8(lab[..., 0]), lab[..., 1:]


# Measured PSNR (dB) of compose_lab(L, prior) vs the photo, same photo as exemplar: chelsea 29.53, coffee 29.05,
# astronaut 23.37; gray (ab = 0): 19.40, 14.12, 17.80. Correlation of predicted and true a / b: chelsea 0.47 /
# 0.58, coffee 0.89 / 0.91, astronaut 0.77 / 0.74.
@pytest.mark.parametrize("name, min_gain, min_corr", [("chelsea", 6.0, 0.35), ("coffee", 10.0, 0.8),
                                                       ("astronaut", 3.0, 0.6)])
def test_same_photo_as_exemplar_beats_gray(name, min_gain, min_corr):
    rgb = getattr(skimage.data, name)()
    lum, lum8, ab = _lab_parts(rgb)
    prior = transfer_chroma(lum8, lum8, ab)
    assert prior.shape == ab.shape and prior.dtype == np.float32
    psnr_prior = peak_signal_noise_ratio(rgb, compose_lab(lum, prior))
    psnr_gray = peak_signal_noise_ratio(rgb, compose_lab(lum, np.zeros_like(ab)))
    assert psnr_prior > psnr_gray + min_gain
    for channel in range(2):
        assert np.corrcoef(prior[..., channel].ravel(), ab[..., channel].ravel())[0, 1] > min_corr


def test_exemplar_of_another_size_gives_target_size():
    rgb = skimage.data.coffee()
    lum, lum8, ab = _lab_parts(rgb)
    _, small_lum8, small_ab = _lab_parts(resize(rgb, (200, 300)))
    prior = transfer_chroma(lum8, small_lum8, small_ab)
    assert prior.shape == (400, 600, 2)
    # measured 28.25 dB (29.05 with the full-size exemplar), gray 14.12
    assert peak_signal_noise_ratio(rgb, compose_lab(lum, prior)) > 25.0


def test_prior_is_position_free():
    # Only statistics of the exemplar matter: its mirror image gives the same chroma.
    rgb = skimage.data.chelsea()
    _, lum8, ab = _lab_parts(rgb)
    _, mirror_lum8, mirror_ab = _lab_parts(np.ascontiguousarray(rgb[:, ::-1]))
    np.testing.assert_allclose(transfer_chroma(lum8, mirror_lum8, mirror_ab), transfer_chroma(lum8, lum8, ab),
                               atol=1e-3)


def test_exemplar_brightness_is_matched_to_the_target():
    rgb = skimage.data.chelsea()
    _, lum8, ab = _lab_parts(rgb)
    brighter = np.clip(lum8.astype(int) + 15, 0, 255).astype(np.uint8)
    # mean and spread are matched before lookup: measured mean |Δab| 8e-5 (chelsea has no saturated highlights)
    assert np.abs(transfer_chroma(lum8, brighter, ab) - transfer_chroma(lum8, lum8, ab)).mean() < 0.1


def test_uniform_exemplar_chroma_is_reproduced():
    _, lum8, ab = _lab_parts(skimage.data.astronaut())
    uniform = np.broadcast_to(np.array((12.0, -7.0), np.float32), ab.shape).copy()
    np.testing.assert_allclose(transfer_chroma(lum8, lum8, uniform), uniform, atol=0.01)  # measured 0.005


def _strengths(records) -> list[float]:
    found = [re.fullmatch(r"color prior strength ([0-9.]+)", r.getMessage()) for r in records
             if r.name == "colorize.propagation.prior"]
    return [float(match.group(1)) for match in found if match]


# Strength (squared Bhattacharyya coefficient of the luminance/texture histograms), measured: 1.00 for the photo
# itself; other exemplars 0.60-0.78. PSNR (dB) of the prior from another photo vs gray: chelsea 23.9 / 23.9 vs
# 19.4, coffee 16.9 / 18.2 vs 14.1, astronaut 19.8 / 19.0 vs 17.8.
@pytest.mark.parametrize("target", ["chelsea", "coffee", "astronaut"])
def test_strength_follows_how_alike_exemplar_and_target_are(target, colorize_caplog):
    rgb = getattr(skimage.data, target)()
    lum, lum8, ab = _lab_parts(rgb)
    psnr_gray = peak_signal_noise_ratio(rgb, compose_lab(lum, np.zeros_like(ab)))
    colorize_caplog.clear()
    transfer_chroma(lum8, lum8, ab)
    assert _strengths(colorize_caplog.records)[-1] == 1.0
    for other in {"chelsea", "coffee", "astronaut"} - {target}:
        _, other_lum8, other_ab = _lab_parts(getattr(skimage.data, other)())
        colorize_caplog.clear()
        prior = transfer_chroma(lum8, other_lum8, other_ab)
        assert 0.3 < _strengths(colorize_caplog.records)[-1] < 0.85
        # A weakened prior from a different scene still does no worse than gray.
        assert peak_signal_noise_ratio(rgb, compose_lab(lum, prior)) > psnr_gray


# Two photos under one warm grade, as two shots of one video share a white balance. PSNR (dB) of the prior against the
# graded target, without / with other_shot (gray): astronaut from chelsea 19.61 / 20.02 (16.67), chelsea from
# astronaut 22.86 / 25.88 (17.28), coffee from astronaut 17.67 / 18.58 (13.06).
@pytest.mark.parametrize("target, exemplar", [("astronaut", "chelsea"), ("chelsea", "astronaut"),
                                              ("coffee", "astronaut")])
def test_other_shot_carries_a_shared_white_balance(target, exemplar):
    warm = 8.0 * _DAYLIGHT_AXIS  # the grade: every color moved 8 ab units along the daylight axis
    lum, lum8, ab = _lab_parts(getattr(skimage.data, target)())
    _, ref_lum8, ref_ab = _lab_parts(getattr(skimage.data, exemplar)())
    truth = compose_lab(lum, ab + warm)
    scores = [peak_signal_noise_ratio(truth, compose_lab(lum, transfer_chroma(lum8, ref_lum8, ref_ab + warm, other)))
              for other in (False, True)]
    assert scores[1] > scores[0] + 0.2
    # The exemplar's cast comes through whole (measured within 13 %: the weakened content adds a little of its own).
    kept = transfer_chroma(lum8, ref_lum8, ref_ab + warm, other_shot=True)
    cast = colour_cast(ref_ab + warm)
    np.testing.assert_allclose(colour_cast(kept), cast, atol=0.15 * np.abs(cast).max())


def test_color_cast_is_the_mean_along_the_daylight_axis():
    np.testing.assert_allclose(np.hypot(*_DAYLIGHT_AXIS), 1.0, rtol=1e-6)
    ab = np.zeros((4, 6, 2), np.float32)
    ab[:2] = (5.0, 10.0)  # half the picture tinted, half neutral
    cast = colour_cast(ab)
    assert cast.dtype == np.float32
    np.testing.assert_allclose(cast, (np.array((2.5, 5.0)) @ _DAYLIGHT_AXIS) * _DAYLIGHT_AXIS, rtol=1e-5)
    ab[..., 0] += 20.0 * _DAYLIGHT_AXIS[1]  # a shift across the axis (green-magenta) adds no cast
    ab[..., 1] -= 20.0 * _DAYLIGHT_AXIS[0]
    np.testing.assert_allclose(colour_cast(ab), cast, atol=1e-5)
