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
from a :class:`~trainlab.engine.diagnose.facts.FinalAccuracies`.

Example:
    >>> from trainlab.engine.diagnose.statistics import curves_of, summarize
    >>> s = summarize(curves_of([{"train_loss": 1.0, "val_loss": 0.5}, {"train_loss": 0.5}]))
    >>> s.best_train_epoch, s.final_val_loss
    (2, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from trainlab.engine.diagnose.facts import FinalAccuracies
from trainlab.engine.diagnose.thresholds import NOISE_WINDOW, NOISE_Z, STILL_IMPROVING


@dataclass(frozen=True)
class Curves:
    """The history as arrays; NaN where a value is missing. Shapes are (n,)."""

    epochs: np.ndarray
    train_loss: np.ndarray
    train_loss_bad: np.ndarray  # bool: recorded, but NaN or infinite
    train_loss_raw: np.ndarray  # as recorded, NaN or ±inf included
    val_loss: np.ndarray
    train_acc_running: np.ndarray  # the history's train_acc: during each epoch, in train mode
    val_acc: np.ndarray


def _value(row: Mapping[str, Any], key: str) -> tuple[float, bool]:
    """``(value, recorded)``: NaN and False when the key is missing, None or not a number."""
    v = row.get(key)
    if v is None or isinstance(v, (str, bytes)):
        return math.nan, False
    try:
        return float(v), True
    except (TypeError, ValueError):
        return math.nan, False


def curves_of(history: Sequence[Mapping[str, Any]]) -> Curves:
    """The :class:`Curves` of a history (one dict per epoch; unknown keys are ignored).

    Example:
        >>> curves_of([{"epoch": 3, "train_acc": 95}]).train_acc_running.tolist()
        [0.95]
    """
    n = len(history)
    epochs = np.empty(n, dtype=int)
    cols = {k: np.full(n, np.nan) for k in ("train_loss", "val_loss", "train_acc", "val_acc")}
    bad = np.zeros(n, dtype=bool)
    raw = np.full(n, np.nan)
    for i, row in enumerate(history):
        e, ok = _value(row, "epoch")
        epochs[i] = int(e) if ok and math.isfinite(e) else i + 1
        for key, col in cols.items():
            v, recorded = _value(row, key)
            if math.isfinite(v):
                col[i] = v
            elif recorded and key == "train_loss":
                bad[i] = True
            if key == "train_loss":
                raw[i] = v
    for key in ("train_acc", "val_acc"):
        if np.isfinite(cols[key]).any() and np.nanmax(cols[key]) > 1.5:
            cols[key] /= 100.0  # recorded in percent
    return Curves(
        epochs=epochs,
        train_loss=cols["train_loss"],
        train_loss_bad=bad,
        train_loss_raw=raw,
        val_loss=cols["val_loss"],
        train_acc_running=cols["train_acc"],
        val_acc=cols["val_acc"],
    )


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


def generalization_gap(history: Sequence[Mapping[str, Any]]) -> float:
    """The *running* accuracy gap: the history's running training accuracy minus validation.

    Uses the last epoch where both accuracies are recorded. The running training
    accuracy is measured during the epoch (dropout on, weights moving), so this
    is not the final weights' generalization gap (``metrics["gap"]``).

    Args:
        history: one dict per epoch with ``train_acc`` and ``val_acc``.

    Returns:
        ``train_acc − val_acc`` (positive when the model fits the training data
        better), or NaN when no epoch has both.

    Example:
        >>> round(generalization_gap([{"train_acc": 0.99, "val_acc": 0.93}]), 2)
        0.06
    """
    c = curves_of(history)
    both = finite(c.train_acc_running - c.val_acc)
    if not both.size:
        return math.nan
    i = both[-1]
    return float(c.train_acc_running[i] - c.val_acc[i])


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

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serializable dict, in order."""
        return asdict(self)

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


def summarize(c: Curves, final: FinalAccuracies | None = None) -> Summary:
    """The :class:`Summary` of curves: first, best and final losses, accuracies and the gaps.

    Example:
        >>> c = curves_of([{"train_loss": 1.0, "train_acc": 0.4, "val_acc": 0.3}])
        >>> s = summarize(c, FinalAccuracies(train=0.31, val=0.3))
        >>> s.train_acc_running, s.fit_acc
        (0.4, 0.31)
    """
    t = finite(c.train_loss)
    v = finite(c.val_loss)
    best_train = t[np.argmin(c.train_loss[t])] if t.size else None
    best_val = v[np.argmin(c.val_loss[v])] if v.size else None
    gl = None
    if best_val is not None:
        best, final_ = float(c.val_loss[best_val]), float(c.val_loss[v[-1]])
        gl = _num(final_ / best - 1) if best > 0 else 0.0
    both = finite(c.train_acc_running - c.val_acc)
    final = final or FinalAccuracies()
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
    """

    which: str
    rate: float
    k: int
    final: float
    epoch: int


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
    return Improvement(which, rate, k, float(x[-1]), int(c.epochs[idx[-1]]))
