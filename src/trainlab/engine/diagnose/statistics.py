"""The numbers the learning-curve rules read: curves as arrays, their noise, a summary.

A history (one dict per epoch) becomes arrays with NaN where a value is
missing; accuracies recorded in percent (any value above 1.5) are divided by
100. The noise of a curve is the standard deviation of its epoch-to-epoch
scatter, estimated from its second differences, which cancel a linear trend:
for independent noise of standard deviation σ they scatter with standard
deviation √6·σ, which the median absolute deviation (÷ 0.6745) estimates
robustly. Prechelt's generalization loss (L. Prechelt, "Early stopping — but
when?", 1998) is GL = E_va / E_opt − 1. The history's ``train_acc`` is the
*running* training accuracy (see :mod:`trainlab.engine.diagnose.facts`), kept
here as ``train_acc_running``; the final weights' accuracies, when known, come
from a :class:`~trainlab.engine.diagnose.facts.FinalScores`. For a regression
metric the score these fields hold is R² (``train_r2``, ``val_r2``; see
:mod:`~trainlab.engine.diagnose.score`), never rescaled, and the main metric
itself (``train_rmse``) is kept beside it for the sentences.

Example:
    >>> from trainlab.engine.diagnose.statistics import curves_of, summarize
    >>> s = summarize(curves_of([{"train_loss": 1.0, "val_loss": 0.5}, {"train_loss": 0.5}]))
    >>> s.best_train_epoch, s.final_val_loss
    (2, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from trainlab.engine.diagnose.facts import FinalScores
from trainlab.engine.diagnose.score import MainMetric
from trainlab.engine.diagnose.thresholds import NOISE_WINDOW, NOISE_Z, STILL_IMPROVING


@dataclass(frozen=True)
class Curves:
    """The history as arrays; NaN where a value is missing. Shapes are (n,).

    ``train_acc_running`` and ``val_acc`` hold the score (accuracy, or R² for a
    regression metric); ``train_value`` and ``val_value`` the main metric itself.
    """

    epochs: np.ndarray
    train_loss: np.ndarray
    train_loss_bad: np.ndarray  # bool: recorded, but NaN or infinite
    train_loss_raw: np.ndarray  # as recorded, NaN or ±inf included
    val_loss: np.ndarray
    train_acc_running: np.ndarray  # the history's train_acc: during each epoch, in train mode
    val_acc: np.ndarray
    metric: MainMetric = field(default_factory=MainMetric)
    train_value: np.ndarray | None = None  # the history's train_<metric> (None: the score's)
    val_value: np.ndarray | None = None


def _value(row: Mapping[str, Any], key: str) -> tuple[float, bool]:
    """``(value, recorded)``: NaN and False when the key is missing, None or not a number."""
    v = row.get(key)
    if v is None or isinstance(v, (str, bytes)):
        return math.nan, False
    try:
        return float(v), True
    except (TypeError, ValueError):
        return math.nan, False


def curves_of(history: Sequence[Mapping[str, Any]], metric: str = "acc") -> Curves:
    """The :class:`Curves` of a history (one dict per epoch; unknown keys are ignored).

    ``metric`` is the task's main metric: its score's columns (``train_acc``, or
    ``train_r2`` for ``rmse``) and its own (``train_rmse``) are read.

    Example:
        >>> curves_of([{"epoch": 3, "train_acc": 95}]).train_acc_running.tolist()
        [0.95]
        >>> c = curves_of([{"train_r2": 0.5, "train_rmse": 40.0}], "rmse")
        >>> c.train_acc_running.tolist(), c.train_value.tolist()
        ([0.5], [40.0])
    """
    main = MainMetric(metric)
    n = len(history)
    epochs = np.empty(n, dtype=int)
    names = {"train_acc": f"train_{main.score}", "val_acc": f"val_{main.score}"}
    if main.cited:
        names.update(train_value=f"train_{main.name}", val_value=f"val_{main.name}")
    cols = {k: np.full(n, np.nan) for k in ("train_loss", "val_loss", *names)}
    bad = np.zeros(n, dtype=bool)
    raw = np.full(n, np.nan)
    for i, row in enumerate(history):
        e, ok = _value(row, "epoch")
        epochs[i] = int(e) if ok and math.isfinite(e) else i + 1
        for key, col in cols.items():
            v, recorded = _value(row, names.get(key, key))
            if math.isfinite(v):
                col[i] = v
            elif recorded and key == "train_loss":
                bad[i] = True
            if key == "train_loss":
                raw[i] = v
    for key in ("train_acc", "val_acc"):
        if not main.regression and np.isfinite(cols[key]).any() and np.nanmax(cols[key]) > 1.5:
            cols[key] /= 100.0  # recorded in percent
    return Curves(
        epochs=epochs,
        train_loss=cols["train_loss"],
        train_loss_bad=bad,
        train_loss_raw=raw,
        val_loss=cols["val_loss"],
        train_acc_running=cols["train_acc"],
        val_acc=cols["val_acc"],
        metric=main,
        train_value=cols.get("train_value"),
        val_value=cols.get("val_value"),
    )


def metric_curves(c: Curves) -> tuple[np.ndarray, np.ndarray]:
    """The main metric's training (running) and validation curves: its own columns when the
    sentences cite it beside the score (RMSE), else the score's (accuracy, R²).

    Example:
        >>> metric_curves(curves_of([{"train_acc": 0.5}]))[0].tolist()
        [0.5]
    """
    if c.train_value is None or c.val_value is None:
        return c.train_acc_running, c.val_acc
    return c.train_value, c.val_value


def finite(x: np.ndarray) -> np.ndarray:
    """Indices where ``x`` is finite.

    Example:
        >>> finite(np.array([1.0, np.nan, 2.0])).tolist()
        [0, 2]
    """
    return np.flatnonzero(np.isfinite(x))


def _last(x: np.ndarray) -> float:
    idx = finite(x)
    return float(x[idx[-1]]) if idx.size else math.nan


def _num(x: float | None) -> float | None:
    """JSON-friendly: None for NaN / infinite."""
    return float(x) if x is not None and math.isfinite(x) else None


def noise(x: np.ndarray) -> float:
    """Standard deviation of a curve's epoch-to-epoch noise, robust to its trend.

    Second differences cancel a linear trend and leave a smooth curve's
    curvature as a nearly constant offset; for independent noise of standard
    deviation σ they scatter with standard deviation √6·σ around it, which the
    median absolute deviation (÷ 0.6745) estimates robustly. Fewer than four
    points give 0.

    Example:
        >>> noise(np.array([4.0, 3.0, 2.0, 1.0]))
        0.0
    """
    if x.size < 4:
        return 0.0
    d2 = np.diff(x, n=2)
    mad = np.median(np.abs(d2 - np.median(d2)))
    return float(mad / 0.6745 / math.sqrt(6))


def generalization_gap(history: Sequence[Mapping[str, Any]], metric: str = "acc") -> float:
    """The *running* gap: the history's running training value of ``metric`` against validation.

    Uses the last epoch where both values are recorded. The running training
    value is measured during the epoch (dropout on, weights moving), so this
    is not the final weights' generalization gap (``metrics["gap"]``).

    Args:
        history: one dict per epoch with ``train_<metric>`` and ``val_<metric>``.
        metric: the task's main metric (``acc``, ``rmse``, ``digit_acc``).

    Returns:
        The training split's advantage, positive when the model fits the training
        data better: ``train_acc − val_acc``, or ``val_rmse − train_rmse`` for a
        metric where lower is better; NaN when no epoch has both.

    Example:
        >>> round(generalization_gap([{"train_acc": 0.99, "val_acc": 0.93}]), 2)
        0.06
        >>> generalization_gap([{"train_rmse": 40.0, "val_rmse": 55.0}], "rmse")
        15.0
    """
    main = MainMetric(metric)
    train, val = metric_curves(curves_of(history, metric))
    both = finite(train - val)
    if not both.size:
        return math.nan
    i = both[-1]
    gap = float(train[i] - val[i])
    return gap if main.higher_is_better else -gap


@dataclass(frozen=True)
class Summary:
    """The numbers every verdict reports (``None`` where unknown); its fields, in order,
    open a diagnosis's ``details``.

    ``train_acc_running`` and ``val_acc_last`` are the last epoch's (running
    training accuracy, validation accuracy) and ``gap_running`` their difference;
    ``train_acc``, ``val_acc`` and ``gap`` are the final weights' (evaluation
    mode), None when the diagnosis was not given them, and ``val_se`` the
    standard error of that validation accuracy (0 when its size is unknown).
    """

    epochs: int
    has_validation: bool
    first_train_loss: float | None
    final_train_loss: float | None
    best_train_loss: float | None
    best_train_epoch: int | None
    best_val_loss: float | None
    best_val_epoch: int | None
    final_val_loss: float | None
    generalization_loss: float | None
    train_acc_running: float | None
    val_acc_last: float | None
    gap_running: float | None
    train_acc: float | None = None
    val_acc: float | None = None
    gap: float | None = None
    val_se: float | None = None
    metric: str = "acc"
    train_value: float | None = None
    val_value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serializable dict, in order.

        For accuracy, the fields up to ``val_se``, as they are named. For another
        metric the score's fields are named by its column (``train_r2``,
        ``val_digit_acc_last``), and ``metric`` and the final weights' values of the
        metric (``train_rmse``, ``val_rmse``) follow.

        Example:
            >>> s = summarize(curves_of([{"train_loss": 1.0, "train_r2": 0.4}], "rmse"))
            >>> [k for k in s.to_dict() if "r2" in k or "rmse" in k]
            ['train_r2_running', 'val_r2_last', 'train_r2', 'val_r2', 'train_rmse', 'val_rmse']
        """
        out = asdict(self)
        metric, train, val = out.pop("metric"), out.pop("train_value"), out.pop("val_value")
        if metric == "acc":
            return out
        score = MainMetric(metric).score
        out = {k.replace("acc", score): v for k, v in out.items()}
        out["metric"] = metric
        if metric != score:
            out.update({f"train_{metric}": train, f"val_{metric}": val})
        return out

    @property
    def final_known(self) -> bool:
        """Whether the final weights' training accuracy is known (then the verdicts use it)."""
        return self.train_acc is not None

    @property
    def fit_acc(self) -> float | None:
        """The training accuracy the verdicts judge the fit by: the final weights' when known,
        else the last running one."""
        return self.train_acc if self.final_known else self.train_acc_running

    @property
    def fit_val_acc(self) -> float | None:
        """The validation accuracy that goes with :attr:`fit_acc`."""
        return self.val_acc if self.final_known else self.val_acc_last

    @property
    def fit_gap(self) -> float | None:
        """:attr:`fit_acc` minus :attr:`fit_val_acc` (None when either is unknown)."""
        return self.gap if self.final_known else self.gap_running


