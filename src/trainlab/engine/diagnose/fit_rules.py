"""The last learning-curve rule, underfitting, and the verdict when none applies: a good fit.

See :mod:`trainlab.engine.diagnose.rules` for the rules before them and
:mod:`trainlab.engine.diagnose.curves` for what each rule reads. The fit is
judged by the training score (accuracy, or R² for a regression: see
:mod:`trainlab.engine.diagnose.score`) of the final weights when known, else by
the running one of the last epoch; every sentence names which.

Example:
    >>> from trainlab.engine.diagnose.fit_rules import good_fit
    >>> from trainlab.engine.diagnose.statistics import curves_of, summarize
    >>> c = curves_of([{"train_loss": 1.0}, {"train_loss": 0.5}])
    >>> good_fit(c, summarize(c), gap_threshold=0.05, patience=3).message[:45]
    'Training loss fell from 1 to 0.5: a good fit.'
"""

from __future__ import annotations

from typing import Any

from trainlab.engine.diagnose.diagnosis import Diagnosis
from trainlab.engine.diagnose.messages import Said, loss, said
from trainlab.engine.diagnose.statistics import (
    Curves,
    Summary,
    finite,
    still_improving,
)
from trainlab.engine.diagnose.thresholds import STALLED, STILL_IMPROVING
from trainlab.engine.diagnose.wording import (
    fitted,
    gap_said,
    kind_said,
    low_fit,
    metric_at,
    no_validation_note,
    pick,
    score_text,
    threshold_text,
    value_said,
    values_said,
    verdict,
)


# -- underfitting -------------------------------------------------------------------------
def underfitting(c: Curves, s: Summary, *, patience: int, **_: Any) -> Diagnosis | None:
    """Too short to judge, not learning, unable to fit the training data, or still improving."""
    if finite(c.train_loss).size == 1:
        return _too_short(c, s)
    low_acc = s.fit_acc is not None and s.fit_acc < low_fit(c)
    found = _not_learning(c, s, low_acc)
    if found is not None:
        return found
    improving = still_improving(c, patience)
    if low_acc:
        return _low_train_acc(c, s, improving is not None)
    fit = s.fit_acc is not None and s.fit_acc >= fitted(c)
    if improving is not None and not fit:
        which, rate, k = improving.which, improving.rate, improving.k
        fields = {
            "epoch": improving.epoch,
            "final": loss(improving.final),
            "rate": -rate,
            "k": k,
            "note": no_validation_note(s),
        }
        at = metric_at(c, improving.index, training=which == "training")
        if at is None:
            msg = said(f"underfitting.still_improving.{which}", **fields)
        else:
            name = f"underfitting.still_improving.{which}.regression"
            msg = said(name, metric=c.metric.label, value=at, **fields)
        rule = said(f"rule.underfitting.still_improving.{which}", min_rate=STILL_IMPROVING, k=k)
        extra = {"improvement_per_epoch": rate}
        return verdict("underfitting", None, msg, c, s, "still_improving", rule, **extra)
    return None


def _too_short(c: Curves, s: Summary) -> Diagnosis:
    first = loss(c.train_loss[finite(c.train_loss)[0]])
    note = no_validation_note(s)
    running = s.train_acc_running
    if s.final_known:
        msg = said(
            pick(
                c,
                "underfitting.too_short.with_final",
                "underfitting.too_short.with_final.regression",
            ),
            loss=first,
            acc=score_text(c, s.train_acc),  # type: ignore[arg-type]
            running=score_text(c, running) if running is not None else "—",
            note=note,
        )
    elif running is None:
        msg = said("underfitting.too_short", loss=first, note=note)
    else:
        msg = said(
            pick(
                c,
                "underfitting.too_short.with_accuracy",
                "underfitting.too_short.with_accuracy.regression",
            ),
            loss=first,
            acc=score_text(c, running),
            note=note,
        )
    rule = said("rule.underfitting.too_short")
    scored = s.final_known or running is not None
    return verdict("underfitting", None, msg, c, s, "too_short", rule, scored=scored)


def _not_learning(c: Curves, s: Summary, low_acc: bool) -> Diagnosis | None:
    first, final, acc = s.first_train_loss, s.final_train_loss, s.fit_acc
    if not (final >= STALLED * first and (acc is None or low_acc)):
        return None
    fields = {
        "epochs": finite(c.train_loss).size,
        "first": loss(first),
        "final": loss(final),
        "change": final / first - 1,
        "note": no_validation_note(s),
    }
    if acc is None:
        msg = said("underfitting.not_learning", **fields)
    else:
        msg = said(
            pick(
                c,
                "underfitting.not_learning.with_accuracy",
                "underfitting.not_learning.with_accuracy.regression",
            ),
            acc=score_text(c, acc),
            kind=kind_said(s),
            **fields,
        )
    rule = said("rule.underfitting.not_learning", fall=1 - STALLED)
    return verdict("underfitting", None, msg, c, s, "not_learning", rule, scored=acc is not None)


