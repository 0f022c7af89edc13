"""Fixtures of the color tests: real photos that scikit-image bundles."""

import numpy as np
import pytest
import skimage.data

PHOTOS = ("astronaut", "coffee", "chelsea")


@pytest.fixture(scope="module", params=PHOTOS)
def photo(request) -> np.ndarray:
    """(H, W, 3) uint8 RGB photo, one of ``PHOTOS``."""
    return getattr(skimage.data, request.param)()
