"""What to try for each verdict: the lecture's strategies, as message ids in order.

For overfitting, the lecture's *estrategias para reducir el error de
generalización* (more data, penalties, noise on inputs, outputs and
parameters, ensembles, early stopping, multitask learning, dropout, batch
normalization); for the other verdicts, the convergence recipes (learning
rate, clipping, initialization, normalization, capacity, training length).
Each remedy names the recipe key to change; its text is in
:mod:`trainlab.engine.diagnose.messages`.

:data:`REMEDIES` lists each verdict's remedies in general terms;
:func:`advise` words them for the recipe that ran (a
:class:`~trainlab.engine.diagnose.facts.RecipeFacts`): it leaves out what the
recipe already does (batch normalization when it is on, a Glorot or He
initialization when one is set, dropout of 0.5 or more, …) and says what to
change and to what (``raise `model.dropout` from 0.1 to 0.3``). A setting
that is on but weak is raised by a factor up to a cap (dropout ×3 up to 0.5,
penalties ×10, noise levels ×2 or ×3), beyond which the remedy is left out.
A regression's remedies leave out noise on the outputs (label smoothing and
label flipping act on class labels).

Example:
    >>> from trainlab.engine.diagnose.facts import RecipeFacts
    >>> from trainlab.engine.diagnose.remedies import advise, remedies
    >>> remedies("too_short")[0]
    'Longer training (`train.epochs`)'
    >>> [r.render() for r in advise("val_loss_rising", RecipeFacts(dropout=0.1))][9]
    'Dropout: raise `model.dropout` from 0.1 to 0.3'
"""

from __future__ import annotations

import math
from collections.abc import Callable

from trainlab.engine.diagnose.facts import Budget, RecipeFacts
from trainlab.engine.diagnose.messages import Said, said, text
from trainlab.engine.diagnose.thresholds import MIN_STEPS, NOISE_WINDOW

_DIVERGED = (
    "remedy.lower_lr.tenfold",
    "remedy.clip_grad",
    "remedy.normalize_inputs",
    "remedy.init",
    "remedy.batch_norm",
)
_UNSTABLE = (
    "remedy.lower_lr.threefold",
    "remedy.clip_grad",
    "remedy.normalize_inputs",
    "remedy.init",
    "remedy.batch_norm",
)
_OVERFITTING = (
    "remedy.more_data",
    "remedy.l2",
    "remedy.l1",
    "remedy.input_noise",
    "remedy.output_noise",
    "remedy.weight_noise",
    "remedy.ensemble",
    "remedy.early_stopping",
    "remedy.multitask",
    "remedy.dropout",
    "remedy.batch_norm",
    "remedy.smaller_model",
)

#: a verdict's ``reason`` → the ids of its remedies, most likely to help first
REMEDIES: dict[str, tuple[str, ...]] = {
    "non_finite_loss": _DIVERGED,
    "loss_blowup": _DIVERGED,
    "oscillation": _UNSTABLE,
    "degraded": _UNSTABLE,
    "val_loss_rising": _OVERFITTING,
    "accuracy_gap": _OVERFITTING,
    "too_short": (
        "remedy.longer",
        "remedy.bigger_model",
        "remedy.higher_lr",
        "remedy.weaker_regularization",
        "remedy.init",
        "remedy.batch_norm",
    ),
    "not_learning": (
        "remedy.higher_lr",
        "remedy.init",
        "remedy.batch_norm",
        "remedy.normalize_inputs",
        "remedy.bigger_model",
        "remedy.longer",
        "remedy.weaker_regularization",
    ),
    "low_train_acc": (
        "remedy.bigger_model",
        "remedy.longer",
        "remedy.higher_lr",
        "remedy.weaker_regularization",
        "remedy.init",
        "remedy.batch_norm",
    ),
    "still_improving": (
        "remedy.longer",
        "remedy.higher_lr",
        "remedy.batch_norm",
        "remedy.bigger_model",
        "remedy.weaker_regularization",
        "remedy.init",
    ),
    "good_fit": (),
}


#: remedies that act on class labels, left out for a regression
CLASSIFICATION_ONLY = frozenset({"remedy.output_noise"})


def _ids(reason: str, regression: bool) -> tuple[str, ...]:
    ids = REMEDIES[reason]
    return tuple(i for i in ids if i not in CLASSIFICATION_ONLY) if regression else ids


def remedies(reason: str, *, regression: bool = False) -> list[str]:
    """The remedies for a verdict's ``reason``, as sentences in general terms.

    Example:
        >>> remedies("good_fit")
        []
        >>> len(remedies("accuracy_gap")) - len(remedies("accuracy_gap", regression=True))
        1
    """
    return [text(i) for i in _ids(reason, regression)]


