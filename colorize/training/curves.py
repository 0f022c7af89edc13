"""Training curves as a PNG: TensorBoard scalars read back from a run's ``logs/`` and plotted with matplotlib.

    python -c "from colorize.training.curves import plot_run; plot_run('outputs/training/custom_unet')"
"""

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

Series = list[tuple[int, float]]  # (step, value), in step order


def read_scalars(log_dir: str | Path) -> dict[str, Series]:
    """Every scalar tag of the TensorBoard event files under ``log_dir`` (searched recursively)."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    scalars: dict[str, Series] = {}
    for events in sorted(Path(log_dir).rglob("events.out.tfevents.*")):
        accumulator = EventAccumulator(str(events), size_guidance={"scalars": 0})  # 0: keep every point
        accumulator.Reload()
        for tag in accumulator.Tags()["scalars"]:
            scalars.setdefault(tag, []).extend((event.step, event.value) for event in accumulator.Scalars(tag))
    return {tag: sorted(points) for tag, points in scalars.items()}


def plot_curves(scalars: dict[str, Series], path: str | Path, title: str = "") -> Path:
    """Two panels: training losses (the ``loss/*`` tags) and validation PSNR, the gray baseline's next to it.
    Returns ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (losses, validation) = plt.subplots(1, 2, figsize=(11, 4))
    for tag, points in scalars.items():
        if tag.startswith("loss/"):
            losses.plot(*zip(*points), label=tag.removeprefix("loss/"))
    losses.set(xlabel="step", ylabel="loss", title="training losses", yscale="log")
    for tag, label, style in (("val/psnr", "U-Net", "o-"), ("val/psnr_gray", "gray (L only)", "--")):
        if tag in scalars:
            validation.plot(*zip(*scalars[tag]), style, label=label)
    validation.set(xlabel="step", ylabel="PSNR (dB)", title="validation PSNR (held-out frames)")
    for axis in (losses, validation):
        axis.grid(alpha=0.3)
        if axis.lines:
            axis.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def plot_run(output_dir: str | Path, path: str | Path | None = None) -> Path:
    """Plot the curves of the training run in ``output_dir`` (its ``logs/``) to ``path`` (default
    ``output_dir/curves.png``)."""
    output_dir = Path(output_dir)
    scalars = read_scalars(output_dir / "logs")
    if not scalars:
        logger.warning("no TensorBoard scalars under %s", output_dir / "logs")
    return plot_curves(scalars, path or output_dir / "curves.png", title=output_dir.name)
