"""The task's main metric as the diagnosis reads it, and the score that judges the fit.

A diagnosis is given the task's main metric (:attr:`trainlab.engine.tasks.Task.primary`:
``acc``, ``rmse``, or a target's metric such as ``digit_acc``); its history
columns are ``train_<metric>`` and ``val_<metric>``. The rules that compare a
training fit with a validation fit need a number on one scale whatever the
data: the **score**, which is

- the **accuracy** for a classification metric (``acc``, ``digit_acc``), as before;
- the **coefficient of determination** R² = 1 − SSE/SST for a regression metric
  (``rmse``, ``mae``, ``r2``; ``weight_rmse``), read from the task's ``r2``
  column of the same target (``train_r2``, ``val_weight_r2``).

R² is the regression counterpart of accuracy: both are 1 for a perfect model,
and a difference of R² between two splits, (MSE_val − MSE_train) / Var(y), is a
difference of errors in units of the targets' variance, as a difference of
accuracies is a difference of error rates. It is free of the target's units, so
one threshold fits every data set, and R² ≤ 0 is what always predicting the
mean scores (the counterpart of chance level). The main metric itself (RMSE, in
the target's units) is cited beside the score in the sentences.

Example:
    >>> from trainlab.engine.diagnose.score import MainMetric
    >>> m = MainMetric("weight_rmse")
    >>> m.kind, m.target, m.score, m.regression, m.label
    ('rmse', 'weight', 'weight_r2', True, 'RMSE')
    >>> MainMetric().score, MainMetric("digit_acc").label
    ('acc', 'accuracy')
"""

from __future__ import annotations

from dataclasses import dataclass

from trainlab.engine.tasks.metrics import DIRECTIONS, higher_is_better, metric_kind

#: a metric kind → the name a sentence or a figure gives it
LABELS = {"acc": "accuracy", "rmse": "RMSE", "mae": "MAE", "r2": "R²"}


@dataclass(frozen=True)
class MainMetric:
    """The task's main metric, by its name (``acc``, ``rmse``, ``digit_acc``, ``weight_rmse``).

    Args:
        name: the metric; its last part (after the last ``_``) says what it
            measures, what comes before it names the target of a multitask run.

    Raises:
        ValueError: the name does not end in a metric of a task (``loss`` is not one).

    Example:
        >>> try:
        ...     MainMetric("loss")
        ... except ValueError as e:
        ...     print(str(e)[:42])
        metric: expected a task's main metric (acc
    """

    name: str = "acc"

    def __post_init__(self) -> None:
        kind = metric_kind(self.name) if isinstance(self.name, str) else ""
        prefix = self.name[: -len(kind)] if kind else ""
        if kind not in DIRECTIONS or kind == "loss" or prefix == "_":
            raise ValueError(
                "metric: expected a task's main metric (acc, rmse, mae or r2, maybe after a "
                f"target's name: digit_acc), got {self.name!r}"
            )

    @property
    def kind(self) -> str:
        """What it measures: ``acc``, ``rmse``, ``mae`` or ``r2``."""
        return metric_kind(self.name)

    @property
    def prefix(self) -> str:
        """``""``, or the target's name and ``_`` (``digit_``) for a multitask run."""
        return self.name[: -len(self.kind)]

    @property
    def target(self) -> str | None:
        """The target a multitask run's metric belongs to (None: a single task)."""
        return self.prefix[:-1] or None

    @property
    def regression(self) -> bool:
        """Whether it is a regression metric (then the score is R²)."""
        return self.kind != "acc"

    @property
    def score(self) -> str:
        """The column of the score that judges the fit: ``acc`` or ``r2``, with the prefix."""
        return self.prefix + ("r2" if self.regression else "acc")

    @property
    def higher_is_better(self) -> bool:
        """Whether a higher value of the metric is better (RMSE and MAE: lower)."""
        return higher_is_better(self.name)

    @property
    def label(self) -> str:
        """The metric's name in a sentence: ``accuracy``, ``RMSE``, ``MAE``, ``R²``."""
        return LABELS[self.kind]

    @property
    def cited(self) -> bool:
        """Whether sentences cite the metric beside the score (a regression metric but R²)."""
        return self.regression and self.kind != "r2"
