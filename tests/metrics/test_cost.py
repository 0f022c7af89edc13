import time

import numpy as np
import pytest
import torch

from colorize.metrics import CostMeter, CostReport


def test_cpu_report():
    with CostMeter(device="cpu", interval=0.01) as meter:
        time.sleep(0.05)
        meter.add_frames(4)
        meter.add_frames(6)
    report = meter.report
    assert isinstance(report, CostReport) and report.frames == 10
    assert report.seconds >= 0.05 and report.fps == pytest.approx(10 / report.seconds)
    assert report.peak_gpu_mem_mib is None and report.gpu_util_mean_percent is None
    assert report.notes["gpu"] == "no CUDA device"
    row = report.as_dict()
    assert row["peak_gpu_mem_mib"] == "n/a" and row["gpu_util_mean_percent"] == "n/a" and row["frames"] == 10


def test_peak_rss_sees_a_freed_allocation():
    with CostMeter(device="cpu", interval=0.01) as meter:
        before = meter._process.memory_info().rss / 2**20
        block = np.ones(300 * 2**20 // 8)  # 300 MiB, written so that it is resident
        time.sleep(0.05)
        del block
    assert meter.report.peak_rss_mib >= before + 250


def test_no_frames_is_na():
    with CostMeter(device="cpu") as meter:
        pass
    assert meter.report.fps is None and meter.report.as_dict()["fps"] == "n/a" and "fps" in meter.report.notes


def test_reusable():
    meter = CostMeter(device="cpu")
    for count in (1, 2):
        with meter:
            meter.add_frames(count)
        assert meter.report.frames == count


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_report():
    x = torch.randn(1024, 1024, device="cuda")
    with CostMeter(device="cuda", interval=0.02) as meter:
        block = torch.empty(256 * 2**20, dtype=torch.uint8, device="cuda")  # 256 MiB
        for _ in range(200):
            x = torch.tanh(x @ x)
        meter.add_frames(200)
        del block
    report = meter.report
    assert report.peak_gpu_mem_mib >= 256
    assert "gpu" not in report.notes
    if "gpu_util" in report.notes:  # NVML missing or refused: n/a with a reason, never a made-up number
        assert report.gpu_util_mean_percent is None
    else:
        assert 0 <= report.gpu_util_mean_percent <= report.gpu_util_max_percent <= 100
