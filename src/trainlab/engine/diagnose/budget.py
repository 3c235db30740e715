"""Warnings about a run too small to judge: too few optimizer steps, or chance-level results.

A verdict on learning curves presumes that training ran long enough to show
what the recipe does. Two checks say when it did not, each with what to
change (the constants are in :mod:`trainlab.engine.diagnose.thresholds`):

- **too few steps**: ``steps = epochs × ⌈examples / batch_size⌉`` is below
  ``MIN_STEPS``;
- **chance level**: the final weights' best accuracy on any split is within
  ``CHANCE_MARGIN`` of the chance level, ``max(1 / classes, majority rate)``
  (the accuracy of always predicting the most frequent class); for a
  regression, their best R² on any split is at most ``CHANCE_R2`` (0: no
  better than always predicting the mean of the targets).

The advice raises ``train.epochs`` as the remedy "longer training" does (at
least doubling it, and enough for ``MIN_STEPS``), lowers
``train.batch_size`` to the size that gives ``MIN_STEPS`` in the epochs run
(at least halving it) and, at chance level, raises ``optimizer.lr``
threefold.

Example:
    >>> from trainlab.engine.diagnose.budget import budget_warnings
    >>> from trainlab.engine.diagnose.facts import Budget, FinalScores
    >>> b = Budget(epochs=1, examples=350, batch_size=64, classes=10)
    >>> [w.render() for w in budget_warnings(b, FinalScores(train=0.1))][0][:33]
    'This run took only 6 optimizer st'
"""

from __future__ import annotations

from trainlab.engine.diagnose.facts import Budget, FinalScores, RecipeFacts
from trainlab.engine.diagnose.messages import Said, pct, r2, said
from trainlab.engine.diagnose.remedies import longer_epochs, number
from trainlab.engine.diagnose.thresholds import CHANCE_MARGIN, CHANCE_R2, MIN_STEPS


def count_said(unit: str, n: int) -> Said:
    """``n`` with its unit, singular or plural: ``1 epoch``, ``6 optimizer steps``.

    Example:
        >>> count_said("epochs", 1).render(), count_said("steps", 6).render("es")
        ('1 epoch', '6 pasos de optimización')
    """
    plural = "one" if n == 1 else "other"
    return said(f"unit.{unit}_{plural}", n=n)


def at_chance(budget: Budget, final: FinalScores | None) -> bool:
    """Whether the final weights score within ``CHANCE_MARGIN`` of chance on every split
    (for a regression: an R² of at most ``CHANCE_R2`` on every split).

    Example:
        >>> at_chance(Budget(1, 350, 64, classes=10), FinalScores(train=0.12, val=0.1))
        True
        >>> at_chance(Budget(1, 350, 64), FinalScores(train=-0.1, val=-0.3, metric="rmse"))
        True
    """
    best = None if final is None else final.best
    if final is not None and final.main.regression:
        return best is not None and best <= CHANCE_R2
    return budget.chance is not None and best is not None and best <= budget.chance + CHANCE_MARGIN


def _change(budget: Budget, facts: RecipeFacts | None, chance: bool) -> Said:
    """What to change: more epochs, smaller batches and, at chance level, a higher rate."""
    if facts is None or facts.batch_size < 2 or not budget.steps_per_epoch:
        return said("budget.change.generic")
    epochs_to = longer_epochs(facts.epochs, budget)
    batch_to = facts.batch_size // 2
    if budget.steps < MIN_STEPS:
        batch_to = min(batch_to, budget.examples * max(1, budget.epochs) // MIN_STEPS)
    fields = {
        "epochs": facts.epochs,
        "epochs_to": epochs_to,
        "batch_size": facts.batch_size,
        "batch_to": max(1, batch_to),
    }
    if chance:
        return said(
            "budget.change.chance", lr=number(facts.lr), lr_to=number(3 * facts.lr), **fields
        )
    return said("budget.change.steps", **fields)


def budget_warnings(
    budget: Budget | None,
    final: FinalScores | None = None,
    facts: RecipeFacts | None = None,
) -> tuple[Said, ...]:
    """The warnings about a run's budget, the last one ending with what to change.

    Args:
        budget: the run's steps and chance level (None: no warnings).
        final: the final weights' scores (None: the chance level is not checked).
        facts: the recipe's settings, to say what to change to what (None: in general terms).

    Returns:
        No warning, or one or two sentences (too few steps, chance level).

    Example:
        >>> budget_warnings(Budget(epochs=10, examples=1000, batch_size=64))
        ()
    """
    if budget is None:
        return ()
    found = []
    if budget.steps < MIN_STEPS:
        found.append(
            said(
                "budget.few_steps",
                steps=count_said("steps", budget.steps),
                epochs=count_said("epochs", budget.epochs),
                batches=count_said("batches", budget.steps_per_epoch),
                batch_size=budget.batch_size,
                min_steps=count_said("steps", MIN_STEPS),
            )
        )
    chance = at_chance(budget, final)
    if chance:
        best = final.best if final is not None else None
        if final is not None and final.main.regression:
            found.append(said("budget.chance.regression", r2=r2(best or 0.0)))
        else:
            found.append(
                said(
                    "budget.chance",
                    acc=pct(best or 0.0),
                    chance=pct(budget.chance or 0.0),
                    classes=budget.classes,
                )
            )
    if not found:
        return ()
    last = said("word.sentences", first=found[-1], rest=_change(budget, facts, chance))
    return (*found[:-1], last)
