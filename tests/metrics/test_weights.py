import pytest

from colorize.errors import ColorizeError
from colorize.metrics import MetricUnavailable, find_weights
from colorize.metrics.weights import hub_checkpoint_dir


def test_hub_cache_follows_torch_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    assert hub_checkpoint_dir() == tmp_path / "hub" / "checkpoints"
    hub_checkpoint_dir().mkdir(parents=True)
    (hub_checkpoint_dir() / "w.pth").write_bytes(b"x")
    assert find_weights("w.pth") == hub_checkpoint_dir() / "w.pth"


def test_explicit_file_or_folder(tmp_path):
    (tmp_path / "renamed.pth").write_bytes(b"x")
    (tmp_path / "w.pth").write_bytes(b"x")
    assert find_weights("w.pth", tmp_path / "renamed.pth") == tmp_path / "renamed.pth"
    assert find_weights("w.pth", tmp_path) == tmp_path / "w.pth"


def test_missing_names_file_and_place(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(MetricUnavailable) as info:
        find_weights("w.pth", what="Some metric")
    assert isinstance(info.value, ColorizeError)
    message = str(info.value)
    assert message.startswith("Some metric weights w.pth not found") and str(tmp_path) in message
    assert "\n" not in message
    with pytest.raises(MetricUnavailable, match="elsewhere"):
        find_weights("w.pth", tmp_path / "elsewhere")
