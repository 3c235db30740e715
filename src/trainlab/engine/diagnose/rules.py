"""The learning-curve rules, checked in order: diverged, unstable, overfitting, underfitting.

Each rule reads the :class:`~trainlab.engine.diagnose.statistics.Curves` and
their :class:`~trainlab.engine.diagnose.statistics.Summary` and returns a
:class:`~trainlab.engine.diagnose.diagnosis.Diagnosis`, or None when it does
not apply; the first that applies gives the verdict, :func:`good_fit` when
none does. The rules, their thresholds
(:mod:`trainlab.engine.diagnose.thresholds`) and Prechelt's generalization
loss are described in :mod:`trainlab.engine.diagnose.curves`; the sentences
are in :mod:`trainlab.engine.diagnose.messages`. A sentence that cites a
training accuracy says which one (:mod:`trainlab.engine.diagnose.facts`): the
fit is judged by the final weights' when the diagnosis was given them, else
by the running one of the last epoch.

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
from trainlab.engine.diagnose.messages import Said, loss, pct, pts, said
from trainlab.engine.diagnose.remedies import advise, remedies
from trainlab.engine.diagnose.statistics import (
    Curves,
    Summary,
    finite,
    noise,
    still_improving,
    train_loss_near,
)
from trainlab.engine.diagnose.thresholds import (
    BLOWUP_FACTOR,
    DEGRADED,
    DIVERGE_FACTOR,
    FITTED_TRAIN_ACC,
    GAP_Z,
    JUMP,
    JUMP_OF_RANGE,
    LOST_PROGRESS,
    LOW_TRAIN_ACC,
    MIN_GL,
    MIN_SWINGS,
    NOISE_WINDOW,
    NOISE_Z,
    STALLED,
    STILL_IMPROVING,
    SWING_FRACTION,
)


def _verdict(
    verdict: str,
    epoch: int | None,
    message: Said,
    s: Summary,
    reason: str,
    rule: Said,
    **extra: Any,
) -> Diagnosis:
    return Diagnosis(
        verdict=verdict,
        epoch=None if epoch is None else int(epoch),
        message=message.render(),
        remedies=remedies(reason),
        details={**s.to_dict(), **extra, "reason": reason, "rule": rule.render()},
        said=message,
        rule_said=rule,
        remedy_said=advise(reason),
    )


def kind_said(s: Summary) -> Said:
    """Which training accuracy the verdicts judge by: `` (final weights)`` or `` (running, …)``.

    Example:
        >>> from trainlab.engine.diagnose.statistics import curves_of, summarize
        >>> kind_said(summarize(curves_of([{"train_loss": 1.0}]))).render()
        ' (running, during the epoch)'
    """
    return said("acc.final" if s.final_known else "acc.running")


def points_said(x: float) -> Said:
    """A difference of accuracies with its unit, worded in the report's language.

    Example:
        >>> points_said(0.01).render(), points_said(-0.025).render("es")
        ('1 point', '−2.5 puntos')
    """
    n = pts(x)
    return said("unit.points_one" if n in ("1", "−1") else "unit.points_other", n=n)


def _no_validation_note(s: Summary) -> Said | str:
    return "" if s.has_validation else said("note.no_validation")


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
        return _verdict("diverged", epoch, msg, s, "non_finite_loss", rule)
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
    return _verdict("diverged", onset, msg, s, "loss_blowup", rule)


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
    return _verdict("unstable", onset, msg, s, "oscillation", rule, swings=swings)


def _degraded(c: Curves, s: Summary) -> Diagnosis | None:
    """Training accuracy (and validation accuracy, when recorded) end far below their best."""
    ta = finite(c.train_acc_running)
    if ta.size < 2:
        return None
    b = ta[np.argmax(c.train_acc_running[ta])]
    best_t, final_t = float(c.train_acc_running[b]), float(c.train_acc_running[ta[-1]])
    if not final_t < best_t - DEGRADED:
        return None
    va = finite(c.val_acc)
    fields = {"best_train": pct(best_t), "final_train": pct(final_t), "epoch": c.epochs[b]}
    if va.size >= 2:
        best_v, final_v = float(np.max(c.val_acc[va])), float(c.val_acc[va[-1]])
        if not final_v < best_v - DEGRADED:
            return None
        msg = said("unstable.degraded.both", best_val=pct(best_v), final_val=pct(final_v), **fields)
    else:
        msg = said("unstable.degraded.train", **fields)
    onset = int(c.epochs[ta[min(int(np.searchsorted(ta, b)) + 1, ta.size - 1)]])
    rule = said("rule.unstable.degraded", degraded=points_said(DEGRADED))
    return _verdict("unstable", onset, msg, s, "degraded", rule)


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
    msg = said(
        "overfitting.val_loss_rising",
        epoch=epoch,
        best=loss(vals[b]),
        after=after,
        final=loss(vals[-1]),
        gl=gl,
        train_best=loss(tl_best),
        train_final=loss(tl_final),
    )
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
    return _verdict("overfitting", epoch, msg, s, "val_loss_rising", rule, **extra)


def _gap_onset(c: Curves, gap_threshold: float) -> int:
    """Where an accuracy gap starts: the lowest validation loss when it is not the last
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
    """The running train − val accuracy gap, over the last epochs, above the threshold and
    larger than at the first epoch (the final weights' accuracies are not known)."""
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
    msg = said(
        "overfitting.accuracy_gap.over_last" if k > 1 else "overfitting.accuracy_gap.at_last",
        gap=points_said(tail_gap),
        k=k,
        train=pct(c.train_acc_running[i]),
        val=pct(c.val_acc[i]),
        threshold=pts(gap_threshold),
        first_gap=points_said(first_gap),
        first_epoch=c.epochs[g[0]],
        epoch=epoch,
    )
    rule = said(
        "rule.overfitting.accuracy_gap",
        k=k,
        gap=points_said(tail_gap),
        threshold=points_said(gap_threshold),
        first_epoch=c.epochs[g[0]],
    )
    return _verdict("overfitting", epoch, msg, s, "accuracy_gap", rule, tail_gap=tail_gap)