def summarize(c: Curves, final: FinalScores | None = None) -> Summary:
    """The :class:`Summary` of curves: first, best and final losses, scores and the gaps.

    Raises:
        ValueError: ``final`` holds the scores of another metric than the curves.

    Example:
        >>> c = curves_of([{"train_loss": 1.0, "train_acc": 0.4, "val_acc": 0.3}])
        >>> s = summarize(c, FinalScores(train=0.31, val=0.3))
        >>> s.train_acc_running, s.fit_acc
        (0.4, 0.31)
    """
    if final is not None and final.metric != c.metric.name:
        raise ValueError(
            f"final: expected the scores of metric {c.metric.name!r}, got {final.metric!r}"
        )
    t = finite(c.train_loss)
    v = finite(c.val_loss)
    best_train = t[np.argmin(c.train_loss[t])] if t.size else None
    best_val = v[np.argmin(c.val_loss[v])] if v.size else None
    gl = None
    if best_val is not None:
        best, final_ = float(c.val_loss[best_val]), float(c.val_loss[v[-1]])
        gl = _num(final_ / best - 1) if best > 0 else 0.0
    both = finite(c.train_acc_running - c.val_acc)
    final = final or FinalScores(metric=c.metric.name)
    return Summary(
        epochs=len(c.epochs),
        has_validation=bool(v.size or np.isfinite(c.val_acc).any() or final.val is not None),
        first_train_loss=_num(c.train_loss[t[0]]) if t.size else None,
        final_train_loss=_num(c.train_loss[t[-1]]) if t.size else None,
        best_train_loss=None if best_train is None else float(c.train_loss[best_train]),
        best_train_epoch=None if best_train is None else int(c.epochs[best_train]),
        best_val_loss=None if best_val is None else float(c.val_loss[best_val]),
        best_val_epoch=None if best_val is None else int(c.epochs[best_val]),
        final_val_loss=_num(c.val_loss[v[-1]]) if v.size else None,
        generalization_loss=gl,
        train_acc_running=_num(_last(c.train_acc_running)),
        val_acc_last=_num(_last(c.val_acc)),
        gap_running=(
            float(c.train_acc_running[both[-1]] - c.val_acc[both[-1]]) if both.size else None
        ),
        train_acc=final.train,
        val_acc=final.val,
        gap=final.gap,
        val_se=final.val_se if final.val is not None else None,
        metric=c.metric.name,
        train_value=final.train_value,
        val_value=final.val_value,
    )


