import numpy as np
import pytest

from colorize.metrics import Colorfulness, colorfulness, delta_colorfulness


def _reference(image: np.ndarray, absolute: bool = True) -> float:
    """Hasler & Süsstrunk 2003 written out per the paper, on 0..255 values."""
    r, g, b = (image[..., i].astype(np.float64).ravel() for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    if absolute:
        rg, yb = np.abs(rg), np.abs(yb)
    std = np.sqrt(np.std(rg) ** 2 + np.std(yb) ** 2)
    mean = np.sqrt(np.mean(rg) ** 2 + np.mean(yb) ** 2)
    return std + 0.3 * mean


@pytest.mark.parametrize("absolute", [True, False])
def test_matches_reference_on_real_images(photo, absolute):
    assert colorfulness(photo, absolute=absolute) == pytest.approx(_reference(photo, absolute), rel=1e-12)
    assert colorfulness(photo / 255.0, absolute=absolute) == pytest.approx(_reference(photo, absolute), rel=1e-12)


def test_hand_computed_uniform_red():
    red = np.zeros((4, 5, 3), np.uint8)
    red[..., 0] = 255
    # rg = 255, yb = 127.5 everywhere: σ = 0, μ = sqrt(255² + 127.5²)
    assert colorfulness(red) == pytest.approx(0.3 * np.hypot(255.0, 127.5))


def test_hand_computed_signed_vs_absolute():
    image = np.zeros((2, 1, 3), np.uint8)
    image[0, 0] = (200, 100, 150)  # rg = 100, yb = 0
    image[1, 0] = (100, 200, 150)  # rg = -100, yb = 0
    assert colorfulness(image, absolute=True) == pytest.approx(0.3 * 100)  # |rg| constant 100
    assert colorfulness(image, absolute=False) == pytest.approx(100)  # σ_rg = 100, μ_rg = 0


def test_gray_video_is_zero(clip, helpers):
    assert colorfulness(helpers.gray(clip)) == 0.0
    assert colorfulness(helpers.gray(clip), absolute=False) == 0.0
    np.testing.assert_array_equal(colorfulness(helpers.gray(clip), reduction="none"), np.zeros(len(clip)))


def test_per_frame(clip):
    np.testing.assert_allclose(colorfulness(clip, reduction="none"), [_reference(f) for f in clip], rtol=1e-12)


def test_delta_colorfulness(clip, helpers):
    assert delta_colorfulness(clip, clip) == 0.0
    washed = np.rint(0.5 * clip + 0.5 * helpers.gray(clip)).astype(np.uint8)
    expected = abs(np.mean([_reference(f) for f in washed]) - np.mean([_reference(f) for f in clip]))
    assert delta_colorfulness(washed, clip) == pytest.approx(expected, rel=1e-12)
    assert delta_colorfulness(washed, clip) > 5  # halving the chroma is plainly visible
    assert delta_colorfulness(helpers.gray(clip), clip) == pytest.approx(colorfulness(clip))


def test_metric_class_averages_frames(clip, helpers):
    metric = Colorfulness()
    metric.update(clip[:2])
    metric.update(helpers.gray(clip[2:]))
    expected = np.mean([_reference(f) for f in clip[:2]] + [0.0] * (len(clip) - 2))
    assert float(metric.compute()) == pytest.approx(expected, rel=1e-12)