def _final_gap(c: Curves, s: Summary, gap_threshold: float) -> Diagnosis | None:
    """The final weights' training accuracy above their validation accuracy by more than
    the threshold and ``GAP_Z`` standard errors of the validation accuracy: the
    generalization gap, both in evaluation mode, beyond the noise of a small split."""
    if s.gap is None or not s.gap > gap_threshold + GAP_Z * (s.val_se or 0.0):
        return None
    epoch = _gap_onset(c, gap_threshold)
    msg = said(
        "overfitting.accuracy_gap.final",
        gap=points_said(s.gap),
        train=pct(s.train_acc),
        val=pct(s.val_acc),
        threshold=pts(gap_threshold),
        epoch=epoch,
    )
    rule = said(
        "rule.overfitting.accuracy_gap.final",
        gap=points_said(s.gap),
        threshold=points_said(gap_threshold),
        z=GAP_Z,
        se=points_said(s.val_se or 0.0),
    )
    return _verdict("overfitting", epoch, msg, s, "accuracy_gap", rule)


# -- underfitting -------------------------------------------------------------------------
def underfitting(c: Curves, s: Summary, *, patience: int, **_: Any) -> Diagnosis | None:
    """Too short to judge, not learning, unable to fit the training data, or still improving."""
    if finite(c.train_loss).size == 1:
        return _too_short(c, s)
    low_acc = s.fit_acc is not None and s.fit_acc < LOW_TRAIN_ACC
    found = _not_learning(c, s, low_acc)
    if found is not None:
        return found
    improving = still_improving(c, patience)
    if low_acc:
        return _low_train_acc(s, improving is not None)
    fitted = s.fit_acc is not None and s.fit_acc >= FITTED_TRAIN_ACC
    if improving is not None and not fitted:
        which, rate, k = improving.which, improving.rate, improving.k
        msg = said(
            f"underfitting.still_improving.{which}",
            epoch=improving.epoch,
            final=loss(improving.final),
            rate=-rate,
            k=k,
            note=_no_validation_note(s),
        )
        rule = said(f"rule.underfitting.still_improving.{which}", min_rate=STILL_IMPROVING, k=k)
        extra = {"improvement_per_epoch": rate}
        return _verdict("underfitting", None, msg, s, "still_improving", rule, **extra)
    return None


