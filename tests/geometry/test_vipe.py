"""ViPE's output written the way ``vipe/utils/io.py`` (``save_artifacts``) writes it, then read back."""

import json
import os
import shutil
import sys

import numpy as np
import pytest

from colorize.errors import ColorizeError, InputError
from colorize.geometry import ViPEOutput, find_vipe_outputs, vipe_output_for
from testkit.vipe import write_vipe_output

pytest.importorskip("OpenEXR")


def test_reads_back_depth_intrinsics_poses_and_skips_missing_frames(tmp_path, synthetic_video):
    views = synthetic_video.views[:6]
    mask = np.zeros((120, 160), np.uint8)
    mask[10:20, 30:50] = 3
    write_vipe_output(tmp_path, "clip", views, pose_frames=[0, 1, 3, 4, 5], depth_frames=[0, 1, 2, 3, 5],
                      masks={1: mask})
    [output] = find_vipe_outputs(tmp_path)
    assert output.name == "clip"
    track = output.track()
    assert list(track) == [0, 1, 3, 5] and 2 not in track and 4 not in track  # no pose for 2, no depth for 4
    with pytest.raises(KeyError):
        track[2]
    view = track[3]
    assert view.depth.dtype == np.float32 and view.depth.shape == (120, 160)
    np.testing.assert_allclose(view.depth, views[3].depth, rtol=1e-3)  # half floats: 11-bit mantissa
    np.testing.assert_allclose(view.pose, views[3].pose)
    np.testing.assert_allclose(view.intrinsics, views[3].intrinsics)
    masks = output.instance_masks()
    assert list(masks) == [1] and np.array_equal(masks[1], mask)


def test_missing_artifact_is_a_one_line_input_error(tmp_path):
    (tmp_path / "pose").mkdir()
    np.savez(tmp_path / "pose" / "clip.npz", data=np.eye(4)[None], inds=np.array([0]))
    with pytest.raises(InputError, match=r"no intrinsics/clip\.npz"):
        ViPEOutput(tmp_path, "clip").track()


def test_wrong_npz_layout_is_reported(tmp_path, synthetic_video):
    write_vipe_output(tmp_path, "clip", synthetic_video.views[:2], pose_frames=[0, 1], depth_frames=[0, 1])
    np.savez(tmp_path / "pose" / "clip.npz", data=np.zeros((2, 3, 4)), inds=np.arange(2))
    with pytest.raises(InputError, match=r"expected data \(N, 4, 4\)"):
        ViPEOutput(tmp_path, "clip").track()


def _fake_vipe(folder, prepared=None, status=0):
    """A `vipe` command in ``folder`` that logs its arguments and, like `vipe infer VIDEO --output DIR`, writes the
    output (a copy of ``prepared``) into DIR."""
    folder.mkdir(exist_ok=True)
    script = folder / "vipe"
    script.write_text(f"#!{sys.executable}\nimport json, pathlib, shutil, sys\n"
                      f"pathlib.Path({str(folder / 'args.json')!r}).write_text(json.dumps(sys.argv[1:]))\n"
                      + (f"shutil.copytree({str(prepared)!r}, sys.argv[sys.argv.index('--output') + 1], "
                         "dirs_exist_ok=True)\n" if prepared else "")
                      + f"sys.exit({status})\n")
    script.chmod(0o755)
    return folder / "args.json"


def test_runs_vipe_infer_when_installed_and_the_output_is_missing(tmp_path, synthetic_video, monkeypatch):
    prepared = write_vipe_output(tmp_path / "prepared", "clip", synthetic_video.views[:3])
    args = _fake_vipe(tmp_path / "bin", prepared)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    output = vipe_output_for(tmp_path / "clip.mp4", tmp_path / "results")
    assert json.loads(args.read_text()) == ["infer", str(tmp_path / "clip.mp4"), "--output", str(tmp_path / "results")]
    assert output.name == "clip" and list(output.track()) == [0, 1, 2]
    args.unlink()
    vipe_output_for(tmp_path / "clip.mp4", tmp_path / "results")  # there now: not run again
    assert not args.exists()


def test_without_vipe_and_output_the_error_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `vipe` anywhere
    with pytest.raises(InputError, match=r"no ViPE output for clip in .*`vipe` command is not installed; install "
                                         r"ViPE \(https://github.com/nv-tlabs/vipe\)") as error:
        vipe_output_for(tmp_path / "clip.mp4", tmp_path / "results")
    assert "\n" not in str(error.value)
    _fake_vipe(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(InputError, match=r"running ViPE is off"):
        vipe_output_for(tmp_path / "clip.mp4", tmp_path / "results", run=False)


def test_a_failing_or_silent_vipe_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    _fake_vipe(tmp_path / "bin", status=3)
    with pytest.raises(ColorizeError, match="failed with exit code 3"):
        vipe_output_for(tmp_path / "clip.mp4", tmp_path / "results")
    shutil.rmtree(tmp_path / "bin")
    _fake_vipe(tmp_path / "bin")
    with pytest.raises(InputError, match=r"wrote no pose/clip\.npz"):
        vipe_output_for(tmp_path / "clip.mp4", tmp_path / "results")
