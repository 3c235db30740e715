"""The callback that sends every epoch's history row to the run's trackers (``track``).

Example:
    >>> from trainlab.engine.tracking import Tracking
    >>> class Print:
    ...     def log_metrics(self, step, metrics):
    ...         print(step, metrics)
    >>> Tracking([Print()]).on_epoch_end(None, 2, {"epoch": 2, "val_acc": 0.9, "verdict": "x"})
    2 {'epoch': 2.0, 'val_acc': 0.9}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainlab.engine.callbacks import Callback
from trainlab.io.tracking.base import numeric


class Tracking(Callback):
    """Log each epoch's numbers (losses, metrics, learning rate) at step = epoch."""

    def __init__(self, trackers: Sequence[Any]) -> None:
        self.trackers = list(trackers)

    def on_epoch_end(self, trainer, epoch: int, logs: dict[str, float]) -> None:
        row = numeric(logs)
        for tracker in self.trackers:
            tracker.log_metrics(epoch, row)
