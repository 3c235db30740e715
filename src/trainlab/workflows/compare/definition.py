"""A study's definition as stored (``spec`` in the study store's meta) or as loaded from YAML.

:class:`~trainlab.workflows.study.spec.StudySpec` validates a study and loads
its base recipe; a stored definition is read back as plain data instead,
because the base it names (a recipe file, a built-in recipe of another
trainlab version) may not exist, or not be the same, where the folder is read.
Both become the same :class:`~trainlab.report.definition.StudyDefinition`.

A variant's reference follows the study's rule: its ``against`` when given (a
variant that names itself is a reference), else the baseline; the baseline is a
reference.

Example:
    >>> from trainlab.workflows.compare.definition import definition_from_dict
    >>> d = definition_from_dict({
    ...     "name": "demo", "base": "wine-mlp", "baseline": "baseline", "metric": "test_acc",
    ...     "higher_is_better": True, "seeds": [0, 1], "probes": False,
    ...     "variants": {"baseline": {}, "deep": {"set": {"model.widths": [64, 64]},
    ...                                        "against": "deep"},
    ...                  "dropout": {"model.dropout": 0.5}},
    ... })
    >>> [(v.name, v.against) for v in d.variants], dict(d.extra)
    ([('baseline', None), ('deep', None), ('dropout', 'baseline')], {'probes': False})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from trainlab.core.errors import ConfigError
from trainlab.report.definition import StudyDefinition, VariantDefinition

if TYPE_CHECKING:
    from trainlab.workflows.study.spec import StudySpec

#: the keys every stored definition has (``StudySpec.to_dict`` writes them all)
REQUIRED = ("name", "base", "baseline", "metric", "higher_is_better", "seeds", "variants")
#: keys read into their own fields; any other key of the definition goes to ``extra``
_FIELDS = (*REQUIRED, "description", "base_set")


def definition_from_dict(data: Any, source: str = "study") -> StudyDefinition:
    """The :class:`StudyDefinition` of a stored (or dumped) study definition.

    Args:
        data: the mapping ``StudySpec.to_dict`` makes.
        source: where it comes from, for errors.

    Raises:
        ConfigError: it is not a mapping, lacks a required key, or its variants or
            seeds are not what a study holds.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: the study definition is not a mapping")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise ConfigError(
            f"{source}: the study definition lacks {', '.join(missing)}; "
            "expected one written by trainlab study"
        )
    variants, seeds = data["variants"], data["seeds"]
    if not isinstance(variants, Mapping) or not variants:
        raise ConfigError(f"{source}: variants: expected a mapping of variant names")
    if not isinstance(seeds, list) or not all(isinstance(s, int) for s in seeds):
        raise ConfigError(f"{source}: seeds: expected a list of integers, got {seeds!r}")
    baseline = str(data["baseline"])
    try:
        return StudyDefinition(
            name=str(data["name"]),
            description=str(data.get("description") or ""),
            base=data["base"],
            base_set=dict(data.get("base_set") or {}),
            baseline=baseline,
            metric=None if data["metric"] is None else str(data["metric"]),
            higher_is_better=_direction(data["higher_is_better"]),
            seeds=tuple(seeds),
            variants=tuple(
                _variant(str(name), value, baseline, source) for name, value in variants.items()
            ),
            extra={k: v for k, v in data.items() if k not in _FIELDS},
        )
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _direction(value: Any) -> bool | None:
    """A stored ``higher_is_better``; None (a study file that leaves it to the metric) stays."""
    return None if value is None else bool(value)


def definition_of(spec: StudySpec) -> StudyDefinition:
    """The :class:`StudyDefinition` of a loaded study (with its ``--set`` in ``base_set``)."""
    return definition_from_dict(spec.to_dict(), spec.source)


def _variant(name: str, value: Any, baseline: str, source: str) -> VariantDefinition:
    """One variant: ``{key: value}`` overrides, or ``{set: …, against: …, description: …}``."""
    value = {} if value is None else value
    if not isinstance(value, Mapping):
        raise ConfigError(f"{source}: variants.{name}: expected a mapping of recipe overrides")
    if "set" in value:
        overrides, against = value.get("set") or {}, value.get("against")
        description = str(value.get("description") or "")
    else:
        overrides, against, description = value, None, ""
    if against is None and name != baseline:
        against = baseline
    return VariantDefinition(
        name=name,
        overrides=dict(overrides),
        against=None if against in (None, name) else str(against),
        description=description,
    )
