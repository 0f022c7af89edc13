"""Plot files: one bar chart per metric with a number, n/a models labelled, names safe for any clip."""

import pytest

from colorize.evaluation.plots import plot_metric_bars, safe_name


@pytest.mark.parametrize("name, expected", [("bikes", "bikes"), ("a b/c", "a_b_c"), ("../x", "x"), ("???", "clip")])
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_metric_bars(tmp_path):
    summary = {"models": {"gray": {"scores": {"psnr": 25.0, "lpips": "n/a", "fps": "n/a"}},
                          "copy": {"scores": {"psnr": 31.5, "lpips": "n/a", "fps": 12.0}}},
               "ground_truth": {}, "higher_is_better": {"psnr": True, "lpips": False, "fps": True}}
    written = plot_metric_bars(summary, [("psnr", "PSNR"), ("lpips", "LPIPS"), ("fps", "FPS")], tmp_path)
    assert [p.name for p in written] == ["psnr.png", "fps.png"]  # LPIPS has no number: no chart
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in written)
