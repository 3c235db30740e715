"""Early stopping: stop when the monitored validation value stops improving.

The lecture's "paro temprano": keep the parameters of the best epoch seen so
far and stop once ``patience`` epochs pass without an improvement of at least
``min_delta`` (Prechelt, *Early Stopping — But When?*, in Neural Networks:
Tricks of the Trade, 1998; Goodfellow et al., *Deep Learning*, 2016, §7.8).

Example:
    >>> from trainlab.engine.strategies.early_stopping import EarlyStopping
    >>> es = EarlyStopping(patience=2)
    >>> [es.update(v, epoch=i + 1) for i, v in enumerate([1.0, 0.8, 0.9, 0.85])]
    [False, False, False, True]
    >>> es.best_epoch
    2
"""

from __future__ import annotations

import copy
import math
from typing import Any

import torch

from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback
from trainlab.engine.tasks.metrics import higher_is_better


class EarlyStopping(Callback):
    """Stops training and restores the best weights.

    Args:
        monitor: a validation column of the history: ``val_loss``, ``val_rmse``,
            ``val_mae`` (lower is better), ``val_acc``, ``val_r2``,
            ``val_digit_acc`` (higher is better); the direction is read from the
            name (:func:`trainlab.engine.tasks.metrics.higher_is_better`).
        patience: epochs without improvement before stopping.
        min_delta: smallest change that counts as an improvement.
        restore_best: load the best epoch's weights when training ends.
    """

    name = "early-stopping"

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        min_delta: float = 0.0,
        restore_best: bool = True,
    ) -> None:
        if not isinstance(monitor, str) or not monitor:
            raise ConfigError(
                f"early stopping: expected a history column to monitor, got {monitor!r}"
            )
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ConfigError(f"early stopping: expected a patience ≥ 1 epoch, got {patience!r}")
        if not (isinstance(min_delta, (int, float)) and min_delta >= 0):
            raise ConfigError(f"early stopping: expected min_delta ≥ 0, got {min_delta!r}")
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta
        self.restore_best = restore_best
        self.sign = -1.0 if higher_is_better(monitor) else 1.0
        self.best = math.inf
        self.best_epoch = 0
        self.wait = 0
        self.stopped_epoch = 0
        self.best_state: dict[str, torch.Tensor] | None = None
        #: the task's learned state at the best epoch (uncertainty weights), when it has one
        self.best_task: dict[str, torch.Tensor] | None = None

    def update(self, value: float, epoch: int) -> bool:
        """Record ``value`` at ``epoch``; True when training should stop."""
        score = self.sign * value
        if score < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = score, epoch, 0
            return False
        self.wait += 1
        return self.wait >= self.patience

    def on_epoch_end(self, trainer, epoch: int, logs: dict[str, float]) -> None:
        if self.monitor not in logs:
            return
        improved_before = self.best_epoch
        stop = self.update(logs[self.monitor], epoch)
        if self.best_epoch != improved_before and self.restore_best:
            self.best_state = copy.deepcopy(trainer.model.state_dict())
            task = trainer.task.state_dict() if hasattr(trainer, "task") else {}
            self.best_task = copy.deepcopy(task) if task else None
        if stop:
            self.stopped_epoch = epoch
            trainer.should_stop = True

    def on_fit_end(self, trainer) -> None:
        if self.restore_best and self.best_state is not None:
            trainer.model.load_state_dict(self.best_state)
            if self.best_task is not None:
                trainer.task.load_state_dict(self.best_task)

    def state_dict(self) -> dict[str, Any]:
        return {
            "best": self.best,
            "best_epoch": self.best_epoch,
            "wait": self.wait,
            "stopped_epoch": self.stopped_epoch,
            "best_state": self.best_state,
            **({"best_task": self.best_task} if self.best_task is not None else {}),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = float(state["best"])
        self.best_epoch = int(state["best_epoch"])
        self.wait = int(state["wait"])
        self.stopped_epoch = int(state["stopped_epoch"])
        self.best_state = state.get("best_state")
        self.best_task = state.get("best_task")