def advise(
    reason: str,
    facts: RecipeFacts | None = None,
    budget: Budget | None = None,
    *,
    regression: bool = False,
) -> tuple[Said, ...]:
    """The remedies for a verdict's ``reason``, worded for the recipe that ran.

    Args:
        reason: a key of :data:`REMEDIES`.
        facts: the recipe's settings (None: the remedies in general terms).
        budget: the run's budget; with fewer than ``MIN_STEPS`` optimizer steps,
            longer training comes first.
        regression: the task is a regression (noise on the outputs is left out).

    Returns:
        The remedies as messages, most likely to help first, without those the
        recipe already has.

    Example:
        >>> from trainlab.engine.diagnose.facts import RecipeFacts
        >>> facts = RecipeFacts(batch_norm=True, init="he-normal", widths=(32,))
        >>> said = advise("not_learning", facts)
        >>> len(said), said[0].render()
        (3, 'A higher learning rate: raise `optimizer.lr` from 0.001 to 0.003')
    """
    if facts is None:
        return tuple(said(i) for i in _ids(reason, regression))
    out = []
    for i in _ids(reason, regression):
        found = ADVICE[i](facts, budget)
        if found is not None:
            out.append((i, found))
    if budget is not None and budget.steps < MIN_STEPS:
        out.sort(key=lambda pair: pair[0] != "remedy.longer")  # stable: the rest keep order
    return tuple(s for _, s in out)


# -- the words of a change ----------------------------------------------------------------
def number(x: float) -> str:
    """A recipe value as a user writes it: ``0.003``, ``0.0003``, ``1e-05``.

    Example:
        >>> number(0.003 / 3), number(1e-5), number(0.5)
        ('0.001', '1e-05', '0.5')
    """
    return f"{x:.3g}"


def _change(verb: str, what: str, key: str, now: object, to: object) -> Said:
    return said(f"remedy.{verb}", what=said(what), key=key, now=now, to=to)


def _switch_on(what: str, key: str) -> Said:
    return _change("set", what, key, said("word.false"), said("word.true"))


def _strength(
    what: str, key: str, now: float, start: float, factor: float, cap: float
) -> Said | None:
    """Set ``key`` to ``start`` when off; raise it ``factor`` times (up to ``cap``) when on
    but weaker than ``cap``; None when it is at ``cap`` already."""
    if now <= 0:
        return _change("set", what, key, said("word.off"), number(start))
    if now >= cap:
        return None
    return _change("raise", what, key, number(now), number(min(now * factor, cap)))


# -- one function per remedy: the recipe's facts → the remedy, or None when it has it -----
def _lower_lr(factor: float) -> Callable[[RecipeFacts, Budget | None], Said | None]:
    def lower(f: RecipeFacts, _: Budget | None) -> Said:
        return _change(
            "lower", "name.lower_lr", "optimizer.lr", number(f.lr), number(f.lr / factor)
        )

    return lower


def _higher_lr(f: RecipeFacts, _: Budget | None) -> Said:
    return _change("raise", "name.higher_lr", "optimizer.lr", number(f.lr), number(f.lr * 3))


#: gradient clipping at a norm above this is loosened to it; at or below it, it is on enough
CLIP_NORM = 1.0


def _clip_grad(f: RecipeFacts, _: Budget | None) -> Said | None:
    key = "train.clip_grad_norm"
    if f.clip_grad_norm <= 0:
        return _change("set", "name.clip_grad", key, said("word.off"), number(CLIP_NORM))
    if f.clip_grad_norm <= CLIP_NORM:
        return None
    return _change("lower", "name.clip_grad", key, number(f.clip_grad_norm), number(CLIP_NORM))


def _normalize_inputs(f: RecipeFacts, _: Budget | None) -> Said | None:
    if f.normalize != "none":
        return None
    return _change("set", "name.normalize_inputs", "preprocess.normalize", "none", "standard")


#: activations whose variance-preserving initialization is Glorot's (the others: He's)
SATURATING = frozenset({"tanh", "sigmoid"})


def _init(f: RecipeFacts, _: Budget | None) -> Said | None:
    family, to = (
        ("glorot-", "glorot-normal") if f.activation in SATURATING else ("he-", "he-normal")
    )
    if f.init.startswith(family):
        return None
    now = said("word.init_normal", std=number(f.init_std)) if f.init == "normal" else f.init
    return _change("set", "name.init", "init.scheme", now, to)


def _batch_norm(f: RecipeFacts, _: Budget | None) -> Said | None:
    return None if f.batch_norm else _switch_on("name.batch_norm", "model.batch_norm")


def _more_data(f: RecipeFacts, _: Budget | None) -> Said:
    if f.augment:
        return said("remedy.more_data.augmented", names=", ".join(f.augment))
    return said("remedy.more_data")


def _l2(f: RecipeFacts, _: Budget | None) -> Said | None:
    if f.l2 <= 0 and f.weight_decay > 0:  # the optimizer's decoupled decay is the L2 already
        return _strength("name.weight_decay", "optimizer.weight_decay", f.weight_decay, 0, 10, 0.1)
    return _strength("name.l2", "regularization.l2", f.l2, 1e-4, 10, 1e-2)


