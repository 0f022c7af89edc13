"""Training curves: TensorBoard scalars written by a real SummaryWriter, read back and plotted."""

import numpy as np

from colorize.training.curves import plot_curves, plot_run, read_scalars


def test_scalars_round_trip_and_plot(tmp_path):
    from torch.utils.tensorboard import SummaryWriter

    with SummaryWriter(tmp_path / "run" / "logs" / "train") as writer:
        for step in range(1, 6):
            writer.add_scalar("loss/total", 1.0 / step, step)
            writer.add_scalar("val/psnr", 20.0 + step, step)
        writer.add_scalar("val/psnr_gray", 22.0, 5)
    scalars = read_scalars(tmp_path / "run" / "logs")
    assert [step for step, _ in scalars["loss/total"]] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose([value for _, value in scalars["val/psnr"]], [21, 22, 23, 24, 25])
    path = plot_run(tmp_path / "run")
    assert path == tmp_path / "run" / "curves.png" and path.stat().st_size > 10_000
    assert plot_curves({}, tmp_path / "empty.png").is_file()  # no scalars: empty axes, no error
