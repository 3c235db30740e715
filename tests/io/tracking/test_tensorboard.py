"""TensorBoard: the scalars read back by TensorBoard's own event reader."""

from __future__ import annotations

import pytest

pytest.importorskip("tensorboard")

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from trainlab.core.errors import ConfigError
from trainlab.io.tracking.tensorboard import TensorBoardTracker, tag


def test_tags_group_by_split() -> None:
    assert tag("train_loss") == "train/loss" and tag("lr") == "lr"


def test_scalars_are_written_per_step(tmp_path) -> None:
    t = TensorBoardTracker(str(tmp_path), "run-1")
    t.log_params({"optimizer.lr": 0.01, "model.name": "mlp"})
    for step in (1, 2, 3):
        t.log_metrics(step, {"epoch": float(step), "val_acc": step / 10, "train_loss": 1 / step})
    t.close({"test_acc": 0.9})
    acc = EventAccumulator(str(tmp_path / "run-1"))
    acc.Reload()
    assert "epoch" not in acc.Tags()["scalars"]
    values = [(e.step, round(e.value, 6)) for e in acc.Scalars("val/acc")]
    assert values == [(1, 0.1), (2, 0.2), (3, 0.3)]


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match=r"^track\.tensorboard: cannot write the log folder"):
        TensorBoardTracker(str(blocker), "run")
