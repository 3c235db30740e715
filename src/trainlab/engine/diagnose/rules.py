"""The learning-curve rules, checked in order: diverged, unstable, overfitting, underfitting.

Each rule reads the :class:`~trainlab.engine.diagnose.statistics.Curves` and
their :class:`~trainlab.engine.diagnose.statistics.Summary` and returns a
:class:`~trainlab.engine.diagnose.diagnosis.Diagnosis`, or None when it does
not apply; the first that applies gives the verdict, :func:`good_fit` when
none does. The rules, their thresholds
(:mod:`trainlab.engine.diagnose.thresholds`) and Prechelt's generalization
loss are described in :mod:`trainlab.engine.diagnose.curves`; the sentences
are in :mod:`trainlab.engine.diagnose.messages`, worded by
:mod:`trainlab.engine.diagnose.wording` in the task's metric. A sentence that
cites a training score says which one (:mod:`trainlab.engine.diagnose.facts`):
the fit is judged by the final weights' when the diagnosis was given them,
else by the running one of the last epoch. Underfitting and the good fit are
in :mod:`trainlab.engine.diagnose.fit_rules`.

Example:
    >>> from trainlab.engine.diagnose.rules import RULES
    >>> [rule.__name__ for rule in RULES]
    ['diverged', 'unstable', 'overfitting', 'underfitting']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.engine.diagnose.diagnosis import Diagnosis
from trainlab.engine.diagnose.fit_rules import good_fit, underfitting
from trainlab.engine.diagnose.messages import loss, said
from trainlab.engine.diagnose.statistics import (
    Curves,
    Summary,
    finite,
    metric_curves,
    noise,
    train_loss_near,
)
from trainlab.engine.diagnose.thresholds import (
    BLOWUP_FACTOR,
    DEGRADED,
    DIVERGE_FACTOR,
    GAP_Z,
    JUMP,
    JUMP_OF_RANGE,
    LOST_PROGRESS,
    MIN_GL,
    MIN_SWINGS,
    NOISE_WINDOW,
    NOISE_Z,
    SWING_FRACTION,
)
from trainlab.engine.diagnose.wording import (
    gap_said,
    kind_said,
    metric_at,
    pick,
    points_said,
    score_text,
    threshold_text,
    values_said,
    verdict,
)

__all__ = ["RULES", "diverged", "good_fit", "kind_said", "overfitting", "points_said", "unstable"]


# -- diverged -----------------------------------------------------------------------------
def diverged(c: Curves, s: Summary, **_: Any) -> Diagnosis | None:
    """A NaN or infinite training loss, or a final loss far above the first or the best."""
    bad = np.flatnonzero(c.train_loss_bad)
    if bad.size:
        i = int(bad[0])
        epoch = int(c.epochs[i])
        value = said("word.nan" if math.isnan(c.train_loss_raw[i]) else "word.infinite")
        before = finite(c.train_loss[:i])
        if before.size:
            j = before[-1]
            was, was_epoch = loss(c.train_loss[j]), c.epochs[j]
            msg = said(
                "diverged.non_finite_loss", value=value, epoch=epoch, was=was, was_epoch=was_epoch
            )
        else:
            msg = said("diverged.non_finite_loss.at_once", value=value, epoch=epoch)
        rule = said("rule.diverged.non_finite_loss")
        return verdict("diverged", epoch, msg, c, s, "non_finite_loss", rule)
    return _loss_blowup(c, s)


def _loss_blowup(c: Curves, s: Summary) -> Diagnosis | None:
    t = finite(c.train_loss)
    if t.size < 2:
        return None
    losses = c.train_loss[t]
    first, final = float(losses[0]), float(losses[-1])
    b = int(np.argmin(losses))
    best = float(losses[b])
    above_start = final > DIVERGE_FACTOR * first
    blew_up = final > BLOWUP_FACTOR * best and final - best > LOST_PROGRESS * (first - best)
    if not (above_start or blew_up):
        return None
    onset = int(c.epochs[t[min(b + 1, t.size - 1)]])
    kind = "above_start" if above_start else "lost_progress"
    msg = said(
        f"diverged.loss_blowup.{kind}",
        best_epoch=c.epochs[t[b]],
        best=loss(best),
        final=loss(final),
        final_epoch=c.epochs[t[-1]],
        first=loss(first),
        onset=onset,
    )
    if above_start:
        rule = said("rule.diverged.above_start", factor=DIVERGE_FACTOR)
    else:
        rule = said("rule.diverged.lost_progress", factor=BLOWUP_FACTOR, lost=LOST_PROGRESS)
    return verdict("diverged", onset, msg, c, s, "loss_blowup", rule)


# -- unstable -----------------------------------------------------------------------------
def unstable(c: Curves, s: Summary, **_: Any) -> Diagnosis | None:
    """A training loss that swings up and down, or accuracies that end far below their best."""
    t = finite(c.train_loss)
    if t.size < 4:
        return _degraded(c, s)
    losses = c.train_loss[t]  # (m,)
    step = np.diff(losses)  # (m-1,)
    rel = step / np.maximum(np.abs(losses[:-1]), 1e-12)
    span = float(np.max(losses) - np.min(losses))
    big = (np.abs(rel) > JUMP) & (np.abs(step) > JUMP_OF_RANGE * span)
    swings = int(np.sum(big[:-1] & big[1:] & (np.sign(step[:-1]) != np.sign(step[1:]))))
    places = step.size - 1
    if not (swings >= MIN_SWINGS and swings >= SWING_FRACTION * places):
        return _degraded(c, s)
    rises = np.flatnonzero(big & (step > 0))
    first_rise = int(rises[0]) if rises.size else int(np.flatnonzero(big)[0])
    k = int(np.argmax(rel))
    onset = int(c.epochs[t[first_rise + 1]])
    msg = said(
        "unstable.oscillation",
        swings=swings,
        epochs=t.size,
        jump=JUMP,
        rise=rel[k],
        rise_epoch=c.epochs[t[k + 1]],
        before=loss(losses[k]),
        after=loss(losses[k + 1]),
        onset=onset,
    )
    rule = said(
        "rule.unstable.oscillation",
        swings=swings,
        jump=JUMP,
        min_swings=MIN_SWINGS,
        fraction=SWING_FRACTION,
        places=places,
    )
    return verdict("unstable", onset, msg, c, s, "oscillation", rule, swings=swings)


def _degraded(c: Curves, s: Summary) -> Diagnosis | None:
    """Training accuracy (and validation accuracy, when recorded) end far below their best
    (R² for a regression)."""
    ta = finite(c.train_acc_running)
    if ta.size < 2:
        return None
    b = ta[np.argmax(c.train_acc_running[ta])]
    best_t, final_t = float(c.train_acc_running[b]), float(c.train_acc_running[ta[-1]])
    if not final_t < best_t - DEGRADED:
        return None
    va = finite(c.val_acc)
    fields = {
        "best_train": score_text(c, best_t),
        "final_train": score_text(c, final_t),
        "epoch": c.epochs[b],
    }
    if va.size >= 2:
        best_v, final_v = float(np.max(c.val_acc[va])), float(c.val_acc[va[-1]])
        if not final_v < best_v - DEGRADED:
            return None
        both = pick(c, "unstable.degraded.both", "unstable.degraded.both.regression")
        msg = said(both, best_val=score_text(c, best_v), final_val=score_text(c, final_v), **fields)
    else:
        msg = said(
            pick(c, "unstable.degraded.train", "unstable.degraded.train.regression"), **fields
        )
    onset = int(c.epochs[ta[min(int(np.searchsorted(ta, b)) + 1, ta.size - 1)]])
    rule = said(
        pick(c, "rule.unstable.degraded", "rule.unstable.degraded.regression"),
        degraded=gap_said(c, DEGRADED),
    )
    return verdict("unstable", onset, msg, c, s, "degraded", rule, scored=True)


# -- overfitting --------------------------------------------------------------------------
def overfitting(c: Curves, s: Summary, *, gap_threshold: float, patience: int) -> Diagnosis | None:
    """A validation loss that rose past its minimum, or a train − val accuracy gap: the final
    weights' when known, else the running one, which must have grown."""
    found = _val_loss_rising(c, s, patience)
    if found is not None:
        return found
    if s.final_known:
        return _final_gap(c, s, gap_threshold)
    return _accuracy_gap(c, s, gap_threshold, patience)


