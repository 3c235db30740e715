"""What two studies' definitions and runs do not share.

Compared, in this order: the study's name, base recipe, ``base_set`` (key by
key), baseline, seeds and other settings; each shared variant's overrides (key
by key) and reference; then the **resolved recipes** the trials ran (the stored
recipe of each shared variant, seed and run name left out), key by key, for
what the definitions do not explain — a built-in recipe that changed between
two trainlab versions shows here; then the recorded trial settings (threads,
torch version, device) and any other entry of the stores' meta.

Example:
    >>> from trainlab.workflows.compare.changes import mapping_changes
    >>> [(c.what, c.a, c.b) for c in mapping_changes("base_set.", {"train.epochs": 10}, {})]
    [('base_set.train.epochs', '10', '(not set)')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trainlab.report.compare_results import DefinitionDifference
from trainlab.report.definition import (
    NOT_SET,
    StudyDefinition,
    base_text,
    seeds_text,
    show_value,
)
from trainlab.workflows.compare.stored import StoredStudy, StoredTrial
from trainlab.workflows.study.store_records import changed_keys

#: resolved-recipe keys that differ between any two trials of a study by design
_PER_TRIAL = ("seed", "name")
_MISSING = object()


def _shown(value: Any) -> str:
    return NOT_SET if value is _MISSING else show_value(value)


def mapping_changes(
    prefix: str, a: Mapping[str, Any], b: Mapping[str, Any]
) -> list[DefinitionDifference]:
    """One entry per key whose value differs (or that only one side sets)."""
    keys = [*a, *(k for k in b if k not in a)]
    return [
        DefinitionDifference(f"{prefix}{k}", _shown(a.get(k, _MISSING)), _shown(b.get(k, _MISSING)))
        for k in keys
        if a.get(k, _MISSING) != b.get(k, _MISSING)
    ]


def _definition_changes(a: StudyDefinition, b: StudyDefinition) -> list[DefinitionDifference]:
    out = []
    for what, x, y in (
        ("name", a.name, b.name),
        ("base", base_text(a.base), base_text(b.base)),
    ):
        if x != y:
            out.append(DefinitionDifference(what, x, y))
    if isinstance(a.base, Mapping) and isinstance(b.base, Mapping):
        for key in changed_keys(dict(a.base), dict(b.base)):
            out.append(DefinitionDifference(f"base.{key}", *_at(a.base, b.base, key)))
    out += mapping_changes("base_set.", a.base_set, b.base_set)
    if a.baseline != b.baseline:
        out.append(DefinitionDifference("baseline", a.baseline, b.baseline))
    if a.seeds != b.seeds:
        out.append(DefinitionDifference("seeds", seeds_text(a.seeds), seeds_text(b.seeds)))
    out += mapping_changes("", a.extra, b.extra)
    return out


def _variant_changes(
    a: StudyDefinition, b: StudyDefinition, shared: Sequence[str]
) -> list[DefinitionDifference]:
    out = []
    for name in shared:
        va, vb = a.variant(name), b.variant(name)
        out += mapping_changes(f"{name}: ", va.overrides, vb.overrides)
        if va.against != vb.against:
            ref_a, ref_b = (v.against or "(reference)" for v in (va, vb))
            out.append(DefinitionDifference(f"{name}: against", ref_a, ref_b))
    return out


def _at(a: Any, b: Any, dotted: str) -> tuple[str, str]:
    """The values at a dotted key of two nested mappings, as shown."""
    values = []
    for tree in (a, b):
        node = tree
        for part in dotted.split("."):
            node = node.get(part, _MISSING) if isinstance(node, Mapping) else _MISSING
        values.append(_shown(node))
    return values[0], values[1]


def _recipe(trials: list[StoredTrial]) -> dict[str, Any] | None:
    """The resolved recipe of a variant's first stored trial, without its per-trial keys."""
    if not trials:
        return None
    return {k: v for k, v in trials[0].recipe.items() if k not in _PER_TRIAL}


def _recipe_changes(
    a: StoredStudy, b: StoredStudy, shared: Sequence[str], explained: set[tuple[str, str]]
) -> list[DefinitionDifference]:
    """Resolved-recipe keys that differ and no definition entry explains, grouped by key."""
    by_key: dict[str, list[str]] = {}
    values: dict[str, tuple[str, str]] = {}
    for name in shared:
        ra, rb = _recipe(a.planned(name)), _recipe(b.planned(name))
        if ra is None or rb is None:
            continue
        for key in changed_keys(ra, rb):
            if (name, key) not in explained and ("", key) not in explained:
                by_key.setdefault(key, []).append(name)
                values.setdefault(key, _at(ra, rb, key))
    out = []
    for key, names in by_key.items():
        where = "every variant" if len(names) == len(shared) else ", ".join(names)
        out.append(DefinitionDifference(f"resolved recipe ({where}): {key}", *values[key]))
    return out


def settings_text(settings: Mapping[str, Any] | None) -> str:
    """A trial's recorded settings: ``device=cpu, threads=1, torch=2.4.1``."""
    if settings is None:
        return "not recorded"
    return ", ".join(f"{k}={show_value(v)}" for k, v in sorted(settings.items()))


def trial_settings(study: StoredStudy) -> tuple[str, ...]:
    """The distinct settings the finished trials recorded, as text (sorted)."""
    return tuple(sorted({settings_text(t.settings) for t in study.planned() if t.status == "done"}))


def run_changes(
    a: StoredStudy, b: StoredStudy, shared: Sequence[str]
) -> tuple[DefinitionDifference, ...]:
    """Every difference between the two studies' definitions, resolved recipes and runs."""
    da, db = a.definition, b.definition
    out = _definition_changes(da, db) + _variant_changes(da, db, shared)
    explained = {
        ("", c.what.removeprefix("base_set.")) for c in out if c.what.startswith("base_set.")
    }
    for c in out:
        name, sep, key = c.what.partition(": ")
        if sep and name in shared:
            explained.add((name, key))
    out += _recipe_changes(a, b, shared, explained)
    sa, sb = trial_settings(a), trial_settings(b)
    if sa != sb:
        out.append(DefinitionDifference("trial settings", "; ".join(sa), "; ".join(sb)))
    out += mapping_changes("meta ", a.meta, b.meta)
    return tuple(out)