def _l1(f: RecipeFacts, _: Budget | None) -> Said | None:
    return _strength("name.l1", "regularization.l1", f.l1, 1e-5, 10, 1e-3)


def _input_noise(f: RecipeFacts, _: Budget | None) -> Said | None:
    return _strength("name.input_noise", "regularization.input_noise", f.input_noise, 0.1, 2, 0.5)


def _output_noise(f: RecipeFacts, _: Budget | None) -> Said | None:
    if f.label_smoothing <= 0 and f.label_flip > 0:
        return _strength("name.label_flip", "regularization.label_flip", f.label_flip, 0, 2, 0.2)
    key = "regularization.label_smoothing"
    return _strength("name.label_smoothing", key, f.label_smoothing, 0.1, 2, 0.3)


def _weight_noise(f: RecipeFacts, _: Budget | None) -> Said | None:
    key = "regularization.weight_noise"
    return _strength("name.weight_noise", key, f.weight_noise, 0.01, 3, 0.1)


#: the ensemble size the remedy suggests (Lakshminarayanan et al. 2017 use 5)
ENSEMBLE_MEMBERS = 5


def _ensemble(f: RecipeFacts, _: Budget | None) -> Said | None:
    if f.ensemble >= ENSEMBLE_MEMBERS:
        return None
    return _change("raise", "name.ensemble", "ensemble.members", f.ensemble, ENSEMBLE_MEMBERS)


def _early_stopping(f: RecipeFacts, _: Budget | None) -> Said | None:
    return None if f.early_stopping else _switch_on("name.early_stopping", "early_stopping.enabled")


def _multitask(f: RecipeFacts, _: Budget | None) -> Said:
    return said("remedy.multitask")


def _dropout(f: RecipeFacts, _: Budget | None) -> Said | None:
    return _strength("name.dropout", "model.dropout", f.dropout, 0.5, 3, 0.5)


def _smaller_model(f: RecipeFacts, _: Budget | None) -> Said | None:
    if not f.widths:
        return said("remedy.smaller_model")
    if max(f.widths) <= 1:
        return None
    to = [max(1, w // 2) for w in f.widths]
    return _change("lower", "name.smaller_model", "model.widths", list(f.widths), to)


def _bigger_model(f: RecipeFacts, _: Budget | None) -> Said:
    if not f.widths:
        return said("remedy.bigger_model")
    to = [2 * w for w in f.widths]
    return _change("raise", "name.bigger_model", "model.widths", list(f.widths), to)


def longer_epochs(epochs: int, budget: Budget | None) -> int:
    """The epochs to suggest: twice as many, at least enough for a trend (``NOISE_WINDOW``)
    and, with a budget, for ``MIN_STEPS`` optimizer steps.

    Example:
        >>> longer_epochs(1, Budget(epochs=1, examples=350, batch_size=64))
        9
    """
    to = max(2 * epochs, NOISE_WINDOW)
    if budget is not None and budget.steps_per_epoch:
        to = max(to, math.ceil(MIN_STEPS / budget.steps_per_epoch))
    return to


def _longer(f: RecipeFacts, budget: Budget | None) -> Said | None:
    if f.early_stopping and budget is not None and budget.epochs < f.epochs:
        return None  # early stopping ended the run: more epochs would not be used
    return _change(
        "raise", "name.longer", "train.epochs", f.epochs, longer_epochs(f.epochs, budget)
    )


def _weaker_regularization(f: RecipeFacts, _: Budget | None) -> Said | None:
    items = [
        said("remedy.item.from_to", key=key, now=number(v), to=number(v / 2))
        for key, v in f.regularizers()
        if v > 0
    ]
    if not items:
        return None
    changes = items[-1]
    for i, item in enumerate(reversed(items[:-1])):
        changes = said("word.and" if i == 0 else "word.list", first=item, rest=changes)
    return said("remedy.weaker_regularization.lower", changes=changes)


#: remedy id → its wording for a recipe (None: the recipe has it already)
ADVICE: dict[str, Callable[[RecipeFacts, Budget | None], Said | None]] = {
    "remedy.lower_lr.tenfold": _lower_lr(10),
    "remedy.lower_lr.threefold": _lower_lr(3),
    "remedy.higher_lr": _higher_lr,
    "remedy.clip_grad": _clip_grad,
    "remedy.normalize_inputs": _normalize_inputs,
    "remedy.init": _init,
    "remedy.batch_norm": _batch_norm,
    "remedy.more_data": _more_data,
    "remedy.l2": _l2,
    "remedy.l1": _l1,
    "remedy.input_noise": _input_noise,
    "remedy.output_noise": _output_noise,
    "remedy.weight_noise": _weight_noise,
    "remedy.ensemble": _ensemble,
    "remedy.early_stopping": _early_stopping,
    "remedy.multitask": _multitask,
    "remedy.dropout": _dropout,
    "remedy.smaller_model": _smaller_model,
    "remedy.bigger_model": _bigger_model,
    "remedy.longer": _longer,
    "remedy.weaker_regularization": _weaker_regularization,
}
