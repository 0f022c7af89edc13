"""Models × clips evaluation on real frames: shared flows, reference protocols, n/a metrics, failures recorded."""

from pathlib import Path

import numpy as np
import pytest
import torch

import colorize.evaluation.runner as runner_module
from colorize.errors import InputError
from colorize.evaluation import Clip, ReferenceProtocol, evaluate
from colorize.metrics import FID, LPIPS, MetricUnavailable


class WrongLength:
    """A model that drops the last frame."""

    name, description = "short", "gives one frame too few"

    def colorize(self, open_frames, references, num_frames):
        return list(open_frames())[:-1]


class TinyFeatures(torch.nn.Module):
    """(B, 3, H, W) uint8 → (B, 4) features of a fixed random conv layer: stands in for Inception."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 4, 5, stride=2)

    def forward(self, x):
        return torch.tanh(self.conv(x.float() / 255.0)).mean(dim=(2, 3))


@pytest.mark.parametrize("text, every, indices", [("first", None, [0]), ("keyframes:3", 3, [0, 3, 6]),
                                                   ("keyframes:20", 20, [0])])
def test_reference_protocol(text, every, indices):
    protocol = ReferenceProtocol.parse(text)
    assert protocol.every == every and protocol.indices(8) == indices and str(protocol) == text


@pytest.mark.parametrize("text", ["keyframes:0", "keyframes:", "keyframes:x", "last", "keyframes:-2"])
def test_bad_reference_protocol(text):
    with pytest.raises(InputError, match="'first' or 'keyframes:K'"):
        ReferenceProtocol.parse(text)


def test_evaluate(clips, helpers, monkeypatch):
    flow_calls = []
    compute = runner_module.compute_temporal_flows
    monkeypatch.setattr(runner_module, "compute_temporal_flows", lambda video: flow_calls.append(1) or compute(video))

    def unreadable():
        raise InputError("clip broken: cannot read")

    broken = Clip("broken", unreadable, unreadable, 0, Path("broken"))
    test_clips = [helpers.array_clip(name, frames) for name, frames in clips.items()] + [broken]
    result = evaluate(test_clips, ["gray", "anchored", WrongLength()], reference="first",
                      lpips_weights="/nonexistent/alexnet.pth")

    assert len(flow_calls) == 2  # once per readable clip, shared by every model
    assert [(r.model, r.clip, r.status) for r in result.runs] == [
        (model, clip, "ok" if clip != "broken" and model != "short" else "failed")
        for clip in ("carphone", "bikes", "broken") for model in ("gray", "anchored", "short")]
    failed = {(r.model, r.clip): r.error for r in result.runs if r.status == "failed"}
    assert failed[("gray", "broken")] == "clip broken: cannot read"
    assert failed[("short", "bikes")] == "RuntimeError: model gave 7 frames for a clip of 8"

    for clip, frames in clips.items():
        gray, anchored = (next(r for r in result.runs if (r.model, r.clip) == (m, clip)) for m in ("gray", "anchored"))
        assert anchored.metrics.scores["psnr"] > gray.metrics.scores["psnr"] + 5
        assert gray.metrics.scores["colorfulness"] == 0.0
        assert anchored.reference_frames == [0] and anchored.frames == 8
        assert anchored.size == (frames.shape[2], frames.shape[1])
        assert anchored.cost.frames == 8 and anchored.cost.fps > 0
        assert anchored.metrics.scores["lpips"] == "n/a"
        assert "not found" in anchored.metrics.reasons["lpips"]  # the reason, never a number
    assert result.fid == {"gray": "n/a", "anchored": "n/a", "short": "n/a"}
    assert set(result.fid_reasons) == {"gray", "anchored", "short"}
    assert result.settings["reference"] == "first" and result.settings["lpips"].startswith("n/a (")


def test_keyframes_protocol_and_learned_metrics(clips, helpers, monkeypatch):
    """Keyframes every 3 frames are left out of PSNR; LPIPS and FID numbers come through when they load."""
    monkeypatch.setattr(LPIPS, "load", classmethod(lambda cls, weights=None, device="cpu": LPIPS.random()))
    monkeypatch.setattr(FID, "load", classmethod(lambda cls, weights=None, device="cpu":
                                                 FID.with_features(TinyFeatures())))
    frames = clips["carphone"]
    result = evaluate([helpers.array_clip("carphone", frames)], ["copy"], reference="keyframes:3")

    (run,) = result.runs
    assert run.status == "ok" and run.reference_frames == [0, 3, 6]
    per_frame = run.metrics.per_frame["psnr"]
    assert run.metrics.scores["psnr"] == pytest.approx(per_frame[[1, 2, 4, 5, 7]].mean())
    assert isinstance(run.metrics.scores["lpips"], float)
    assert run.metrics.reasons["lpips"] == "random trunk, test only"
    assert isinstance(result.fid["copy"], float) and result.fid["copy"] >= 0


def test_model_that_cannot_be_built(clips, helpers, monkeypatch):
    def fail(device):
        raise MetricUnavailable("weights for magic not found")

    monkeypatch.setattr(runner_module, "make_model", lambda name, device: fail(device))
    result = evaluate([helpers.array_clip("bikes", clips["bikes"][:3])], ["gray"])
    assert result.runs[0].status == "failed"
    assert result.runs[0].error == "model not built: weights for magic not found"


def test_models_see_luminance_and_reference_colors_only(clips, helpers):
    class Spy:
        name, description = "spy", "records what it is given"

        def colorize(self, open_frames, references, num_frames):
            self.inputs, self.references = np.stack(list(open_frames())), references
            return iter(self.inputs)

    spy, frames = Spy(), clips["bikes"][:5]
    result = evaluate([helpers.array_clip("bikes", frames)], [spy], reference="keyframes:2")
    assert result.runs[0].status == "ok"
    assert (spy.inputs == spy.inputs[..., :1]).all()  # R = G = B: no color reaches the model
    assert sorted(spy.references) == [0, 2, 4]
    assert all(np.array_equal(spy.references[i], frames[i]) for i in spy.references)


def test_inconsistent_clips_are_recorded(clips, helpers):
    frames = clips["bikes"][:3]
    empty = Clip("empty", lambda: iter(()), lambda: iter(()), 0, Path("empty.mp4"))
    short = Clip("short", lambda: iter(frames[:2]), lambda: iter(frames), 3, Path("short"))
    result = evaluate([empty, short, helpers.array_clip("ok", frames)], ["gray"])
    assert [(r.clip, r.status) for r in result.runs] == [("empty", "failed"), ("short", "failed"), ("ok", "ok")]
    assert result.runs[0].error == "clip empty has no frames: empty.mp4"
    assert result.runs[1].error.startswith("clip short: input and ground truth differ in frame count or size (2 vs 3")
