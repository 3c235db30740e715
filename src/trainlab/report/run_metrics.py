"""The run report's metrics in the task's own terms: which metric leads, its name and numbers.

A run is judged by its task's main metric (:attr:`trainlab.engine.tasks.Task.primary`):
accuracy for classification, RMSE for regression, the main target's metric for
multitask learning (``digit_acc``). The page and the learning-curve figure name it
(``accuracy``, ``RMSE``, ``R²``; ``digit accuracy``), write its values (accuracies in
percent, RMSE and MAE in the target's units, R² with three decimals) and its
generalization gap, the training split's advantage (training − test accuracy,
test − training RMSE): :class:`RunMetric`. A page that is not told the metric reads
it from the metric names (:func:`infer_primary`). :func:`split_rows` lays out every
final metric by split (and by target), for a task with more than loss and accuracy.

Example:
    >>> from trainlab.report.run_metrics import RunMetric, infer_primary
    >>> m = RunMetric(infer_primary({"test_loss": 0.7, "test_rmse": 63.94}))
    >>> m.key, m.name("en"), m.text(63.944), m.gap_text(23.97)
    ('rmse', 'RMSE', '63.94', '+23.97')
    >>> RunMetric("digit_acc").name("en"), RunMetric("digit_acc").name("es")
    ('digit accuracy', 'exactitud (digit)')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trainlab.engine.diagnose.score import MainMetric
from trainlab.engine.tasks.metrics import DIRECTIONS, metric_kind
from trainlab.report.format import DASH, accuracy, as_fraction, gap_points, loss, optional_number

SPLITS = ("train", "val", "test")

#: a metric kind → its name on the page, per language
METRIC_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"acc": "accuracy", "loss": "loss", "rmse": "RMSE", "mae": "MAE", "r2": "R²"},
    "es": {"acc": "exactitud", "loss": "pérdida", "rmse": "RMSE", "mae": "MAE", "r2": "R²"},
}

#: the kinds a task's main metric can be read from, most likely first (unprefixed names)
_LEADS = ("acc", "rmse", "r2", "mae")


def _names(keys: Iterable[str]) -> list[str]:
    """The metric names of ``<split>_<metric>`` keys, in order, once each."""
    out: list[str] = []
    for k in keys:
        split, _, rest = str(k).partition("_")
        if split in SPLITS and rest and rest not in out and metric_kind(rest) in DIRECTIONS:
            out.append(rest)
    return out


def infer_primary(metrics: Mapping[str, Any], history: Sequence[Mapping[str, Any]] = ()) -> str:
    """The main metric a run's metrics (else its history) point to; ``acc`` when they say
    nothing: ``acc`` or ``rmse`` (or ``r2``, ``mae``) when recorded, else the first target's
    metric that is not a loss (a multitask run's main target comes first by default).

    Example:
        >>> infer_primary({"train_loss": 1.0, "train_mae": 2.0, "train_rmse": 3.0})
        'rmse'
        >>> infer_primary({}, [{"train_digit_loss": 0.5, "train_digit_acc": 0.9}])
        'digit_acc'
        >>> infer_primary({}, [{"train_loss": 1.0}])
        'acc'
    """
    names = _names(metrics) or _names(k for row in history for k in row)
    for lead in _LEADS:
        if lead in names:
            return lead
    for name in names:
        if metric_kind(name) != "loss" and name != f"_{metric_kind(name)}":
            return name
    return "acc"


@dataclass(frozen=True)
class RunMetric:
    """How the run page shows one metric (a task's main metric, or any of its metrics).

    Args:
        key: the metric's name without the split (``acc``, ``rmse``, ``digit_acc``, ``loss``).
    """

    key: str = "acc"

    @property
    def kind(self) -> str:
        """What it measures: ``acc``, ``loss``, ``rmse``, ``mae`` or ``r2``."""
        return metric_kind(self.key)

    @property
    def target(self) -> str | None:
        """The target of a multitask run's metric (None: the run's only target)."""
        return self.key[: -len(self.kind)].removesuffix("_") or None

    @property
    def accuracy(self) -> bool:
        """Whether it is an accuracy (shown in percent, differences in points)."""
        return self.kind == "acc"

    @property
    def higher_is_better(self) -> bool:
        """Whether higher is better (accuracy, R²) or lower (loss, RMSE, MAE)."""
        return DIRECTIONS[self.kind]

    def name(self, lang: str) -> str:
        """Its name in a sentence: ``accuracy``, ``RMSE``, ``digit accuracy``, ``exactitud
        (digit)``."""
        word = METRIC_WORDS[lang][self.kind]
        if self.target is None:
            return word
        return f"{self.target} {word}" if lang == "en" else f"{word} ({self.target})"

    @property
    def figure_label(self) -> str:
        """Its name on a figure's axis: ``accuracy``, ``RMSE``, ``digit accuracy``."""
        word = MainMetric(self.key).label if self.kind != "loss" else "loss"
        return word if self.target is None else f"{self.target} {word}"

    def read(self, v: Any) -> float | None:
        """A recorded value as a number (an accuracy as a fraction); None when unknown."""
        if self.accuracy:
            return as_fraction(v)
        x = optional_number(v)
        return x if x is not None and math.isfinite(x) else None

    def text(self, v: Any) -> str:
        """A value: ``98.12%``, ``0.0710`` (a loss), ``63.94`` (RMSE), ``0.195`` (R²)."""
        if self.accuracy:
            return accuracy(v)
        if self.kind == "loss":
            return loss(v)
        x = optional_number(v)
        if x is None or not math.isfinite(x):
            return DASH if x is None else ("NaN" if math.isnan(x) else str(x))
        return f"{x:.3f}" if self.kind == "r2" else f"{x:.4g}"

    def hero_text(self, v: float | None) -> str:
        """The headline value: ``98.1%``, or :meth:`text`."""
        if v is None:
            return DASH
        return f"{100 * v:.1f}%" if self.accuracy else self.text(v)

    def gap_text(self, v: float) -> str:
        """A generalization gap: ``+1.9 pts`` for accuracy, ``+23.97`` in the metric's units."""
        return gap_points(v) if self.accuracy else f"{v:+.4g}"

    def advantage(self, train: float, other: float) -> float:
        """The training split's advantage over another: ``train − other``, or ``other − train``
        when lower is better."""
        return train - other if self.higher_is_better else other - train


def split_rows(metrics: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """Every final metric by split: ``{"target", "metric", "cells": [train, val, test]}`` per
    metric, in the order of ``metrics`` (a multitask run's combined loss has no target).

    Example:
        >>> rows = split_rows({"train_rmse": 40.0, "test_rmse": 63.9, "test_r2": 0.195}, "en")
        >>> [(r["metric"], r["cells"]) for r in rows]
        [('RMSE', ['40', '—', '63.9']), ('R²', ['—', '—', '0.195'])]
    """
    rows = []
    for name in _names(metrics):
        m = RunMetric(name)
        cells = [m.text(metrics.get(f"{split}_{name}")) for split in SPLITS]
        rows.append({"target": m.target, "metric": METRIC_WORDS[lang][m.kind], "cells": cells})
    return rows