def _low_train_acc(c: Curves, s: Summary, improving: bool) -> Diagnosis:
    val = s.fit_val_acc
    msg = said(
        pick(c, "underfitting.low_train_acc", "underfitting.low_train_acc.regression"),
        kind=kind_said(s),
        acc=score_text(c, s.fit_acc),  # type: ignore[arg-type]
        validation=""
        if val is None
        else said("underfitting.low_train_acc.validation", acc=score_text(c, val)),
        improving=said("underfitting.low_train_acc.improving") if improving else "",
        note=no_validation_note(s),
    )
    rule = said(
        pick(c, "rule.underfitting.low_train_acc", "rule.underfitting.low_train_acc.regression"),
        kind=kind_said(s),
        acc=score_text(c, low_fit(c)),
    )
    return verdict("underfitting", None, msg, c, s, "low_train_acc", rule, scored=True)


# -- good fit -----------------------------------------------------------------------------
def _loss_clause(c: Curves, s: Summary) -> Said:
    """The good fit's first clause: where the validation loss was lowest, or how far the
    training loss fell (with the main metric there, for a regression)."""
    if s.best_val_epoch is not None:
        best = int(finite(c.val_loss)[c.val_loss[finite(c.val_loss)].argmin()])
        fields = {"epoch": s.best_val_epoch, "loss": loss(s.best_val_loss)}  # type: ignore[arg-type]
        at = metric_at(c, best, training=False)
        if at is None:
            return said("good_fit.val_lowest", **fields)
        return said("good_fit.val_lowest.regression", metric=c.metric.label, value=at, **fields)
    t = finite(c.train_loss)
    fields = {"first": loss(s.first_train_loss), "final": loss(s.final_train_loss)}  # type: ignore[arg-type]
    first, final = metric_at(c, int(t[0]), True), metric_at(c, int(t[-1]), True)
    if first is None or final is None:
        return said("good_fit.train_fell", **fields)
    return said(
        "good_fit.train_fell.regression",
        metric=c.metric.label,
        first_value=first,
        final_value=final,
        **fields,
    )


def _gap_clause(c: Curves, s: Summary, gap_threshold: float) -> Said | None:
    """The good fit's second clause: the training and validation scores, or the training one."""
    reg = c.metric.regression
    if s.fit_gap is None:
        if s.fit_acc is None:
            return None
        name = pick(c, "good_fit.train_acc", "good_fit.train_acc.regression")
        train_value = s.train_value if s.final_known else None
        extra = {"value": value_said(c, train_value)} if reg else {}
        return said(name, kind=kind_said(s), acc=score_text(c, s.fit_acc), **extra)
    train, val = score_text(c, s.fit_acc), score_text(c, s.fit_val_acc)  # type: ignore[arg-type]
    tv, vv = (s.train_value, s.val_value) if s.final_known else (None, None)
    if s.fit_gap < -gap_threshold:
        name = pick(c, "good_fit.gap.val_higher", "good_fit.gap.val_higher.regression")
        extra = {"values": values_said(c, vv, tv)} if reg else {}
        return said(
            name, kind=kind_said(s), gap=gap_said(c, -s.fit_gap), train=train, val=val, **extra
        )
    extra = {"values": values_said(c, tv, vv)} if reg else {}
    if s.fit_gap > gap_threshold:  # within the noise (see rules._final_gap)
        return said(
            pick(c, "good_fit.gap.noise", "good_fit.gap.noise.regression"),
            gap=gap_said(c, s.fit_gap),
            train=train,
            val=val,
            threshold=threshold_text(c, gap_threshold),
            se=gap_said(c, s.val_se or 0.0),
            **extra,
        )
    return said(
        pick(c, "good_fit.gap", "good_fit.gap.regression"),
        kind=kind_said(s),
        gap=gap_said(c, abs(s.fit_gap)),
        train=train,
        val=val,
        threshold=threshold_text(c, gap_threshold),
        **extra,
    )


def good_fit(c: Curves, s: Summary, *, gap_threshold: float, patience: int) -> Diagnosis:
    """The verdict when no rule applies, with the numbers that show the fit."""
    first = _loss_clause(c, s)
    second = _gap_clause(c, s, gap_threshold)
    if second is None:
        msg = said("good_fit.one", first=first)
    else:
        msg = said("good_fit.two", first=first, second=second)
    improving = still_improving(c, patience)
    if improving is not None:
        more = said(f"good_fit.improving.{improving.which}", rate=-improving.rate, k=improving.k)
        msg = said("good_fit.more", message=msg, more=more)
    note = no_validation_note(s)
    if note:
        msg = said("good_fit.more", message=msg, more=note)
    epoch = s.best_val_epoch if s.best_val_epoch is not None else s.best_train_epoch
    rule = said("rule.good_fit")
    return verdict("good fit", epoch, msg, c, s, "good_fit", rule, scored=second is not None)
