"""Regression: one real value per example; MSE, MAE or Huber loss; RMSE, MAE, R².

The targets are standardized with the mean and standard deviation of the
training targets (``fit``), the model learns z = (y − μ)/σ, and predictions are
mapped back, ŷ = μ + σ·f(x), so every metric is in the target's own units and
the statistics travel with the model (they are buffers of the task). Losses:
mean squared error, mean absolute error, and Huber's loss (Huber, 1964),
quadratic within δ of the target and linear beyond.

Example:
    >>> import torch
    >>> from trainlab.engine.tasks import Regression
    >>> t = Regression().fit(torch.tensor([10.0, 20.0, 30.0]))
    >>> float(t.mean), round(float(t.std), 3)
    (20.0, 8.165)
    >>> t.predict(torch.zeros(2, 1)).tolist()  # z = 0 is the training mean
    [20.0, 20.0]
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry
from trainlab.engine.tasks.base import Running, Task
from trainlab.engine.tasks.metrics import regression_metrics


def _huber(delta: float):
    def loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.huber_loss(pred, target, delta=delta)

    return loss


#: regression loss name → a factory of ``(prediction, target) → mean loss`` given Huber's δ
REGRESSION_LOSSES: Registry = Registry(
    "regression loss",
    {
        "mse": lambda delta: F.mse_loss,
        "mae": lambda delta: F.l1_loss,
        "huber": _huber,
    },
    aliases={"l2": "mse", "l1": "mae", "smooth-l1": "huber"},
)


class _RunningRegression(Running):
    """Keeps the epoch's outputs and targets (one value each per example) and scores them
    once, at the epoch's end: a step costs the loss's sum and two references."""

    def __init__(self, task: Regression) -> None:
        self.task = task
        self.outs: list[torch.Tensor] = []
        self.ys: list[torch.Tensor] = []
        self.loss_sum: torch.Tensor | None = None
        self.seen = 0

    def update(self, out: torch.Tensor, y: torch.Tensor, loss: torch.Tensor, size: int) -> None:
        total = loss.detach() * size
        self.loss_sum = total if self.loss_sum is None else self.loss_sum + total
        self.outs.append(out.detach())
        self.ys.append(y)
        self.seen += size

    def postfix(self) -> dict[str, str]:
        """The running loss alone (scoring the outputs so far would cost a pass over them)."""
        loss = self.loss_sum.item() / max(1, self.seen) if self.loss_sum is not None else 0.0
        return {"loss": f"{loss:.4f}"}

    def result(self) -> dict[str, float]:
        if self.loss_sum is None:
            return {"loss": 0.0, "rmse": 0.0, "mae": 0.0, "r2": 0.0}
        pred = self.task.predict(torch.cat(self.outs))
        metrics = regression_metrics(pred, torch.cat(self.ys))
        return {"loss": self.loss_sum.item() / max(1, self.seen), **metrics}


class Regression(Task):
    """A real-valued target.

    Args:
        loss: ``mse``, ``mae`` or ``huber`` (see :data:`REGRESSION_LOSSES`).
        huber_delta: Huber's δ, in standardized units.
        standardize: learn the standardized target (fitted on the training targets).
        name: the target's name (for reports).
    """

    kind = "regression"

    def __init__(
        self,
        loss: str = "mse",
        *,
        huber_delta: float = 1.0,
        standardize: bool = True,
        name: str = "target",
    ) -> None:
        super().__init__()
        if not (isinstance(huber_delta, (int, float)) and huber_delta > 0):
            raise ConfigError(f"task.huber_delta: expected a positive number, got {huber_delta!r}")
        self.loss_name = REGRESSION_LOSSES.canonical(loss)
        self.loss_fn = REGRESSION_LOSSES.get(loss)(float(huber_delta))
        self.huber_delta = float(huber_delta)
        self.standardize = bool(standardize)
        self.name = name
        self.register_buffer("mean", torch.zeros(()))
        self.register_buffer("std", torch.ones(()))

    @property
    def primary(self) -> str:
        return "rmse"

    @property
    def metric_names(self) -> list[str]:
        return ["loss", "rmse", "mae", "r2"]

    @property
    def out_features(self) -> int:
        return 1

    def fit(self, y: torch.Tensor) -> Regression:
        """Fit μ and σ on the training targets (σ = 1 for constant targets)."""
        if self.standardize and y.numel():
            y64 = y.double()
            std = float(y64.std(unbiased=False))
            self.mean.fill_(float(y64.mean()))
            self.std.fill_(std if std > 0 and math.isfinite(std) else 1.0)
        return self

    def _z(self, y: torch.Tensor) -> torch.Tensor:
        return (y.to(self.mean.device).float() - self.mean) / self.std

    def loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.loss_fn(out.reshape(-1).float(), self._z(y))

    def running(self) -> Running:
        return _RunningRegression(self)

    def predict(self, out: torch.Tensor) -> torch.Tensor:
        """Predictions in the target's units, (N,)."""
        return out.reshape(-1).float() * self.std.to(out.device) + self.mean.to(out.device)

    def evaluate(self, out: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
        y = y.to(out.device)
        return {"loss": self.loss(out, y).item(), **regression_metrics(self.predict(out), y)}

    def score(self, pred: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
        """The loss and metrics of predictions ``pred`` in the target's units."""
        y = y.to(pred.device)
        z = (pred.float() - self.mean.to(pred.device)) / self.std.to(pred.device)
        loss = self.loss_fn(z, self._z(y).to(pred.device)).item()
        return {"loss": loss, **regression_metrics(pred, y)}

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "loss": self.loss_name,
            "huber_delta": self.huber_delta,
            "standardize": self.standardize,
        }

    def extra_repr(self) -> str:
        return f"loss={self.loss_name}, standardize={self.standardize}"