def _too_short(c: Curves, s: Summary) -> Diagnosis:
    first = loss(c.train_loss[finite(c.train_loss)[0]])
    note = _no_validation_note(s)
    running = s.train_acc_running
    if s.final_known:
        msg = said(
            "underfitting.too_short.with_final",
            loss=first,
            acc=pct(s.train_acc),
            running=pct(running) if running is not None else "—",
            note=note,
        )
    elif running is None:
        msg = said("underfitting.too_short", loss=first, note=note)
    else:
        msg = said("underfitting.too_short.with_accuracy", loss=first, acc=pct(running), note=note)
    rule = said("rule.underfitting.too_short")
    return _verdict("underfitting", None, msg, s, "too_short", rule)


def _not_learning(c: Curves, s: Summary, low_acc: bool) -> Diagnosis | None:
    first, final, acc = s.first_train_loss, s.final_train_loss, s.fit_acc
    if not (final >= STALLED * first and (acc is None or low_acc)):
        return None
    fields = {
        "epochs": finite(c.train_loss).size,
        "first": loss(first),
        "final": loss(final),
        "change": final / first - 1,
        "note": _no_validation_note(s),
    }
    if acc is None:
        msg = said("underfitting.not_learning", **fields)
    else:
        msg = said(
            "underfitting.not_learning.with_accuracy", acc=pct(acc), kind=kind_said(s), **fields
        )
    rule = said("rule.underfitting.not_learning", fall=1 - STALLED)
    return _verdict("underfitting", None, msg, s, "not_learning", rule)


def _low_train_acc(s: Summary, improving: bool) -> Diagnosis:
    val = s.fit_val_acc
    msg = said(
        "underfitting.low_train_acc",
        kind=kind_said(s),
        acc=pct(s.fit_acc),
        validation=""
        if val is None
        else said("underfitting.low_train_acc.validation", acc=pct(val)),
        improving=said("underfitting.low_train_acc.improving") if improving else "",
        note=_no_validation_note(s),
    )
    rule = said("rule.underfitting.low_train_acc", kind=kind_said(s), acc=pct(LOW_TRAIN_ACC))
    return _verdict("underfitting", None, msg, s, "low_train_acc", rule)


# -- good fit -----------------------------------------------------------------------------
def good_fit(c: Curves, s: Summary, *, gap_threshold: float, patience: int) -> Diagnosis:
    """The verdict when no rule applies, with the numbers that show the fit."""
    if s.best_val_epoch is not None:
        first = said("good_fit.val_lowest", epoch=s.best_val_epoch, loss=loss(s.best_val_loss))
    else:
        first = said(
            "good_fit.train_fell", first=loss(s.first_train_loss), final=loss(s.final_train_loss)
        )
    second = None
    if s.fit_gap is not None and s.fit_gap < -gap_threshold:
        second = said(
            "good_fit.gap.val_higher",
            kind=kind_said(s),
            gap=points_said(-s.fit_gap),
            train=pct(s.fit_acc),
            val=pct(s.fit_val_acc),
        )
    elif s.fit_gap is not None and s.fit_gap > gap_threshold:  # within the noise (see _final_gap)
        second = said(
            "good_fit.gap.noise",
            gap=points_said(s.fit_gap),
            train=pct(s.fit_acc),
            val=pct(s.fit_val_acc),
            threshold=pts(gap_threshold),
            se=points_said(s.val_se or 0.0),
        )
    elif s.fit_gap is not None:
        second = said(
            "good_fit.gap",
            kind=kind_said(s),
            gap=points_said(abs(s.fit_gap)),
            train=pct(s.fit_acc),
            val=pct(s.fit_val_acc),
            threshold=pts(gap_threshold),
        )
    elif s.fit_acc is not None:
        second = said("good_fit.train_acc", kind=kind_said(s), acc=pct(s.fit_acc))
    if second is None:
        msg = said("good_fit.one", first=first)
    else:
        msg = said("good_fit.two", first=first, second=second)
    improving = still_improving(c, patience)
    if improving is not None:
        more = said(f"good_fit.improving.{improving.which}", rate=-improving.rate, k=improving.k)
        msg = said("good_fit.more", message=msg, more=more)
    note = _no_validation_note(s)
    if note:
        msg = said("good_fit.more", message=msg, more=note)
    epoch = s.best_val_epoch if s.best_val_epoch is not None else s.best_train_epoch
    return _verdict("good fit", epoch, msg, s, "good_fit", said("rule.good_fit"))


#: the rules in the order they are checked
RULES = (diverged, unstable, overfitting, underfitting)