def train_loss_near(c: Curves, i: int) -> float | None:
    """Training loss at epoch index ``i``, or the closest recorded one before it."""
    t = finite(c.train_loss[: i + 1])
    return float(c.train_loss[t[-1]]) if t.size else None


@dataclass(frozen=True)
class Improvement:
    """A monitored loss still falling fast at its final epoch.

    Attributes:
        which: ``"validation"`` or ``"training"``: the loss monitored.
        rate: its relative fall per epoch over the last ``k`` epochs.
        k: the epochs the rate is measured over.
        final: its value at the final epoch.
        epoch: the final epoch.
        index: the final epoch's index in the curves (None: unknown).
    """

    which: str
    rate: float
    k: int
    final: float
    epoch: int
    index: int | None = None


def still_improving(c: Curves, patience: int) -> Improvement | None:
    """The monitored loss (validation, else training) when it is lowest at the final epoch
    and fell over the last ``patience`` epochs by at least ``STILL_IMPROVING`` per epoch
    and by more than ``NOISE_Z`` noise standard deviations; else None."""
    if np.isfinite(c.val_loss).any():
        which, loss = "validation", c.val_loss
    else:
        which, loss = "training", c.train_loss
    idx = finite(loss)
    if idx.size < 2:
        return None
    x = loss[idx]
    if int(np.argmin(x)) != x.size - 1:
        return None
    k = min(patience, x.size - 1)
    ref = float(x[-1 - k])
    if ref <= 0:
        return None
    drop = ref - float(x[-1])
    rate = drop / ref / k
    if rate < STILL_IMPROVING or drop <= NOISE_Z * noise(x[-max(k + 3, NOISE_WINDOW) :]):
        return None
    return Improvement(which, rate, k, float(x[-1]), int(c.epochs[idx[-1]]), int(idx[-1]))
