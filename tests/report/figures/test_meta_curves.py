"""The meta-learning figure: episodes or epochs on the left, the test episodes on the right."""

from __future__ import annotations

import math

from PIL import Image

from trainlab.report.figures.meta_curves import plot_meta_curves


def test_episodic_rows_with_validation_and_a_kept_model(tmp_path) -> None:
    rows = [{"episode": 50 * i, "loss": 1 / i, "val_acc": 0.4 + i / 20} for i in range(1, 5)]
    path = plot_meta_curves(rows, [0.5, 0.6, 0.7] * 20, tmp_path / "m.png", n_way=5, kept=150)
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size[0] > im.size[1] > 200


def test_epoch_rows_without_validation(tmp_path) -> None:
    rows = [{"epoch": 1, "loss": 1.0}, {"epoch": 2, "loss": 0.5}]
    path = plot_meta_curves(rows, [0.4, 0.8], tmp_path / "f.png", n_way=3, title="finetune")
    assert path.stat().st_size > 1000


def test_no_validation_accuracy_draws_no_second_axis(tmp_path) -> None:
    rows = [{"episode": 10, "loss": 1.0, "val_acc": math.nan}]
    assert plot_meta_curves(rows, [], tmp_path / "e.png", n_way=5).is_file()
