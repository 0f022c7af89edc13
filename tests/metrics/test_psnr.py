import numpy as np
import pytest
import skimage.metrics

from colorize.metrics import psnr


def test_matches_skimage_on_real_images(photo, helpers):
    noisy = helpers.add_noise(photo, 10.0)
    expected = skimage.metrics.peak_signal_noise_ratio(photo, noisy, data_range=255)
    assert psnr(noisy, photo) == pytest.approx(expected, abs=1e-3)
    assert psnr(noisy / 255.0, photo / 255.0) == pytest.approx(expected, abs=1e-3)  # float in [0, 1]


def test_video_per_frame_and_mean(clip, helpers):
    output = np.stack([helpers.add_noise(frame, 3.0 + 2 * t, seed=t) for t, frame in enumerate(clip)])
    per_frame = psnr(output, clip, reduction="none")
    expected = [skimage.metrics.peak_signal_noise_ratio(g, o, data_range=255) for g, o in zip(clip, output)]
    np.testing.assert_allclose(per_frame, expected, atol=1e-3)
    assert psnr(output, clip) == pytest.approx(np.mean(expected), abs=1e-3)
    assert psnr(list(output), list(clip)) == pytest.approx(np.mean(expected), abs=1e-3)  # sequence of frames


def test_identical_is_inf(photo):
    assert psnr(photo, photo) == np.inf


@pytest.mark.parametrize(("output", "target", "error"), [
    (np.zeros((8, 8, 3), np.uint8), np.zeros((8, 9, 3), np.uint8), ValueError),  # shapes differ
    (np.full((8, 8, 3), 1.5), np.zeros((8, 8, 3)), ValueError),  # float outside [0, 1]
    (np.zeros((8, 8, 3), np.int16), np.zeros((8, 8, 3), np.int16), TypeError),
    (np.zeros((8, 8, 4), np.uint8), np.zeros((8, 8, 4), np.uint8), ValueError),  # not RGB
])
def test_exceptions(output, target, error):
    with pytest.raises(error):
        psnr(output, target)


def test_bad_reduction(photo):
    with pytest.raises(ValueError, match="reduction"):
        psnr(photo, photo, reduction="sum")
