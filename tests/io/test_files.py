"""Finding media files: natural order, hidden files and folders skipped, suffixes case-insensitive."""

from colorize.io import davis_sequences, list_folders, list_images, list_videos, natural_key


def test_listing_in_natural_order(tmp_path):
    for name in ["frame10.png", "frame2.PNG", "frame1.jpg", ".hidden.png", "notes.txt", "b.mp4", "a10.MKV", "a9.gif"]:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "folder.mp4").mkdir()  # a folder named like a video is not one
    assert [p.name for p in list_images(tmp_path)] == ["frame1.jpg", "frame2.PNG", "frame10.png"]
    assert [p.name for p in list_videos(tmp_path)] == ["a9.gif", "a10.MKV", "b.mp4"]
    for name in ["seq10", "seq2", ".cache"]:
        (tmp_path / name).mkdir()
    assert [p.name for p in list_folders(tmp_path)] == ["folder.mp4", "seq2", "seq10"]
    assert sorted(["x10", "x9", "X1"], key=lambda n: natural_key(tmp_path / n)) == ["X1", "x9", "x10"]


def test_davis_sequences_follow_the_split_file(tmp_path, caplog):
    images = tmp_path / "JPEGImages" / "480p"
    for name in ("seq10", "seq2", "other"):
        (images / name).mkdir(parents=True)
    assert [p.name for p in davis_sequences(tmp_path, "val")] == ["other", "seq2", "seq10"]  # no split file: all
    (tmp_path / "ImageSets" / "2017").mkdir(parents=True)
    (tmp_path / "ImageSets" / "2017" / "val.txt").write_text("seq10\n\nseq2\nabsent\n")
    assert [p.name for p in davis_sequences(tmp_path, "val")] == ["seq2", "seq10"]
    assert "absent" in caplog.text  # listed but missing: skipped with a warning
    assert len(davis_sequences(tmp_path, None)) == 3
