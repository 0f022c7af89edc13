"""Still images (RGB in, RGB out) and keyframe folders."""

import logging

import cv2
import numpy as np
import pytest

from colorize.errors import InputError
from colorize.io import list_keyframe_images, read_image, write_png


def test_png_round_trip_is_exact_and_rgb_on_disk(tmp_path):
    rgb = np.random.default_rng(0).integers(0, 256, (17, 23, 3), dtype=np.uint8)
    write_png(tmp_path / "a.png", rgb)
    np.testing.assert_array_equal(read_image(tmp_path / "a.png"), rgb)
    np.testing.assert_array_equal(cv2.imread(str(tmp_path / "a.png"))[..., ::-1], rgb)  # OpenCV reads BGR
    assert list(tmp_path.iterdir()) == [tmp_path / "a.png"]


def test_pure_red_is_red(tmp_path):
    write_png(tmp_path / "red.png", np.full((2, 2, 3), (255, 0, 0), np.uint8))
    assert read_image(tmp_path / "red.png")[0, 0].tolist() == [255, 0, 0]


def test_gray_png_has_one_channel_and_reads_as_rgb(tmp_path):
    gray = np.arange(12 * 5, dtype=np.uint8).reshape(12, 5)
    write_png(tmp_path / "g.png", gray)
    assert cv2.imread(str(tmp_path / "g.png"), cv2.IMREAD_UNCHANGED).shape == (12, 5)
    np.testing.assert_array_equal(read_image(tmp_path / "g.png"), np.repeat(gray[..., None], 3, axis=2))


def test_alpha_is_dropped(tmp_path):
    bgra = np.zeros((4, 4, 4), np.uint8)
    bgra[..., 0], bgra[..., 3] = 200, 7  # blue, mostly transparent
    cv2.imwrite(str(tmp_path / "a.png"), bgra)
    rgb = read_image(tmp_path / "a.png")
    assert rgb.shape == (4, 4, 3) and rgb[0, 0].tolist() == [0, 0, 200]


def test_read_image_errors(tmp_path):
    with pytest.raises(InputError, match="image not found: "):
        read_image(tmp_path / "missing.png")
    (tmp_path / "bad.png").write_text("not an image")
    with pytest.raises(InputError, match="not a readable image: "):
        read_image(tmp_path / "bad.png")


def test_write_png_rejects_float(tmp_path):
    with pytest.raises(ValueError, match=r"\(4, 4, 3\) float32"):
        write_png(tmp_path / "a.png", np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match=r"\(4, 4, 3\) uint16"):
        write_png(tmp_path / "a.png", np.zeros((4, 4, 3), np.uint16))  # 16 bits: one channel only


def test_16_bit_gray_round_trip(tmp_path):
    depth = np.arange(12, dtype=np.uint16).reshape(3, 4) * 5000
    write_png(tmp_path / "d.png", depth)
    back = cv2.imread(str(tmp_path / "d.png"), cv2.IMREAD_UNCHANGED)
    assert back.dtype == np.uint16 and np.array_equal(back, depth)


def test_list_keyframe_images(tmp_path, caplog):
    for name in ["0120.jpg", "0000.png", "7.WEBP", "ref.png", "notes.txt", ".0003.partial-12.png"]:
        (tmp_path / name).touch()
    (tmp_path / "0005.png").mkdir()  # a folder is not a keyframe
    with caplog.at_level(logging.WARNING, logger="colorize.io.images"):
        found = list_keyframe_images(tmp_path)
    assert found == {0: tmp_path / "0000.png", 7: tmp_path / "7.WEBP", 120: tmp_path / "0120.jpg"}
    assert list(found) == [0, 7, 120]
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring keyframe {tmp_path / 'ref.png'}: its name is not a frame index like 0120.png"]


def test_list_keyframe_images_errors(tmp_path):
    with pytest.raises(InputError, match="keyframe folder not found: "):
        list_keyframe_images(tmp_path / "missing")
    (tmp_path / "notes.txt").touch()
    with pytest.raises(InputError, match="no keyframe images named by frame index"):
        list_keyframe_images(tmp_path)
    (tmp_path / "0012.png").touch()
    (tmp_path / "12.jpg").touch()
    with pytest.raises(InputError, match="two keyframes for frame 12: 0012.png and 12.jpg"):
        list_keyframe_images(tmp_path)