def _val_loss_rising(c: Curves, s: Summary, patience: int) -> Diagnosis | None:
    v = finite(c.val_loss)
    if not v.size:
        return None
    vals = c.val_loss[v]  # (m,) recorded validation losses
    b = int(np.argmin(vals))
    best_i = int(v[b])
    after = vals.size - 1 - b
    k = min(patience, after)
    floor = float(np.mean(vals[max(0, b - 1) : b + 2]))  # the minimum and its neighbours
    rise = float(np.mean(vals[-k:]) - floor) if k else 0.0
    noise_ = noise(vals[max(0, min(b - 2, vals.size - NOISE_WINDOW)) :])
    gl = s.generalization_loss or 0.0
    tl_best, tl_final = train_loss_near(c, best_i), s.final_train_loss
    if not (
        after >= patience
        and gl > MIN_GL
        and rise > NOISE_Z * noise_
        and tl_best is not None
        and tl_final is not None
        and tl_final < tl_best
    ):
        return None
    epoch = int(c.epochs[best_i])
    fields = {
        "epoch": epoch,
        "best": loss(vals[b]),
        "after": after,
        "final": loss(vals[-1]),
        "gl": gl,
        "train_best": loss(tl_best),
        "train_final": loss(tl_final),
    }
    values = {
        "best_value": metric_at(c, best_i, training=False),
        "final_value": metric_at(c, int(v[-1]), training=False),
        "train_best_value": metric_at(c, best_i, training=True),
        "train_final_value": metric_at(c, int(finite(c.train_loss)[-1]), training=True),
    }
    if all(x is not None for x in values.values()):
        metric = c.metric.label
        msg = said("overfitting.val_loss_rising.regression", metric=metric, **fields, **values)
    else:
        msg = said("overfitting.val_loss_rising", **fields)
    rule = said(
        "rule.overfitting.val_loss_rising",
        gl=gl,
        min_gl=MIN_GL,
        after=after,
        patience=patience,
        k=k,
        rise=loss(rise),
        z=NOISE_Z,
        noise=loss(noise_),
    )
    extra = {"epochs_after_best": after, "val_noise": noise_}
    return verdict("overfitting", epoch, msg, c, s, "val_loss_rising", rule, **extra)


