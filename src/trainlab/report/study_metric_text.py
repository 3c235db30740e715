"""A task metric's name in words, and what its generalization gap measures.

A metric is named ``<split>_[<task>_]<kind>`` (``test_rmse``, ``val_digit_acc``;
see :mod:`trainlab.engine.tasks.metrics`): its words are the split's, the
task's name and the kind's, put together as :data:`METRIC_WORDS` says (the
Spanish table, with the same ids, is
:data:`trainlab.report.study_text_es.METRIC_WORDS_ES`; :func:`page_text
<trainlab.report.study_text.page_text>` holds them as ``metric_word.<id>``). The
gap is the training split's advantage in the task's primary metric: train − test
for a metric that is better higher, test − train for one better lower.

Example:
    >>> from trainlab.report.study_metric_text import composed_label, gap_phrase
    >>> composed_label("test_rmse", None), composed_label("val_digit_acc", None)
    ('test RMSE', 'validation digit accuracy')
    >>> gap_phrase("acc"), gap_phrase("rmse")
    ('train − test accuracy', 'test − train RMSE')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from trainlab.report.study_units import KIND_DIRECTIONS, metric_kind

#: the words of any other task metric's name (``<split>_[<task>_]<kind>``) and of its gap
METRIC_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "split.train": "training",
        "split.val": "validation",
        "split.test": "test",
        "kind.acc": "accuracy",
        "kind.loss": "loss",
        "kind.rmse": "RMSE",
        "kind.mae": "MAE",
        "kind.r2": "R²",
        "split_kind": "{split} {kind}",
        "split_task_kind": "{split} {task} {kind}",
        "task_kind": "{task} {kind}",
        "gap_higher": "train − test {kind}",
        "gap_lower": "test − train {kind}",
        "lower_is_better": "lower is better",
    }
)


def _word(key: str, text: Mapping[str, str] | None) -> str:
    """One of :data:`METRIC_WORDS` in ``text``'s language (English when ``text`` has none)."""
    found = None if text is None else text.get(f"metric_word.{key}")
    return METRIC_WORDS[key] if found is None else found


def composed_label(metric: str, text: Mapping[str, str] | None) -> str | None:
    """``test_rmse`` → "test RMSE", ``val_digit_acc`` → "validation digit accuracy",
    ``digit_acc`` → "digit accuracy"; None when the name is no task metric's."""
    parts = metric.split("_")
    kind = metric_kind(metric)
    if len(parts) < 2 or kind not in KIND_DIRECTIONS:
        return None
    words = {"kind": _word(f"kind.{kind}", text)}
    if parts[0] in ("train", "val", "test"):
        words["split"], task = _word(f"split.{parts[0]}", text), "_".join(parts[1:-1])
        pattern = "split_task_kind" if task else "split_kind"
    else:
        task, pattern = "_".join(parts[:-1]), "task_kind"
    return _word(pattern, text).format(task=task, **words)


def kind_label(primary: str, text: Mapping[str, str] | None = None) -> str:
    """What a task's primary metric measures, without a split: "accuracy", "digit accuracy",
    "RMSE" (``text``: a :func:`page_text`; default English).

    Example:
        >>> from trainlab.report.study_text import page_text
        >>> kind_label("acc"), kind_label("weight_rmse"), kind_label("acc", page_text("es"))
        ('accuracy', 'weight RMSE', 'exactitud')
    """
    kind = metric_kind(primary)
    if primary == kind and kind in KIND_DIRECTIONS:
        return _word(f"kind.{kind}", text)
    return composed_label(primary, text) or primary.replace("_", " ")


def gap_phrase(primary: str, text: Mapping[str, str] | None = None) -> str:
    """What the generalization gap measures, signed so that a positive gap means the training
    split scores better: "train − test accuracy", "test − train RMSE".

    Example:
        >>> from trainlab.report.study_text import page_text
        >>> gap_phrase("acc"), gap_phrase("rmse", page_text("es"))
        ('train − test accuracy', 'RMSE de prueba − de entrenamiento')
    """
    higher = KIND_DIRECTIONS.get(metric_kind(primary), True)
    return _word("gap_higher" if higher else "gap_lower", text).format(
        kind=kind_label(primary, text)
    )


def direction_label(label: str, higher_is_better: bool, text: Mapping[str, str] | None) -> str:
    """``label`` with "(lower is better)" for a metric that is better lower; else as it is."""
    if higher_is_better:
        return label
    lower = _word("lower_is_better", text)
    pattern = text.get("lead_lower") if text is not None else None
    return (pattern or "{label} ({lower})").format(label=label, lower=lower)


def cap(text: str) -> str:
    """``text`` with its first letter upper-case and the rest as it is ("test RMSE" → "Test
    RMSE", where :meth:`str.capitalize` would write "Test rmse")."""
    return text[:1].upper() + text[1:]
