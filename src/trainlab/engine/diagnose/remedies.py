"""What to try for each verdict: the lecture's strategies, as message ids in order.

For overfitting, the lecture's *estrategias para reducir el error de
generalización* (more data, penalties, noise on inputs, outputs and
parameters, ensembles, early stopping, multitask learning, dropout, batch
normalization); for the other verdicts, the convergence recipes (learning
rate, clipping, initialization, normalization, capacity, training length).
Each remedy names the recipe key to change; its text is in
:mod:`trainlab.engine.diagnose.messages`.

Example:
    >>> from trainlab.engine.diagnose.remedies import remedies
    >>> remedies("too_short")[0]
    'Longer training (`train.epochs`)'
"""

from __future__ import annotations

from trainlab.engine.diagnose.messages import text

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


def remedies(reason: str) -> list[str]:
    """The remedies for a verdict's ``reason``, as sentences.

    Example:
        >>> remedies("good_fit")
        []
    """
    return [text(i) for i in REMEDIES[reason]]
