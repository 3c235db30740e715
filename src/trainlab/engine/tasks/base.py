"""The task contract: what a batch's targets are, the loss, the metrics, the predictions.

A task is an ``nn.Module`` (its statistics and learned weights are buffers and
parameters, so they move with the model, join the optimizer and are saved in
checkpoints). The loop asks it for

- :meth:`Task.loss`: the training loss of the model's outputs against a
  batch's targets;
- :meth:`Task.running`: an accumulator of the training metrics of an epoch;
- :meth:`Task.evaluate`: a split's metrics from the model's raw outputs (the
  per-epoch validation);
- :meth:`Task.predict` and :meth:`Task.score`: what a prediction is
  (probabilities, values in the target's units) and the metrics of predictions
  averaged over ensemble members, dropout passes or test-time views.

:attr:`Task.primary` names the metric a run is judged by (``acc``, ``rmse``,
``digit_acc``) and :attr:`Task.out_features` the size of the model's head.

Example:
    >>> from trainlab.engine.tasks import Classification
    >>> t = Classification(["cat", "dog"])
    >>> t.primary, t.out_features, t.metric_names
    ('acc', 2, ['loss', 'acc'])
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

#: model outputs: a tensor, or {task name: tensor} for multitask learning
Outputs = Any
#: a batch's targets: a tensor, or {task name: tensor}
Targets = Any


class Running:
    """Accumulates an epoch's training metrics on the device (read once, at its end)."""

    def update(self, out: Outputs, y: Targets, loss: torch.Tensor, size: int) -> None:
        raise NotImplementedError

    def result(self) -> dict[str, float]:
        """The epoch's metrics, by name (without the ``train_`` prefix)."""
        raise NotImplementedError

    def postfix(self) -> dict[str, str]:
        """A short live view for a progress bar."""
        r = self.result()
        return {k: f"{v:.4f}" if k == "loss" else f"{v:.3f}" for k, v in list(r.items())[:2]}


class Task(nn.Module):
    """Base class of tasks (see the module's notes)."""

    #: ``classification``, ``regression`` or ``multitask``
    kind: str = ""

    @property
    def primary(self) -> str:
        """The metric a run is judged by."""
        raise NotImplementedError

    @property
    def metric_names(self) -> list[str]:
        """Every metric :meth:`evaluate` and :meth:`score` report, in order."""
        raise NotImplementedError

    @property
    def out_features(self) -> int | dict[str, int]:
        """The model's output size (a mapping of sizes for multitask learning)."""
        raise NotImplementedError

    def fit(self, y: Targets) -> Task:
        """Fit what the task learns from the training targets (standardization); ``self``."""
        return self

    def loss(self, out: Outputs, y: Targets) -> torch.Tensor:
        raise NotImplementedError

    def running(self) -> Running:
        raise NotImplementedError

    def evaluate(self, out: Outputs, y: Targets) -> dict[str, float]:
        raise NotImplementedError

    def predict(self, out: Outputs) -> Any:
        raise NotImplementedError

    def score(self, pred: Any, y: Targets) -> dict[str, float]:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """A JSON description that :func:`trainlab.engine.tasks.task_from_description`
        rebuilds the task from (its tensors come with the checkpoint)."""
        raise NotImplementedError
