"""How a study shows its metric: in percent with differences in points, or in its own units.

A metric's kind is the last part of its name (``test_digit_acc`` → ``acc``),
as :mod:`trainlab.engine.tasks.metrics` reads it. Accuracy-like metrics, which
are fractions of 1 (accuracy, R²), are shown in percent and their differences
in percentage points (×100), as the study report always showed accuracies;
RMSE, MAE and losses are shown in their own units (RMSE and MAE in the
target's). The generalization gap (``gap``) is the training split's advantage
in the task's primary metric (train − test accuracy, test − train RMSE), so it
is shown in the primary metric's units.

The direction of each kind repeats
:data:`trainlab.engine.tasks.metrics.DIRECTIONS` (a test checks that they
agree) so that reading a study back (``trainlab show``, ``--seeds-for``) needs
no PyTorch.

Example:
    >>> from trainlab.report.study_units import display_scale, in_points, known_direction
    >>> in_points("test_acc"), in_points("test_r2"), in_points("test_rmse")
    (True, True, False)
    >>> in_points("gap", gap_metric="rmse"), known_direction("test_weight_mae")
    (False, False)
    >>> display_scale("test_acc", [0.91, 0.93]), display_scale("test_rmse", [52.1])
    (100.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trainlab.report.format import is_accuracy, metric_scale

#: a metric kind → whether a higher value is better (trainlab.engine.tasks.metrics.DIRECTIONS)
KIND_DIRECTIONS = {"acc": True, "r2": True, "loss": False, "rmse": False, "mae": False}
#: the kinds that are fractions of 1: shown in percent, their differences in points
POINTS_KINDS = frozenset({"acc", "r2"})


def metric_kind(metric: str) -> str:
    """What a (prefixed) metric name measures: ``"val_digit_acc"`` → ``"acc"``."""
    return metric.rsplit("_", 1)[-1].lower()


def known_direction(metric: str) -> bool | None:
    """Whether a higher value of ``metric`` is better; None when its kind is not a task's."""
    return KIND_DIRECTIONS.get(metric_kind(metric))


def is_gap(metric: str) -> bool:
    """Whether ``metric`` is a generalization gap (``gap``, ``…_gap``)."""
    m = metric.lower()
    return m == "gap" or m.endswith("_gap")


def in_points(metric: str, gap_metric: str = "acc") -> bool:
    """Whether values of ``metric`` are shown in percent and their differences in points.

    A task's metric by its kind (accuracy and R² yes; RMSE, MAE, loss no); a gap
    as the primary metric ``gap_metric`` it is measured in; any other name as
    the reports always read it (an accuracy when it says ``acc``).
    """
    if is_gap(metric):
        return in_points(gap_metric)
    kind = metric_kind(metric)
    if kind in KIND_DIRECTIONS:
        return kind in POINTS_KINDS
    return is_accuracy(metric)


def display_scale(metric: str, values: Iterable[Any], gap_metric: str = "acc") -> float:
    """The factor to display units: 100 for accuracy-like values stored as fractions, else 1.

    R² is always a fraction (×100); an accuracy is one when every value is at most
    1.5 (see :func:`~trainlab.report.format.metric_scale`); other metrics keep
    their own units.
    """
    if not in_points(metric, gap_metric):
        return 1.0
    kind = metric_kind(gap_metric if is_gap(metric) else metric)
    if kind == "r2":
        return 100.0
    return metric_scale("acc", values)
