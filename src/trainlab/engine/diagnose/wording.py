"""How the rules word a verdict: the diagnosis, the score's numbers and units, the notes.

A classification's sentences cite accuracies in percent and their differences in
points; a regression's cite R² (three significant digits, differences in R²)
with the main metric beside it (``RMSE 40.0 vs 55.2``), through their own
message ids (``….regression``; see :mod:`~trainlab.engine.diagnose.score` for
why R²). A multitask run's sentences end with a note naming the target whose
scores they cite. The words are in :mod:`trainlab.engine.diagnose.messages`.

Example:
    >>> from trainlab.engine.diagnose.statistics import curves_of
    >>> c = curves_of([{"train_loss": 1.0}], "rmse")
    >>> score_text(c, 0.7312), gap_said(c, 0.05), threshold_text(c, 0.05)
    ('0.731', '0.05', '0.05')
    >>> values_said(c, 40.0, 55.2).render()
    '; RMSE 40 vs 55.2'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.engine.diagnose.diagnosis import Diagnosis
from trainlab.engine.diagnose.messages import Said, pct, pts, r2, said, value
from trainlab.engine.diagnose.remedies import advise, remedies
from trainlab.engine.diagnose.statistics import Curves, Summary
from trainlab.engine.diagnose.thresholds import (
    FITTED_TRAIN_ACC,
    FITTED_TRAIN_R2,
    LOW_TRAIN_ACC,
    LOW_TRAIN_R2,
)


def verdict(
    name: str,
    epoch: int | None,
    message: Said,
    c: Curves,
    s: Summary,
    reason: str,
    rule: Said,
    *,
    scored: bool = False,
    **extra: Any,
) -> Diagnosis:
    """The :class:`Diagnosis` of a rule that fired, its remedies in general terms;
    ``scored``: the message cites scores (a multitask run's then names their target)."""
    regression = c.metric.regression
    if scored and c.metric.target is not None:
        note = pick(c, "note.main_target", "note.main_target.regression")
        message = said("word.join", first=message, rest=said(note, target=c.metric.target))
    return Diagnosis(
        verdict=name,
        epoch=None if epoch is None else int(epoch),
        message=message.render(),
        remedies=remedies(reason, regression=regression),
        details={**s.to_dict(), **extra, "reason": reason, "rule": rule.render()},
        said=message,
        rule_said=rule,
        remedy_said=advise(reason, regression=regression),
    )


def pick(c: Curves, classification: str, regression: str) -> str:
    """The message id for the curves' metric: a classification's, or a regression's."""
    return regression if c.metric.regression else classification


def kind_said(s: Summary) -> Said:
    """Which training score the verdicts judge by: `` (final weights)`` or `` (running, …)``.

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


def no_validation_note(s: Summary) -> Said | str:
    """The note that overfitting cannot be judged without validation data ("" with it)."""
    return "" if s.has_validation else said("note.no_validation")


def score_text(c: Curves, x: float) -> str:
    """A score: an accuracy in percent (``97.0%``), or an R² (``0.731``)."""
    return r2(x) if c.metric.regression else pct(x)


def gap_said(c: Curves, x: float) -> Said | str:
    """A difference of scores with its unit: ``9 points``, or a difference of R², ``0.19``."""
    return r2(x) if c.metric.regression else points_said(x)


def threshold_text(c: Curves, x: float) -> str:
    """A threshold on a difference of scores: ``5`` (points, the unit is in the sentence) or
    ``0.05`` (of R²)."""
    return r2(x) if c.metric.regression else pts(x)


def values_said(c: Curves, a: float | None, b: float | None) -> Said | str:
    """``; RMSE 40 vs 55.2``: the main metric beside two scores ("" when it is not cited, or
    a value is unknown)."""
    if not c.metric.cited or a is None or b is None or not np.isfinite([a, b]).all():
        return ""
    return said("value.versus", metric=c.metric.label, a=value(a), b=value(b))


def value_said(c: Curves, a: float | None) -> Said | str:
    """`` (RMSE 40)``: the main metric beside one score ("" when not cited or unknown)."""
    if not c.metric.cited or a is None or not np.isfinite(a):
        return ""
    return said("value.one", metric=c.metric.label, a=value(a))


def metric_at(c: Curves, i: int | None, training: bool) -> str | None:
    """The main metric's recorded value at epoch index ``i`` (None: not cited, or missing)."""
    values = c.train_value if training else c.val_value
    if values is None or i is None or not np.isfinite(values[i]):
        return None
    return value(float(values[i]))


def low_fit(c: Curves) -> float:
    """The training score below which a model cannot fit its training data."""
    return LOW_TRAIN_R2 if c.metric.regression else LOW_TRAIN_ACC


def fitted(c: Curves) -> float:
    """The training score from which a model fits its training data."""
    return FITTED_TRAIN_R2 if c.metric.regression else FITTED_TRAIN_ACC
