import cv2
import numpy as np
import pytest
import skimage.metrics

from colorize.metrics import ssim


def _reference(output, target):
    """Wang et al.'s Gaussian SSIM, per channel then averaged, as scikit-image computes it."""
    return skimage.metrics.structural_similarity(target, output, channel_axis=-1, data_range=255,
                                                 gaussian_weights=True, sigma=1.5, use_sample_covariance=False)


@pytest.mark.parametrize("distortion", ["noise", "blur", "color"])
def test_matches_skimage_on_real_images(photo, helpers, distortion):
    if distortion == "noise":
        output = helpers.add_noise(photo, 12.0)
    elif distortion == "blur":
        output = cv2.GaussianBlur(photo, (7, 7), 2.0)
    else:
        output = helpers.hue_rotate(photo, 0.1)
    expected = _reference(output, photo)
    assert ssim(output, photo) == pytest.approx(expected, abs=1e-3)
    assert ssim(output / 255.0, photo / 255.0) == pytest.approx(expected, abs=1e-3)


def test_video_per_frame(clip, helpers):
    output = np.stack([helpers.add_noise(frame, 4.0 * (t + 1), seed=t) for t, frame in enumerate(clip)])
    expected = [_reference(o, g) for o, g in zip(output, clip)]
    np.testing.assert_allclose(ssim(output, clip, reduction="none"), expected, atol=1e-3)
    assert ssim(output, clip) == pytest.approx(np.mean(expected), abs=1e-3)


def test_identical_is_one(photo):
    assert ssim(photo, photo) == pytest.approx(1.0, abs=1e-6)


def test_too_small():
    with pytest.raises(ValueError, match="11 x 11"):
        ssim(np.zeros((10, 20, 3), np.uint8), np.zeros((10, 20, 3), np.uint8))
