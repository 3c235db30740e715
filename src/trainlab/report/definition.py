"""A study's definition as ``trainlab show STUDY`` prints it: base, seeds, metric, variants.

The definition is the study file's content (what the study store keeps as its
``spec``): the base recipe and the overrides applied to it for every variant
(``base_set``), the seeds, the metric and its direction (a study file that names
no metric compares its base recipe's task's primary test metric, chosen when the
study runs; the store keeps the one chosen), and each variant's own
overrides with the variant it is compared against (its reference). A study
folder adds how many of its trials have each status.

Values are written as ``--set`` takes them (``model.dropout=0.5``,
``model.widths=[128, 128]``), so a line can be pasted back on the command line.

Example:
    >>> from trainlab.report.definition import StudyDefinition, VariantDefinition
    >>> d = StudyDefinition(
    ...     name="demo", description="dropout on wine", base="wine-mlp", base_set={},
    ...     baseline="baseline", metric="test_acc", higher_is_better=True, seeds=(0, 1),
    ...     variants=(VariantDefinition("baseline", {}, None),
    ...               VariantDefinition("dropout", {"model.dropout": 0.5}, "baseline")))
    >>> print(definition_text(d, width=80))  # doctest: +NORMALIZE_WHITESPACE
    study        demo
    description  dropout on wine
    base         wine-mlp
    base_set     —
    baseline     baseline
    metric       test_acc (higher is better)
    seeds        0, 1 (2 seeds)
    variants     2
      baseline   reference
      dropout    vs baseline  model.dropout=0.5
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trainlab.core.words import count
from trainlab.report.format import DASH

#: what a definition entry shows when one side does not set it
NOT_SET = "(not set)"


@dataclass(frozen=True)
class VariantDefinition:
    """One variant: its overrides of the base recipe and its reference.

    Attributes:
        name: the variant's name.
        overrides: dotted recipe keys → values.
        against: the variant it is compared with; None for a reference (the
            baseline, or a variant that is its own reference).
        description: the variant's own description, if any.
    """

    name: str
    overrides: Mapping[str, Any]
    against: str | None
    description: str = ""


@dataclass(frozen=True)
class StudyDefinition:
    """What a study is: the base recipe, the seeds, the metric and the variants.

    Attributes:
        base: a built-in recipe name or a recipe file, or an inline recipe (a mapping).
        base_set: overrides applied to the base before every variant's own.
        metric: the compared metric; None: the base recipe's task's primary test
            metric (``test_acc``, ``test_rmse``), chosen when the study runs.
        higher_is_better: the metric's direction; None: the metric's own.
        extra: the definition's other keys (``probes``, ``save_models``, …), as stored.
    """

    name: str
    description: str
    base: str | Mapping[str, Any]
    base_set: Mapping[str, Any]
    baseline: str
    metric: str | None
    higher_is_better: bool | None
    seeds: tuple[int, ...]
    variants: tuple[VariantDefinition, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = self.variant_names
        if len(set(names)) != len(names):
            raise ValueError(f"study {self.name!r}: variant names repeat: {names}")
        if self.baseline not in names:
            raise ValueError(f"study {self.name!r}: baseline {self.baseline!r} is not a variant")

    @property
    def variant_names(self) -> tuple[str, ...]:
        """The variants' names, in the definition's order."""
        return tuple(v.name for v in self.variants)

    def variant(self, name: str) -> VariantDefinition:
        """The variant called ``name`` (KeyError when there is none)."""
        for v in self.variants:
            if v.name == name:
                return v
        raise KeyError(name)


def show_value(value: Any) -> str:
    """A definition value as ``--set`` takes it: ``0.5``, ``true``, ``[128, 128]``, ``tanh``.

    Example:
        >>> show_value(True), show_value([128, 128]), show_value("tanh"), show_value(None)
        ('true', '[128, 128]', 'tanh', 'null')
    """
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(", ", ": "), default=str)


def assignments(overrides: Mapping[str, Any]) -> str:
    """``key=value`` pairs, comma separated; "—" when there are none.

    Example:
        >>> assignments({"model.dropout": 0.5, "train.epochs": 10})
        'model.dropout=0.5, train.epochs=10'
    """
    return ", ".join(f"{k}={show_value(v)}" for k, v in overrides.items()) or DASH


def base_text(base: str | Mapping[str, Any]) -> str:
    """The base recipe: its name or file, or ``inline recipe NAME`` for a mapping."""
    if isinstance(base, Mapping):
        return f"inline recipe {base.get('name', '')}".rstrip()
    return str(base)


def seeds_text(seeds: Sequence[int]) -> str:
    """``0, 1, 2 (3 seeds)``; one seed is ``0 (1 seed)``."""
    n = len(seeds)
    return f"{', '.join(str(s) for s in seeds)} ({count(n, 'seed')})"


def direction(higher_is_better: bool) -> str:
    """``higher is better`` or ``lower is better``."""
    return "higher is better" if higher_is_better else "lower is better"


def metric_text(d: StudyDefinition) -> str:
    """``test_acc (higher is better)``; a metric left to the task says so.

    Example:
        >>> from types import SimpleNamespace as T
        >>> metric_text(T(metric=None, higher_is_better=None))
        "test_<primary> of the base recipe's task (its own direction), chosen when the study runs"
    """
    if d.metric is not None and d.higher_is_better is not None:
        return f"{d.metric} ({direction(d.higher_is_better)})"
    how = "its own direction" if d.higher_is_better is None else direction(d.higher_is_better)
    return f"test_<primary> of the base recipe's task ({how}), chosen when the study runs"


def _row(label: str, text: str, width: int, indent: int = 13) -> str:
    head = f"{label:<{indent - 1}} "
    return textwrap.fill(
        text or DASH,
        max(width, indent + 30),
        initial_indent=head,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _wrapped(text: str, indent: int, width: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(
        text,
        max(width, indent + 30),
        initial_indent=pad,
        subsequent_indent=pad + "  ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def _variant_rows(
    d: StudyDefinition, counts: Mapping[str, Mapping[str, int]] | None, width: int
) -> list[str]:
    """One line per variant when it fits in ``width``; else its overrides one per line below."""
    name_w = max(len(v.name) for v in d.variants) + 2
    refs = ["reference" if v.against is None else f"vs {v.against}" for v in d.variants]
    ref_w = max(len(r) for r in refs) + 2
    rows = []
    for v, ref in zip(d.variants, refs, strict=True):
        done = "" if counts is None else f"  ({_counts_text(counts.get(v.name, {}))})"
        about = f"  — {v.description}" if v.description else ""
        head = f"  {v.name:<{name_w}}{ref}"
        line = f"  {v.name:<{name_w}}{ref:<{ref_w}}{assignments(v.overrides)}" + done + about
        if not v.overrides:
            line = head + done + about
        if len(line) <= width:
            rows.append(line)
            continue
        rows.append(head + done)
        rows += [
            ln for k, x in v.overrides.items() for ln in _wrapped(f"{k}={show_value(x)}", 6, width)
        ]
        if v.description:
            rows += _wrapped(f"— {v.description}", 6, width)
    return rows


def _counts_text(counts: Mapping[str, int]) -> str:
    """``3 of 3 done``, then the other statuses that occur: ``2 of 3 done, 1 failed``."""
    total = sum(counts.values())
    others = [f"{n} {status}" for status, n in counts.items() if status != "done" and n]
    return ", ".join([f"{counts.get('done', 0)} of {total} done", *others])


def definition_text(
    d: StudyDefinition,
    *,
    counts: Mapping[str, Mapping[str, int]] | None = None,
    folder: Sequence[tuple[str, str]] = (),
    width: int = 100,
) -> str:
    """The definition as aligned lines: one per entry, then one per variant.

    Args:
        d: the definition.
        counts: per variant, how many of its trials have each status (a study folder).
        folder: label → text lines shown first (a study folder's path, its store, last run).
        width: the line width the text is wrapped to.

    Returns:
        The text, without a final newline.
    """
    lines = [_row(label, text, width) for label, text in folder]
    lines += [
        _row("study", d.name, width),
        _row("description", d.description, width),
        _row("base", base_text(d.base), width),
        _row("base_set", assignments(d.base_set), width),
        _row("baseline", d.baseline, width),
        _row("metric", metric_text(d), width),
        _row("seeds", seeds_text(d.seeds), width),
    ]
    if d.extra:
        lines.append(_row("other", assignments(d.extra), width))
    if counts is not None:
        total: dict[str, int] = {}
        for per_variant in counts.values():
            for status, n in per_variant.items():
                total[status] = total.get(status, 0) + n
        lines.append(_row("trials", _counts_text(total), width))
    lines.append(_row("variants", str(len(d.variants)), width))
    lines += _variant_rows(d, counts, width)
    return "\n".join(lines)
