"""Run-time cost of a colorizer: frames per second, peak CPU memory (RSS), peak GPU memory, GPU utilisation.

Usage::

    with CostMeter(device="cuda") as meter:
        frames = model(gray)
        meter.add_frames(len(frames))
    row.update(meter.report.as_dict())

- FPS: frames / wall-clock seconds inside the ``with`` block (CUDA is synchronised before the clock stops).
- Peak RSS: the process's resident set; where Linux allows it the kernel's high-water mark is reset at the start
  (``/proc/self/clear_refs``) and read at the end, otherwise (and in addition) RSS is sampled every
  ``interval`` seconds. It includes everything the process holds, not only what the model allocated.
- Peak GPU memory: ``torch.cuda.max_memory_allocated`` (tensors allocated by PyTorch, statistics reset at the
  start; the caching allocator's reserve and the CUDA context are not included).
- GPU utilisation: mean and max of NVML's percentage of time a kernel was running (``torch.cuda.utilization``,
  needs ``nvidia-ml-py``), sampled every ``interval`` seconds. NVML measures the whole GPU, other processes
  included, over its own window of up to a second, so blocks shorter than that are read coarsely.

Values that cannot be measured (no GPU, no NVML) are None in :class:`CostReport` and ``"n/a"`` in
:meth:`CostReport.as_dict`, with the reason in ``notes``.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import torch

logger = logging.getLogger(__name__)

_MIB = 1024.0 * 1024.0


@dataclass
class CostReport:
    frames: int
    seconds: float
    fps: float | None  # None when no frame was counted
    peak_rss_mib: float
    peak_gpu_mem_mib: float | None = None
    gpu_util_mean_percent: float | None = None
    gpu_util_max_percent: float | None = None
    notes: dict[str, str] = field(default_factory=dict)  # metric name → why it is n/a

    def as_dict(self) -> dict[str, float | int | str]:
        """Flat row for a results table: missing values become ``"n/a"``; reasons are left out (see ``notes``)."""
        row = {"frames": self.frames, "seconds": self.seconds, "fps": self.fps, "peak_rss_mib": self.peak_rss_mib,
               "peak_gpu_mem_mib": self.peak_gpu_mem_mib, "gpu_util_mean_percent": self.gpu_util_mean_percent,
               "gpu_util_max_percent": self.gpu_util_max_percent}
        return {key: "n/a" if value is None else value for key, value in row.items()}


def _reset_peak_rss() -> bool:
    """Reset the kernel's VmHWM for this process (Linux ≥ 4.0). True if it worked."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _read_peak_rss() -> int | None:
    """VmHWM in bytes from /proc/self/status, or None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cuda_device(device: str | torch.device | None) -> torch.device | None:
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(device)
    if device.type != "cuda" or not torch.cuda.is_available():
        return None
    return torch.device("cuda", device.index if device.index is not None else torch.cuda.current_device())


class CostMeter:
    """Context manager measuring the cost of the code inside it; see the module docstring.

    Args:
        device: the device the model runs on; a CUDA device enables the GPU measurements. Default: CUDA if
            available, else CPU.
        interval: sampling period in seconds for RSS and GPU utilisation.
    """

    def __init__(self, device: str | torch.device | None = None, interval: float = 0.05) -> None:
        self.cuda = _cuda_device(device)
        self.interval = interval
        self.frames = 0
        self.report: CostReport | None = None
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rss_samples: list[int] = []
        self._util_samples: list[float] = []
        self._notes: dict[str, str] = {}

    def add_frames(self, count: int) -> None:
        """Count ``count`` more frames produced inside the block."""
        self.frames += int(count)

    def _sample(self) -> None:
        self._rss_samples.append(self._process.memory_info().rss)
        if self.cuda is not None and "gpu_util" not in self._notes:
            try:
                self._util_samples.append(float(torch.cuda.utilization(self.cuda)))
            except Exception as err:  # no pynvml, NVML error, unsupported device: report n/a, keep measuring
                reason = str(err).splitlines()[0] if str(err) else type(err).__name__
                if isinstance(err, ModuleNotFoundError):
                    reason = "NVML unavailable: pip install nvidia-ml-py"
                self._notes["gpu_util"] = reason

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> "CostMeter":
        self.frames, self.report = 0, None
        self._rss_samples, self._util_samples, self._notes = [], [], {}
        if self.cuda is None:
            self._notes["gpu"] = "no CUDA device"
        else:
            torch.cuda.synchronize(self.cuda)
            torch.cuda.reset_peak_memory_stats(self.cuda)
        self._kernel_peak = _reset_peak_rss()
        self._sample()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="colorize-cost-meter", daemon=True)
        self._start = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.cuda is not None:
            torch.cuda.synchronize(self.cuda)
        seconds = time.perf_counter() - self._start
        self._stop.set()
        self._thread.join()
        self._sample()
        peak_rss = max(self._rss_samples)
        if self._kernel_peak:
            peak_rss = max(peak_rss, _read_peak_rss() or 0)
        notes = dict(self._notes)
        report = CostReport(frames=self.frames, seconds=seconds,
                            fps=self.frames / seconds if self.frames and seconds > 0 else None,
                            peak_rss_mib=peak_rss / _MIB, notes=notes)
        if self.frames == 0:
            notes["fps"] = "no frames counted (call add_frames)"
        if self.cuda is not None:
            report.peak_gpu_mem_mib = torch.cuda.max_memory_allocated(self.cuda) / _MIB
            if self._util_samples:
                report.gpu_util_mean_percent = sum(self._util_samples) / len(self._util_samples)
                report.gpu_util_max_percent = max(self._util_samples)
        self.report = report
        logger.debug("cost: %s", report)