def _gap_onset(c: Curves, gap_threshold: float) -> int:
    """Where a score gap starts: the lowest validation loss when it is not the last
    epoch, else the first epoch from which the running gap stays above the threshold."""
    v = finite(c.val_loss)
    best_i = int(v[np.argmin(c.val_loss[v])]) if v.size else None
    if best_i is not None and best_i < v[-1]:
        return int(c.epochs[best_i])
    g = finite(c.train_acc_running - c.val_acc)
    if not g.size:
        return int(c.epochs[-1])
    gap = c.train_acc_running[g] - c.val_acc[g]
    below = np.flatnonzero(gap <= gap_threshold)
    start = int(below[-1]) + 1 if below.size and below[-1] + 1 < gap.size else 0
    return int(c.epochs[g[start]])


def _accuracy_gap(c: Curves, s: Summary, gap_threshold: float, patience: int) -> Diagnosis | None:
    """The running train − val score gap, over the last epochs, above the threshold and
    larger than at the first epoch (the final weights' scores are not known)."""
    g = finite(c.train_acc_running - c.val_acc)
    if g.size < 2:
        return None
    gap = c.train_acc_running[g] - c.val_acc[g]  # (m,)
    k = min(patience, gap.size - 1)
    tail_gap, first_gap = float(np.mean(gap[-k:])), float(gap[0])
    if not (tail_gap > gap_threshold and tail_gap > first_gap):
        return None
    epoch = _gap_onset(c, gap_threshold)
    i = g[-1]
    if c.metric.regression:
        train_v, val_v = metric_curves(c)
        over_last = "overfitting.accuracy_gap.over_last.regression"
        at_last = "overfitting.accuracy_gap.at_last.regression"
        extra: dict[str, Any] = {"values": values_said(c, train_v[i], val_v[i])}
    else:
        over_last, at_last = (
            "overfitting.accuracy_gap.over_last",
            "overfitting.accuracy_gap.at_last",
        )
        extra = {}
    msg = said(
        over_last if k > 1 else at_last,
        gap=gap_said(c, tail_gap),
        k=k,
        train=score_text(c, c.train_acc_running[i]),
        val=score_text(c, c.val_acc[i]),
        threshold=threshold_text(c, gap_threshold),
        first_gap=gap_said(c, first_gap),
        first_epoch=c.epochs[g[0]],
        epoch=epoch,
        **extra,
    )
    rule = said(
        pick(c, "rule.overfitting.accuracy_gap", "rule.overfitting.accuracy_gap.regression"),
        k=k,
        gap=gap_said(c, tail_gap),
        threshold=gap_said(c, gap_threshold),
        first_epoch=c.epochs[g[0]],
    )
    extra = {"tail_gap": tail_gap}
    return verdict("overfitting", epoch, msg, c, s, "accuracy_gap", rule, scored=True, **extra)


def _final_gap(c: Curves, s: Summary, gap_threshold: float) -> Diagnosis | None:
    """The final weights' training score above their validation score by more than the
    threshold and ``GAP_Z`` standard errors of the validation score: the generalization
    gap, both in evaluation mode, beyond the noise of a small split."""
    if s.gap is None or not s.gap > gap_threshold + GAP_Z * (s.val_se or 0.0):
        return None
    epoch = _gap_onset(c, gap_threshold)
    fields: dict[str, Any] = {
        "gap": gap_said(c, s.gap),
        "train": score_text(c, s.train_acc),  # type: ignore[arg-type]
        "val": score_text(c, s.val_acc),  # type: ignore[arg-type]
        "threshold": threshold_text(c, gap_threshold),
        "epoch": epoch,
    }
    if c.metric.regression:
        values = values_said(c, s.train_value, s.val_value)
        msg = said("overfitting.accuracy_gap.final.regression", values=values, **fields)
    else:
        msg = said("overfitting.accuracy_gap.final", **fields)
    rule = said(
        pick(
            c,
            "rule.overfitting.accuracy_gap.final",
            "rule.overfitting.accuracy_gap.final.regression",
        ),
        gap=gap_said(c, s.gap),
        threshold=gap_said(c, gap_threshold),
        z=GAP_Z,
        se=gap_said(c, s.val_se or 0.0),
    )
    return verdict("overfitting", epoch, msg, c, s, "accuracy_gap", rule, scored=True)


#: the rules in the order they are checked
RULES = (diverged, unstable, overfitting, underfitting)
