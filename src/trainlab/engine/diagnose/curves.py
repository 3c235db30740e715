"""Learning-curve verdicts: diverged, unstable, overfitting, underfitting or a good fit.

Reads a training history (one dict per epoch) the way the lecture's slide
*Sobreajuste — Cómo identificar el sobreajuste* (Montalvo Lezama, *Estrategias de
entrenamiento*, UNAM 2021; figure from IBM, "What is overfitting?") reads a plot:
the training error keeps falling while the validation error reaches a minimum
and rises again. The verdict comes with the lecture's *estrategias para reducir
el error de generalización* (penalties, noise, ensembles, early stopping,
multitask learning, dropout, batch normalization) or, for the other verdicts,
the convergence recipes (learning rate, initialization, normalization), each
naming the recipe key to change.

How much the validation loss rose is measured by Prechelt's *generalization
loss* (L. Prechelt, "Early stopping — but when?", in *Neural Networks: Tricks of
the Trade*, LNCS 1524, 1998, pp. 55–69)::

    GL(t) = E_va(t) / E_opt(t) − 1        (Prechelt writes it ×100, in percent)

where ``E_opt(t)`` is the lowest validation loss up to epoch ``t``.

Rules, checked in this order; the first that matches gives the verdict
(the constants below name every threshold):

1. **diverged** — a training loss is NaN or infinite; or the final training
   loss is above ``DIVERGE_FACTOR`` × the first epoch's; or it more than
   doubled from its best and lost more than half the progress made
   (``final > BLOWUP_FACTOR·best`` and ``final − best > LOST_PROGRESS·(first − best)``).
2. **unstable** — the training loss swings: consecutive epoch-to-epoch changes
   larger than ``JUMP`` (relative to the loss) and than ``JUMP_OF_RANGE`` (of the
   range the loss covered) change sign at least ``MIN_SWINGS`` times
   and in at least ``SWING_FRACTION`` of the possible places; or training (and
   validation) accuracy end more than ``DEGRADED`` below their best.
3. **overfitting** — (a) the validation loss was lowest at epoch ``t*``, was
   recorded for at least ``patience`` epochs after it, ends with
   ``GL > MIN_GL``, its last ``patience`` epochs average more than
   ``NOISE_Z`` noise standard deviations above its level at the minimum (the
   mean of ``t*`` and its two neighbours), and the training loss ended below
   its value at ``t*``; or (b) the accuracy gap train − val, averaged over the
   last ``patience`` epochs, is above ``gap_threshold`` and larger than at the
   first epoch. The onset is ``t*`` (for (b), when the validation loss is
   lowest at the final epoch or was not recorded, the first epoch from which
   the gap stays above the threshold).
4. **underfitting** — one epoch only (too short to see a trend); or the training
   loss fell by less than ``1 − STALLED`` and training accuracy is below
   ``LOW_TRAIN_ACC`` (not learning); or the final training accuracy is below
   ``LOW_TRAIN_ACC`` (cannot fit the training data: high bias); or the
   monitored loss (validation, else training) is lowest at the final epoch and
   fell over the last ``patience`` epochs by at least ``STILL_IMPROVING`` per
   epoch and by more than ``NOISE_Z`` noise standard deviations (still
   improving: train longer), unless training accuracy is at least
   ``FITTED_TRAIN_ACC`` (then the model fits its data: a good fit whose
   message says that more epochs may still help).
5. **good fit** — none of the above.

``LOW_TRAIN_ACC`` is an absolute heuristic: on the classification sets trainlab
ships (digits, wine, breast cancer, MNIST, MNIST-1D, Fashion-MNIST) a network of
adequate capacity fits more than 80% of its training examples, so a model that
does not has too little capacity, too little training, or too much
regularization. The noise of a curve is estimated from the scatter of its
second differences over its last epochs (see ``_noise``), so that on a flat,
noisy validation curve a lucky low epoch is not taken for the start of
overfitting. Without validation data, overfitting cannot be seen, and the
message says so. Accuracies recorded in percent (any value above 1.5) are
divided by 100.

Example:
    >>> from trainlab.engine.diagnose.curves import diagnose
    >>> tl = [1.0, 0.6, 0.4, 0.3, 0.22, 0.16, 0.12, 0.09, 0.07, 0.05]
    >>> vl = [1.0, 0.7, 0.5, 0.45, 0.44, 0.46, 0.5, 0.55, 0.6, 0.66]
    >>> history = [
    ...     {"epoch": i + 1, "train_loss": t, "val_loss": v} for i, (t, v) in enumerate(zip(tl, vl))
    ... ]
    >>> d = diagnose(history)
    >>> d.verdict, d.epoch
    ('overfitting', 5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: the verdicts :func:`diagnose` can give, from worst to best
VERDICTS = ("diverged", "unstable", "overfitting", "underfitting", "good fit")

#: diverged: the final training loss is above this multiple of the first epoch's
DIVERGE_FACTOR = 1.5
#: diverged: the final training loss is above this multiple of its best ...
BLOWUP_FACTOR = 2.0
#: ... and has lost more than this fraction of the progress from the first epoch to the best
LOST_PROGRESS = 0.5
#: unstable: an epoch-to-epoch change of the training loss larger than this fraction is a jump ...
JUMP = 0.10
#: ... when it is also larger than this fraction of the range the training loss covered
JUMP_OF_RANGE = 0.05
#: unstable: at least this many sign changes between consecutive jumps ...
MIN_SWINGS = 2
#: ... and in at least this fraction of the places where the direction can change
SWING_FRACTION = 0.25
#: unstable: accuracy ends more than this (absolute) below its best
DEGRADED = 0.05
#: overfitting: the final generalization loss GL = val_loss / best_val_loss − 1 exceeds this
MIN_GL = 0.02
#: overfitting / still improving: a change must exceed this many standard deviations of the noise
NOISE_Z = 3.0
#: the noise is estimated on at least this many of the last epochs
_NOISE_WINDOW = 8
#: underfitting: final training accuracy below this cannot fit the training data
LOW_TRAIN_ACC = 0.80
#: underfitting: a final training loss above this multiple of the first epoch's has stalled
STALLED = 0.90
#: underfitting: a loss still falling by this fraction per epoch at the end is still improving
STILL_IMPROVING = 0.01
#: a model that fits at least this fraction of its training data is not called underfitting
#: for merely still improving; the good-fit message says more epochs may help
FITTED_TRAIN_ACC = 0.98

_DIVERGED_REMEDIES = [
    "A lower learning rate (`optimizer.lr`, e.g. ten times smaller)",
    "Gradient clipping (`train.clip_grad_norm`, e.g. 1.0)",
    "Normalized inputs (`preprocess.normalize: standard`)",
    "Glorot or He initialization (`init.scheme`, e.g. he-normal)",
    "Batch normalization (`model.batch_norm: true`)",
]
_UNSTABLE_REMEDIES = [
    "A lower learning rate (`optimizer.lr`, e.g. three times smaller)",
    "Gradient clipping (`train.clip_grad_norm`, e.g. 1.0)",
    "Normalized inputs (`preprocess.normalize: standard`)",
    "Glorot or He initialization (`init.scheme`, e.g. he-normal)",
    "Batch normalization (`model.batch_norm: true`)",
]
_OVERFITTING_REMEDIES = [
    "More training data, or data augmentation",
    "An L2 weight penalty (`regularization.l2`, e.g. 1e-4)",
    "An L1 weight penalty (`regularization.l1`, e.g. 1e-5)",
    "Noise on the inputs (`regularization.input_noise`, e.g. 0.1)",
    "Noise on the outputs: label smoothing (`regularization.label_smoothing`, e.g. 0.1)"
    " or label flipping (`regularization.label_flip`)",
    "Noise on the parameters (`regularization.weight_noise`, e.g. 0.01)",
    "An ensemble of models (`ensemble.members`, e.g. 5)",
    "Early stopping at the best validation epoch (`early_stopping.enabled: true`)",
    "Multitask learning: share the network's layers with a related task",
    "Dropout (`model.dropout`, e.g. 0.5)",
    "Batch normalization (`model.batch_norm: true`)",
    "A smaller model (`model.widths`)",
]
_BIGGER = "A bigger model: wider or more layers (`model.widths`)"
_LONGER = "Longer training (`train.epochs`)"
_HIGHER_LR = "A higher learning rate (`optimizer.lr`)"
_WEAKER = (
    "Weaker regularization (lower `regularization.l2`, `regularization.l1`, `model.dropout`"
    " and the noise levels)"
)
_INIT = "Glorot or He initialization (`init.scheme`, e.g. he-normal)"
_BN = "Batch normalization (`model.batch_norm: true`)"
_NORMALIZE = "Normalized inputs (`preprocess.normalize: standard`)"
_UNDERFITTING_REMEDIES = {
    "too_short": [_LONGER, _BIGGER, _HIGHER_LR, _WEAKER, _INIT, _BN],
    "not_learning": [_HIGHER_LR, _INIT, _BN, _NORMALIZE, _BIGGER, _LONGER, _WEAKER],
    "low_train_acc": [_BIGGER, _LONGER, _HIGHER_LR, _WEAKER, _INIT, _BN],
    "still_improving": [_LONGER, _HIGHER_LR, _BN, _BIGGER, _WEAKER, _INIT],
}


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on one training history.

    Args:
        verdict: one of :data:`VERDICTS`.
        epoch: where the problem starts (the epoch of the lowest validation
            loss for overfitting, the first bad epoch for diverged and
            unstable), the best epoch for a good fit, ``None`` for underfitting
            or when unknown.
        message: one or two plain-English sentences, with the numbers.
        remedies: strategies that address the verdict, each a short phrase that
            names the recipe key to change in backticks.
        details: the numbers behind the verdict (JSON-serializable; ``None``
            where unknown), with ``reason`` (a short code) and ``rule`` (the
            rule that fired, in words).

    Example:
        >>> d = Diagnosis("good fit", 3, "Fine.", [], {"reason": "good_fit"})
        >>> d.to_dict()["verdict"]
        'good fit'
    """

    verdict: str
    epoch: int | None
    message: str
    remedies: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable copy, e.g. for ``metrics.json``."""
        return {
            "verdict": self.verdict,
            "epoch": self.epoch,
            "message": self.message,
            "remedies": list(self.remedies),
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class _Curves:
    """The history as arrays; NaN where a value is missing. Shapes are (n,)."""

    epochs: np.ndarray
    train_loss: np.ndarray
    train_loss_bad: np.ndarray  # bool: recorded, but NaN or infinite
    train_loss_raw: np.ndarray  # as recorded, NaN or ±inf included
    val_loss: np.ndarray
    train_acc: np.ndarray
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


def _curves(history: Sequence[Mapping[str, Any]]) -> _Curves:
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
    return _Curves(
        epochs=epochs,
        train_loss=cols["train_loss"],
        train_loss_bad=bad,
        train_loss_raw=raw,
        val_loss=cols["val_loss"],
        train_acc=cols["train_acc"],
        val_acc=cols["val_acc"],
    )


def _finite(x: np.ndarray) -> np.ndarray:
    """Indices where ``x`` is finite."""
    return np.flatnonzero(np.isfinite(x))


def _last(x: np.ndarray) -> float:
    idx = _finite(x)
    return float(x[idx[-1]]) if idx.size else math.nan


def _num(x: float | None) -> float | None:
    """JSON-friendly: None for NaN / infinite."""
    return float(x) if x is not None and math.isfinite(x) else None


def _loss(x: float) -> str:
    return f"{x:.3g}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _pts(x: float) -> str:
    """A difference of accuracies in percentage points, without a trailing ``.0``."""
    text = f"{100 * x:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text.replace("-", "−")


def _points(x: float) -> str:
    n = _pts(x)
    return f"{n} point" + ("" if n in ("1", "−1") else "s")


def _noise(x: np.ndarray) -> float:
    """Standard deviation of a curve's epoch-to-epoch noise, robust to its trend.

    Second differences cancel a linear trend and leave a smooth curve's
    curvature as a nearly constant offset; for independent noise of standard
    deviation σ they scatter with standard deviation √6·σ around it, which the
    median absolute deviation (÷ 0.6745) estimates robustly. Fewer than four
    points give 0.
    """
    if x.size < 4:
        return 0.0
    d2 = np.diff(x, n=2)
    mad = np.median(np.abs(d2 - np.median(d2)))
    return float(mad / 0.6745 / math.sqrt(6))


def generalization_gap(history: Sequence[Mapping[str, Any]]) -> float:
    """Final training accuracy minus validation accuracy.

    Uses the last epoch where both accuracies are recorded.

    Args:
        history: one dict per epoch with ``train_acc`` and ``val_acc``.

    Returns:
        ``train_acc − val_acc`` (positive when the model fits the training data
        better), or NaN when no epoch has both.

    Example:
        >>> round(generalization_gap([{"train_acc": 0.99, "val_acc": 0.93}]), 2)
        0.06
    """
    c = _curves(history)
    both = _finite(c.train_acc - c.val_acc)
    if not both.size:
        return math.nan
    i = both[-1]
    return float(c.train_acc[i] - c.val_acc[i])


def diagnose(
    history: Sequence[Mapping[str, Any]], *, gap_threshold: float = 0.05, patience: int = 3
) -> Diagnosis:
    """Give a verdict on a training history, with a message and remedies.

    The rules, their order and their thresholds are in the module docstring.

    Args:
        history: one dict per epoch with ``epoch``, ``train_loss`` and, where
            recorded, ``train_acc``, ``val_loss``, ``val_acc`` (missing or NaN
            validation values mean there is no validation split); other keys
            are ignored.
        gap_threshold: a final train − val accuracy gap above this (and grown
            since the first epoch) is overfitting.
        patience: epochs the validation loss must have been recorded after its
            minimum before a rise counts as overfitting; also the window over
            which "still improving" is measured.

    Returns:
        The :class:`Diagnosis`.

    Raises:
        ValueError: the history is empty, records no training loss at all, or
            an argument is out of range.

    Example:
        >>> history = [
        ...     {"epoch": 1, "train_loss": 2.3, "train_acc": 0.1},
        ...     {"epoch": 2, "train_loss": float("nan")},
        ... ]
        >>> d = diagnose(history)
        >>> d.verdict, d.epoch
        ('diverged', 2)
        >>> any("optimizer.lr" in r for r in d.remedies)
        True
    """
    if patience < 1:
        raise ValueError(f"patience: expected an integer >= 1, got {patience}")
    if not gap_threshold >= 0:
        raise ValueError(f"gap_threshold: expected a number >= 0, got {gap_threshold}")
    if not history:
        raise ValueError("history: expected at least one epoch, got an empty history")
    c = _curves(history)
    if not (np.isfinite(c.train_loss).any() or c.train_loss_bad.any()):
        raise ValueError("history: expected a 'train_loss' value in at least one epoch")

    details = _summary(c)
    for rule in (_diverged, _unstable, _overfitting, _underfitting):
        found = rule(c, details, gap_threshold=gap_threshold, patience=patience)
        if found is not None:
            return found
    return _good_fit(c, details, gap_threshold=gap_threshold, patience=patience)


def _summary(c: _Curves) -> dict[str, Any]:
    """The numbers every verdict reports."""
    t = _finite(c.train_loss)
    v = _finite(c.val_loss)
    d: dict[str, Any] = {
        "epochs": len(c.epochs),
        "has_validation": bool(v.size or np.isfinite(c.val_acc).any()),
        "first_train_loss": _num(c.train_loss[t[0]]) if t.size else None,
        "final_train_loss": _num(c.train_loss[t[-1]]) if t.size else None,
        "best_train_loss": None,
        "best_train_epoch": None,
        "best_val_loss": None,
        "best_val_epoch": None,
        "final_val_loss": _num(c.val_loss[v[-1]]) if v.size else None,
        "generalization_loss": None,
        "final_train_acc": _num(_last(c.train_acc)),
        "final_val_acc": _num(_last(c.val_acc)),
        "gap": None,
    }
    if t.size:
        i = t[np.argmin(c.train_loss[t])]
        d["best_train_loss"] = float(c.train_loss[i])
        d["best_train_epoch"] = int(c.epochs[i])
    if v.size:
        i = v[np.argmin(c.val_loss[v])]
        best, final = float(c.val_loss[i]), float(c.val_loss[v[-1]])
        d["best_val_loss"] = best
        d["best_val_epoch"] = int(c.epochs[i])
        d["generalization_loss"] = _num(final / best - 1) if best > 0 else 0.0
    both = _finite(c.train_acc - c.val_acc)
    if both.size:
        d["gap"] = float(c.train_acc[both[-1]] - c.val_acc[both[-1]])
    return d


def _verdict(
    verdict: str,
    epoch: int | None,
    message: str,
    remedies: list[str],
    details: dict[str, Any],
    reason: str,
    rule: str,
    **extra: Any,
) -> Diagnosis:
    return Diagnosis(
        verdict=verdict,
        epoch=None if epoch is None else int(epoch),
        message=message,
        remedies=list(remedies),
        details={**details, **extra, "reason": reason, "rule": rule},
    )


def _no_validation_note(details: dict[str, Any]) -> str:
    if details["has_validation"]:
        return ""
    return " No validation data was recorded, so overfitting cannot be judged."


def _diverged(c: _Curves, details: dict[str, Any], **_: Any) -> Diagnosis | None:
    bad = np.flatnonzero(c.train_loss_bad)
    if bad.size:
        i = int(bad[0])
        epoch = int(c.epochs[i])
        value = "NaN" if math.isnan(c.train_loss_raw[i]) else "infinite"
        before = _finite(c.train_loss[:i])
        if before.size:
            j = before[-1]
            was = f" (it was {_loss(c.train_loss[j])} at epoch {c.epochs[j]})"
            msg = f"Training loss became {value} at epoch {epoch}{was}: training diverged."
        else:
            msg = f"Training loss was {value} from epoch {epoch}: training diverged at once."
        return _verdict(
            "diverged",
            epoch,
            msg,
            _DIVERGED_REMEDIES,
            details,
            "non_finite_loss",
            "the training loss is NaN or infinite",
        )
    t = _finite(c.train_loss)
    if t.size < 2:
        return None
    loss = c.train_loss[t]
    first, final = float(loss[0]), float(loss[-1])
    b = int(np.argmin(loss))
    best = float(loss[b])
    above_start = final > DIVERGE_FACTOR * first
    blew_up = final > BLOWUP_FACTOR * best and final - best > LOST_PROGRESS * (first - best)
    if not (above_start or blew_up):
        return None
    onset = int(c.epochs[t[min(b + 1, t.size - 1)]])
    where = (
        f"above where it started ({_loss(first)})"
        if above_start
        else f"losing most of the progress from {_loss(first)}"
    )
    msg = (
        f"Training loss was lowest at epoch {c.epochs[t[b]]} ({_loss(best)}) and climbed to "
        f"{_loss(final)} by epoch {c.epochs[t[-1]]}, {where}: training diverged from epoch {onset}."
    )
    rule = (
        f"final training loss > {DIVERGE_FACTOR}× the first epoch's"
        if above_start
        else f"final training loss > {BLOWUP_FACTOR}× its best and lost more than "
        f"{LOST_PROGRESS:.0%} of the progress"
    )
    return _verdict("diverged", onset, msg, _DIVERGED_REMEDIES, details, "loss_blowup", rule)


def _unstable(c: _Curves, details: dict[str, Any], **_: Any) -> Diagnosis | None:
    t = _finite(c.train_loss)
    if t.size >= 4:
        loss = c.train_loss[t]  # (m,)
        step = np.diff(loss)  # (m-1,)
        rel = step / np.maximum(np.abs(loss[:-1]), 1e-12)
        span = float(np.max(loss) - np.min(loss))
        big = (np.abs(rel) > JUMP) & (np.abs(step) > JUMP_OF_RANGE * span)
        swings = int(np.sum(big[:-1] & big[1:] & (np.sign(step[:-1]) != np.sign(step[1:]))))
        places = step.size - 1
        if swings >= MIN_SWINGS and swings >= SWING_FRACTION * places:
            rises = np.flatnonzero(big & (step > 0))
            first_rise = int(rises[0]) if rises.size else int(np.flatnonzero(big)[0])
            k = int(np.argmax(rel))
            onset = int(c.epochs[t[first_rise + 1]])
            msg = (
                f"Training loss changed direction {swings} times in {t.size} epochs with jumps "
                f"of more than {JUMP:.0%} (largest rise: +{rel[k]:.0%} at epoch "
                f"{c.epochs[t[k + 1]]}, from {_loss(loss[k])} to {_loss(loss[k + 1])}): "
                f"training is unstable from epoch {onset}."
            )
            rule = (
                f"{swings} direction changes between epoch-to-epoch changes larger than "
                f"{JUMP:.0%} (at least {MIN_SWINGS} and {SWING_FRACTION:.0%} of {places} needed)"
            )
            return _verdict(
                "unstable",
                onset,
                msg,
                _UNSTABLE_REMEDIES,
                details,
                "oscillation",
                rule,
                swings=swings,
            )
    return _degraded(c, details)


def _degraded(c: _Curves, details: dict[str, Any]) -> Diagnosis | None:
    """Training accuracy (and validation accuracy, when recorded) end far below their best."""
    ta = _finite(c.train_acc)
    if ta.size < 2:
        return None
    b = ta[np.argmax(c.train_acc[ta])]
    best_t, final_t = float(c.train_acc[b]), float(c.train_acc[ta[-1]])
    if not final_t < best_t - DEGRADED:
        return None
    va = _finite(c.val_acc)
    if va.size >= 2:
        best_v, final_v = float(np.max(c.val_acc[va])), float(c.val_acc[va[-1]])
        if not final_v < best_v - DEGRADED:
            return None
        what = (
            f"Training and validation accuracy peaked at {_pct(best_t)} and {_pct(best_v)} "
            f"but ended at {_pct(final_t)} and {_pct(final_v)}"
        )
    else:
        what = f"Training accuracy peaked at {_pct(best_t)} but ended at {_pct(final_t)}"
    onset = int(c.epochs[ta[min(int(np.searchsorted(ta, b)) + 1, ta.size - 1)]])
    msg = f"{what}: training became unstable after epoch {c.epochs[b]}."
    rule = f"accuracy ended more than {_points(DEGRADED)} below its best"
    return _verdict("unstable", onset, msg, _UNSTABLE_REMEDIES, details, "degraded", rule)


def _overfitting(
    c: _Curves, details: dict[str, Any], *, gap_threshold: float, patience: int
) -> Diagnosis | None:
    v = _finite(c.val_loss)
    best_i: int | None = None
    if v.size:
        vals = c.val_loss[v]  # (m,) recorded validation losses
        b = int(np.argmin(vals))
        best_i = int(v[b])
        after = vals.size - 1 - b
        k = min(patience, after)
        floor = float(np.mean(vals[max(0, b - 1) : b + 2]))  # the minimum and its neighbours
        rise = float(np.mean(vals[-k:]) - floor) if k else 0.0
        noise = _noise(vals[max(0, min(b - 2, vals.size - _NOISE_WINDOW)) :])
        gl = details["generalization_loss"] or 0.0
        tl_best = _train_loss_near(c, best_i)
        tl_final = details["final_train_loss"]
        if (
            after >= patience
            and gl > MIN_GL
            and rise > NOISE_Z * noise
            and tl_best is not None
            and tl_final is not None
            and tl_final < tl_best
        ):
            epoch = int(c.epochs[best_i])
            msg = (
                f"Validation loss was lowest at epoch {epoch} ({_loss(vals[b])}) and "
                f"rose over the next {after} epochs to {_loss(vals[-1])} "
                f"(+{gl:.0%}) while training loss kept falling ({_loss(tl_best)} → "
                f"{_loss(tl_final)}): the model is overfitting from epoch {epoch}."
            )
            rule = (
                f"generalization loss GL = {gl:.1%} > {MIN_GL:.0%} (Prechelt 1998) "
                f"{after} epochs past the minimum (patience {patience}); the last {k} epochs "
                f"average {_loss(rise)} above the minimum, more than {NOISE_Z:g}× the "
                f"epoch-to-epoch noise ({_loss(noise)}); training loss falling"
            )
            return _verdict(
                "overfitting",
                epoch,
                msg,
                _OVERFITTING_REMEDIES,
                details,
                "val_loss_rising",
                rule,
                epochs_after_best=after,
                val_noise=noise,
            )
    g = _finite(c.train_acc - c.val_acc)
    if g.size < 2:
        return None
    gap = c.train_acc[g] - c.val_acc[g]  # (m,)
    k = min(patience, gap.size - 1)
    tail_gap, first_gap = float(np.mean(gap[-k:])), float(gap[0])
    if not (tail_gap > gap_threshold and tail_gap > first_gap):
        return None
    if best_i is not None and best_i < v[-1]:
        epoch = int(c.epochs[best_i])
    else:
        below = np.flatnonzero(gap <= gap_threshold)
        start = int(below[-1]) + 1 if below.size and below[-1] + 1 < gap.size else 0
        epoch = int(c.epochs[g[start]])
    i = g[-1]
    over = f"over the last {k} epochs" if k > 1 else "at the last epoch"
    msg = (
        f"Training accuracy was {_points(tail_gap)} above validation accuracy {over} "
        f"({_pct(c.train_acc[i])} vs {_pct(c.val_acc[i])} at the end), more than the "
        f"{_pts(gap_threshold)}-point threshold and up from {_points(first_gap)} at epoch "
        f"{c.epochs[g[0]]}: the model is overfitting from epoch {epoch}."
    )
    rule = (
        f"accuracy gap averaged over the last {k} epochs, {_points(tail_gap)}, > gap_threshold "
        f"{_points(gap_threshold)} and larger than at epoch {c.epochs[g[0]]}"
    )
    return _verdict(
        "overfitting",
        epoch,
        msg,
        _OVERFITTING_REMEDIES,
        details,
        "accuracy_gap",
        rule,
        tail_gap=tail_gap,
    )


def _train_loss_near(c: _Curves, i: int) -> float | None:
    """Training loss at epoch index ``i``, or the closest recorded one before it."""
    t = _finite(c.train_loss[: i + 1])
    return float(c.train_loss[t[-1]]) if t.size else None


def _underfitting(
    c: _Curves, details: dict[str, Any], *, patience: int, **_: Any
) -> Diagnosis | None:
    note = _no_validation_note(details)
    t = _finite(c.train_loss)
    final_acc = details["final_train_acc"]
    acc_txt = "" if final_acc is None else f", training accuracy {_pct(final_acc)}"
    if t.size == 1:
        msg = (
            f"Only one epoch was recorded (training loss {_loss(c.train_loss[t[0]])}{acc_txt}): "
            f"too few to see a trend, so train for more epochs before judging the fit.{note}"
        )
        return _verdict(
            "underfitting",
            None,
            msg,
            _UNDERFITTING_REMEDIES["too_short"],
            details,
            "too_short",
            "a single epoch",
        )

    first, final = details["first_train_loss"], details["final_train_loss"]
    low_acc = final_acc is not None and final_acc < LOW_TRAIN_ACC
    if final >= STALLED * first and (final_acc is None or low_acc):
        acc = "" if final_acc is None else f" and training accuracy is only {_pct(final_acc)}"
        msg = (
            f"Training loss barely moved in {t.size} epochs ({_loss(first)} → {_loss(final)}, "
            f"{final / first - 1:+.0%}){acc}: the model is not learning.{note}"
        )
        rule = f"training loss fell by less than {1 - STALLED:.0%}"
        return _verdict(
            "underfitting",
            None,
            msg,
            _UNDERFITTING_REMEDIES["not_learning"],
            details,
            "not_learning",
            rule,
        )

    improving = _still_improving(c, patience)
    if low_acc:
        val = details["final_val_acc"]
        vs = "" if val is None else f" (validation {_pct(val)})"
        more = " and was still improving at the end" if improving else ""
        msg = (
            f"Training accuracy ends at only {_pct(final_acc)}{vs}{more}: the model cannot fit "
            f"even the data it trains on, so it is underfitting.{note}"
        )
        rule = f"final training accuracy below {_pct(LOW_TRAIN_ACC)}"
        return _verdict(
            "underfitting",
            None,
            msg,
            _UNDERFITTING_REMEDIES["low_train_acc"],
            details,
            "low_train_acc",
            rule,
        )

    fitted = final_acc is not None and final_acc >= FITTED_TRAIN_ACC
    if improving is not None and not fitted:
        which, rate, k, value, epoch = improving
        msg = (
            f"{which.capitalize()} loss was still falling at the final epoch {epoch} "
            f"({_loss(value)}, {-rate:.1%} per epoch over the last {k} epochs): the model is "
            f"still improving, so train longer.{note}"
        )
        rule = (
            f"{which} loss lowest at the final epoch and falling by at least "
            f"{STILL_IMPROVING:.0%} per epoch over the last {k} epochs"
        )
        return _verdict(
            "underfitting",
            None,
            msg,
            _UNDERFITTING_REMEDIES["still_improving"],
            details,
            "still_improving",
            rule,
            improvement_per_epoch=rate,
        )
    return None


def _still_improving(c: _Curves, patience: int) -> tuple[str, float, int, float, int] | None:
    """``(which, rate, k, final, epoch)`` when the monitored loss is still falling fast."""
    if np.isfinite(c.val_loss).any():
        which, loss = "validation", c.val_loss
    else:
        which, loss = "training", c.train_loss
    idx = _finite(loss)
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
    if rate < STILL_IMPROVING or drop <= NOISE_Z * _noise(x[-max(k + 3, _NOISE_WINDOW) :]):
        return None
    return which, rate, k, float(x[-1]), int(c.epochs[idx[-1]])


def _good_fit(
    c: _Curves, details: dict[str, Any], *, gap_threshold: float, patience: int
) -> Diagnosis:
    best_epoch = details["best_val_epoch"]
    parts = []
    if best_epoch is not None:
        parts.append(
            f"Validation loss was lowest at epoch {best_epoch} ({_loss(details['best_val_loss'])})"
        )
    else:
        parts.append(
            f"Training loss fell from {_loss(details['first_train_loss'])} to "
            f"{_loss(details['final_train_loss'])}"
        )
    if details["gap"] is not None:
        parts.append(
            f"training and validation accuracy end {_points(abs(details['gap']))} apart "
            f"({_pct(details['final_train_acc'])} vs {_pct(details['final_val_acc'])}), "
            f"within the {_pts(gap_threshold)}-point threshold"
        )
    elif details["final_train_acc"] is not None:
        parts.append(f"training accuracy reached {_pct(details['final_train_acc'])}")
    msg = ", and ".join(parts) + ": a good fit."
    improving = _still_improving(c, patience)
    if improving is not None:
        which, rate, k, _, _ = improving
        msg += (
            f" The {which} loss was still falling at the end ({-rate:.1%} per epoch over the "
            f"last {k} epochs): more epochs may still help."
        )
    msg += _no_validation_note(details)
    epoch = best_epoch if best_epoch is not None else details["best_train_epoch"]
    return _verdict("good fit", epoch, msg, [], details, "good_fit", "no other rule matched")
