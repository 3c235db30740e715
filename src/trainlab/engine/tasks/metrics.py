"""The metrics every task reports, and which way is better for each.

Classification: ``loss`` (mean cross-entropy, the negative log-likelihood of
the predicted probabilities) and ``acc`` (accuracy). Regression, in the
target's own units: ``rmse`` = √(mean (ŷ − y)²), ``mae`` = mean |ŷ − y| and
``r2`` = 1 − Σ(ŷ − y)² / Σ(y − ȳ)² (the coefficient of determination, as
scikit-learn's ``r2_score``), beside ``loss``, the training loss on the
standardized targets. A multitask run prefixes each task's metrics with the
task's name (``digit_acc``, ``weight_rmse``).

A metric's direction is read from the last part of its name, so ``val_acc``,
``test_digit_acc`` and ``acc`` are all higher-is-better.

Example:
    >>> import torch
    >>> from trainlab.engine.tasks.metrics import higher_is_better, regression_metrics
    >>> higher_is_better("val_digit_acc"), higher_is_better("test_rmse")
    (True, False)
    >>> m = regression_metrics(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 4.0]))
    >>> round(m["rmse"], 4), round(m["mae"], 4), round(m["r2"], 4)
    (0.5774, 0.3333, 0.7857)
"""

from __future__ import annotations

import math

import torch

from trainlab.core.errors import ConfigError

#: metric → whether a higher value is better
DIRECTIONS: dict[str, bool] = {
    "acc": True,
    "r2": True,
    "loss": False,
    "rmse": False,
    "mae": False,
}


def metric_kind(name: str) -> str:
    """The metric a (prefixed) name measures: ``"val_digit_acc"`` → ``"acc"``."""
    return name.rsplit("_", 1)[-1]


def higher_is_better(name: str) -> bool:
    """Whether a higher value of metric ``name`` is better (``ConfigError`` when unknown)."""
    kind = metric_kind(name)
    if kind not in DIRECTIONS:
        raise ConfigError(
            f"metric {name!r}: unknown; a metric ends in one of: {', '.join(DIRECTIONS)}"
        )
    return DIRECTIONS[kind]


def regression_metrics(pred: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """RMSE, MAE and R² of predictions ``pred`` against targets ``y`` (both (N,)).

    R² is 1 − SSE/SST; with constant targets (SST = 0) it is 1.0 for a perfect
    prediction and 0.0 otherwise, as scikit-learn's ``r2_score``.
    """
    pred, y = pred.double().reshape(-1), y.double().reshape(-1).to(pred.device)
    err = pred - y
    sse = float((err * err).sum())
    sst = float(((y - y.mean()) ** 2).sum()) if y.numel() else 0.0
    n = max(1, y.numel())
    r2 = 1.0 - sse / sst if sst > 0 else (1.0 if sse == 0 else 0.0)
    return {"rmse": math.sqrt(sse / n), "mae": float(err.abs().sum()) / n, "r2": r2}
