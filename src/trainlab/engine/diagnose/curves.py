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

Rules (:mod:`~trainlab.engine.diagnose.rules`), checked in this order; the
first that matches gives the verdict (the constants of
:mod:`~trainlab.engine.diagnose.thresholds` name every threshold):

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
   first epoch. When the final weights' accuracies are given, (b) is instead
   their gap, training minus validation accuracy in evaluation mode (the
   generalization gap), above ``gap_threshold`` by more than ``GAP_Z``
   standard errors of the validation accuracy, √(p(1 − p)/n) (on a small
   validation split one example is several points); the running training accuracy
   is measured with dropout on and the weights moving, and early in training
   it can be far from the final weights' (see
   :mod:`~trainlab.engine.diagnose.facts`). The onset is ``t*`` (for (b), when
   the validation loss is lowest at the final epoch or was not recorded, the
   first epoch from which the running gap stays above the threshold).
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

The training accuracy the underfitting rules read is the final weights' when
given, else the last epoch's running one; every sentence names which. The
remedies are worded for the recipe when its facts are given
(:func:`~trainlab.engine.diagnose.remedies.advise`), and a run too small to
judge gets warnings with what to change
(:func:`~trainlab.engine.diagnose.budget.budget_warnings`).

``LOW_TRAIN_ACC`` is an absolute heuristic: on the classification sets trainlab
ships (digits, wine, breast cancer, MNIST, MNIST-1D, Fashion-MNIST) a network of
adequate capacity fits more than 80% of its training examples, so a model that
does not has too little capacity, too little training, or too much
regularization. The noise of a curve is estimated from the scatter of its
second differences over its last epochs
(:func:`~trainlab.engine.diagnose.statistics.noise`), so that on a flat,
noisy validation curve a lucky low epoch is not taken for the start of
overfitting. Without validation data, overfitting cannot be seen, and the
message says so. Accuracies recorded in percent (any value above 1.5) are
divided by 100. Every sentence of a diagnosis (messages, rules in words,
remedies) comes from :mod:`~trainlab.engine.diagnose.messages`, by message id.

**The task's metric.** ``diagnose(..., metric=task.primary)`` reads the
task's columns: ``train_acc``, ``val_acc`` for classification (and a target's,
``train_digit_acc``, for a multitask run, whose sentences then end by naming
that target). For a regression metric (``rmse``, ``mae``; ``weight_rmse``)
every rule above that reads an accuracy reads **R²** instead (``train_r2``,
``val_r2``, the final weights' ``train_r2``): R² = 1 − MSE/Var(y) is scale-free
like the loss (on standardized targets) and, unlike the ratio of RMSEs, it
keeps the rules' meaning: a gap of R², (MSE_val − MSE_train)/Var(y), is a
difference of errors in units of the targets' variance as a gap of accuracy is
a difference of error rates, so ``gap_threshold`` (0.05) and ``DEGRADED`` apply
to it unchanged; R² ≤ 0 (``CHANCE_R2``) is what always predicting the mean
scores, the counterpart of chance level; the standard error of a validation R²
on n examples is (1 − R²)·√(2/n) (that of a mean squared error, MSE·√(2/n) for
normal errors), for ``GAP_Z``. The levels of the fit have their own values,
``LOW_TRAIN_R2`` (0.5: below a straight line's fit of diabetes) and
``FITTED_TRAIN_R2`` (0.9). The loss-curve rules (diverged, unstable,
overfitting (a), not learning, still improving) read the loss, which is on
standardized targets and so already scale-free, and their sentences cite the
main metric (RMSE, in the target's units) at the epochs they name. A
regression's remedies leave out noise on the outputs (label smoothing and
flipping act on class labels).

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

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from trainlab.engine.diagnose.budget import budget_warnings
from trainlab.engine.diagnose.diagnosis import VERDICTS, Diagnosis
from trainlab.engine.diagnose.facts import Budget, FinalScores, RecipeFacts
from trainlab.engine.diagnose.remedies import advise
from trainlab.engine.diagnose.rules import RULES, good_fit
from trainlab.engine.diagnose.score import MainMetric
from trainlab.engine.diagnose.statistics import curves_of, generalization_gap, summarize

__all__ = ["VERDICTS", "Diagnosis", "diagnose", "generalization_gap"]


def diagnose(
    history: Sequence[Mapping[str, Any]],
    *,
    gap_threshold: float = 0.05,
    patience: int = 3,
    final: FinalScores | None = None,
    recipe: RecipeFacts | None = None,
    budget: Budget | None = None,
    metric: str = "acc",
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
        final: the final weights' accuracies (evaluation mode); when given, the
            accuracy gap and the fit are judged by them, not by the history's
            running training accuracy.
        recipe: the recipe's settings; when given, the remedies leave out what it
            already does and say what to change to what.
        budget: the run's optimizer steps and chance level; when given, a run
            too small to judge gets ``warnings``.
        metric: the task's main metric (``acc``, ``rmse``, ``digit_acc``,
            ``weight_rmse``; see :mod:`~trainlab.engine.diagnose.score`): the
            verdicts judge by its score and the sentences cite it; ``final``
            must hold this metric's scores.

    Returns:
        The :class:`Diagnosis`.

    Raises:
        ValueError: the history is empty, records no training loss at all, an
            argument is out of range, or ``final`` scores another metric.

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
    regression = MainMetric(metric).regression
    c = curves_of(history, metric)
    if not (np.isfinite(c.train_loss).any() or c.train_loss_bad.any()):
        raise ValueError("history: expected a 'train_loss' value in at least one epoch")

    s = summarize(c, final)
    found = None
    for rule in RULES:
        found = rule(c, s, gap_threshold=gap_threshold, patience=patience)
        if found is not None:
            break
    if found is None:
        found = good_fit(c, s, gap_threshold=gap_threshold, patience=patience)
    warned = budget_warnings(budget, final, recipe)
    if recipe is None and budget is None:
        return replace(found, warnings=[w.render() for w in warned], warning_said=warned)
    advice = advise(found.details["reason"], recipe, budget, regression=regression)
    return replace(
        found,
        remedies=[r.render() for r in advice],
        remedy_said=advice,
        warnings=[w.render() for w in warned],
        warning_said=warned,
    )
