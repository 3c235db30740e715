"""Study definitions: a base recipe, named variants (recipe overrides) and seeds.

A variant is a set of overrides on the base recipe, the way scikit-learn's
``set_params`` makes a grid search plain data: toggling a strategy never needs
code. A variant may combine several strategies, and may name the variant it is
compared against (``against``; default: the study's baseline), so one study can
hold several comparisons (regularizers against a shallow baseline, init
schemes against a deep one).

A study compares its ``metric``, any metric its trials report
(``test_rmse``, ``test_parity_acc`` of one task of a multitask recipe); by
default the base recipe's task's primary test metric (``test_acc`` for a
classification, ``test_rmse`` for a regression, ``test_<main>_<metric>`` for
multitask learning), which needs the data's targets, so it is chosen when the
study runs (:mod:`~trainlab.workflows.study.metric`), never when a spec is read.
``higher_is_better`` defaults to the metric's own direction (accuracy and R²
higher, RMSE, MAE and losses lower); a stated one wins.

Example:
    >>> from trainlab.workflows.study.spec import StudySpec
    >>> spec = StudySpec.from_dict({
    ...     "name": "demo", "base": "wine-mlp", "seeds": [0, 1],
    ...     "variants": {"baseline": {}, "dropout": {"model.dropout": 0.5}},
    ... })
    >>> [v.name for v in spec.variants], spec.recipe_for("dropout", 1).model.dropout
    (['baseline', 'dropout'], 0.5)
    >>> spec.metric is None, spec.with_metric("test_acc", True).to_dict()["metric"]
    (True, 'test_acc')
    >>> StudySpec.from_dict({"name": "l", "metric": "test_loss", "variants": {"baseline": {}}}
    ...                     ).higher_is_better
    False
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from trainlab.config.recipe import Recipe, describe_validation_error
from trainlab.core.errors import ConfigError
from trainlab.core.yamlio import parse_yaml, read_named

_VARIANT_KEYS = {"set", "against", "description"}


@dataclass(frozen=True)
class Variant:
    """One arm of a study: overrides on the base recipe, and what it is compared against."""

    name: str
    overrides: dict[str, Any] = field(default_factory=dict)
    against: str | None = None
    description: str = ""


class _SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    #: a built-in recipe name, a recipe file, or an inline recipe mapping
    base: str | dict[str, Any] = "digits-cnn"
    #: overrides applied to the base before every variant's own
    base_set: dict[str, Any] = Field(default_factory=dict)
    baseline: str = "baseline"
    #: the compared metric (None: the base recipe's task's primary test metric)
    metric: str | None = Field(default=None, min_length=1)
    #: its direction (None: the metric's own)
    higher_is_better: bool | None = None
    seeds: list[int] | None = None
    repeats: int | None = Field(default=None, ge=1)
    #: record per-layer activation and gradient statistics in every trial
    probes: bool = True
    #: save the trained model of these variants (true: all) as models/<variant>-seed<seed>
    save_models: bool | list[str] = False
    #: CPU threads of every trial whose recipe sets no train.threads (never from --workers)
    threads: int = Field(default=1, ge=1)
    #: the family-wise correction of the study's p-values (holm, bh, bonferroni, none)
    correction: str = "holm"
    #: the error rate the verdicts keep (family-wise for holm and bonferroni, FDR for bh)
    alpha: float = Field(default=0.05, gt=0.0, lt=1.0)
    variants: dict[str, Any]

    @field_validator("seeds")
    @classmethod
    def _seeds(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and len(v) == 0:
            raise ValueError("a study needs at least one seed")
        if v is not None and len(set(v)) != len(v):
            raise ValueError(f"seeds repeat: {v}")
        return v


class StudySpec:
    """A validated study: every variant's recipe is checked when the spec is built."""

    def __init__(self, model: _SpecModel, source: str = "study") -> None:
        self.name = model.name
        self.description = model.description
        self.baseline = model.baseline
        #: the compared metric; None until the study chooses its task's primary one
        self.metric: str | None = model.metric
        #: the metric's direction; None while the metric is not chosen (and none is stated)
        self.higher_is_better: bool | None = model.higher_is_better
        if self.metric is not None and self.higher_is_better is None:
            self.higher_is_better = _direction(self.metric, source)
        self.probes = model.probes
        #: CPU threads of a trial whose recipe sets no ``train.threads``
        self.threads = model.threads
        #: the correction's canonical name and the study's level
        self.correction = _correction(model.correction, source)
        self.alpha = model.alpha
        self.source = source
        self._raw = model
        if model.seeds is not None and model.repeats is not None:
            raise ConfigError(f"{source}: give seeds or repeats, not both")
        self.seeds = model.seeds if model.seeds is not None else list(range(model.repeats or 3))
        #: the base as written (a recipe name, file or mapping), for re-validation
        self.base_source = model.base
        self.base = self._load_base(model.base, source).override(dict(model.base_set))
        self.variants = [self._variant(n, v, source) for n, v in model.variants.items()]
        names = [v.name for v in self.variants]
        if self.baseline not in names:
            raise ConfigError(
                f"{source}: baseline {self.baseline!r} is not a variant; "
                f"variants: {', '.join(names)}"
            )
        saved = model.save_models
        unknown = [n for n in saved if n not in names] if isinstance(saved, list) else []
        if unknown:
            raise ConfigError(f"{source}: save_models: no variant named {unknown[0]!r}")
        #: the variants whose trained models are kept in the study folder
        self.saved_variants = set(names) if saved is True else set(saved or [])
        for v in self.variants:
            if v.against is not None and v.against not in names:
                raise ConfigError(
                    f"{source}: variants.{v.name}.against: no variant named {v.against!r}"
                )
            for seed in self.seeds[:1]:
                self.recipe_for(v.name, seed)  # every variant must make a valid recipe

    # -- construction --------------------------------------------------------------------
    @staticmethod
    def _load_base(base: str | dict[str, Any], source: str) -> Recipe:
        if isinstance(base, dict):
            return Recipe.from_dict(base, source=f"{source}: base")
        beside = Path(source).parent / base  # a recipe file next to the study file
        return Recipe.load(beside if not Path(base).exists() and beside.is_file() else base)

    @staticmethod
    def _variant(name: str, value: Any, source: str) -> Variant:
        where = f"{source}: variants.{name}"
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping of recipe overrides")
        if "set" in value:
            extra = set(value) - _VARIANT_KEYS
            if extra:
                raise ConfigError(
                    f"{where}: unknown key {sorted(extra)[0]!r}; expected set, against, description"
                )
            overrides = value.get("set") or {}
            if not isinstance(overrides, dict):
                raise ConfigError(f"{where}.set: expected a mapping of recipe overrides")
            return Variant(
                name, dict(overrides), value.get("against"), str(value.get("description", ""))
            )
        return Variant(name, dict(value))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "study") -> StudySpec:
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: expected a mapping")
        try:
            model = _SpecModel.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(f"{source}: {_describe(exc)}") from None
        return cls(model, source)

    @classmethod
    def from_yaml_text(cls, text: str, *, source: str = "study") -> StudySpec:
        return cls.from_dict(parse_yaml(text, source=source), source=source)

    @classmethod
    def load(cls, path: str | Path) -> StudySpec:
        """Read a study file, or a built-in study by name (see ``trainlab studies``)."""
        from trainlab.workflows.study.builtin import builtin_study_path

        text, p = read_named(path, builtin_study_path, "study", "trainlab studies")
        return cls.from_yaml_text(text, source=str(p))

    # -- use -------------------------------------------------------------------------------
    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        raise ConfigError(f"no variant {name!r} in study {self.name!r}")

    def against(self, name: str) -> str | None:
        """The variant ``name`` is compared against (None for the baseline itself)."""
        v = self.variant(name)
        if v.against is not None:
            return v.against
        return None if name == self.baseline else self.baseline

    def recipe_for(self, variant: str, seed: int) -> Recipe:
        """The base recipe with the variant's overrides and the seed."""
        v = self.variant(variant)
        try:
            recipe = self.base.override(v.overrides)
        except ConfigError as exc:
            raise ConfigError(f"{self.source}: variants.{variant}: {exc}") from None
        return recipe.override({"seed": seed, "name": f"{self.name}-{variant}"})

    def trials(self) -> list[tuple[str, int, Recipe]]:
        """Every (variant, seed, recipe), seeds outermost so early results cover all variants."""
        return [(v.name, s, self.recipe_for(v.name, s)) for s in self.seeds for v in self.variants]

    def with_metric(self, metric: str, higher_is_better: bool) -> StudySpec:
        """This study comparing ``metric`` in the direction ``higher_is_better`` (a copy)."""
        out = copy.copy(self)
        out.metric, out.higher_is_better = metric, bool(higher_is_better)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The study as stored: the metric and direction as chosen (None: not chosen yet)."""
        d = self._raw.model_dump(mode="json")
        d["seeds"] = list(self.seeds)
        d["metric"], d["higher_is_better"] = self.metric, self.higher_is_better
        d.pop("repeats", None)
        return d


def _direction(metric: str, source: str) -> bool:
    """The direction of a task's metric, from its name (no PyTorch needed)."""
    from trainlab.report.study_units import KIND_DIRECTIONS, known_direction

    found = known_direction(metric)
    if found is None:
        raise ConfigError(
            f"{source}: metric {metric!r}: its direction is unknown (a task's metric ends in "
            f"{', '.join(KIND_DIRECTIONS)}); set higher_is_better: true or false"
        )
    return found


def _correction(name: str, source: str) -> str:
    from trainlab.stats.multiplicity import CORRECTIONS

    try:
        return CORRECTIONS.canonical(name)
    except ConfigError as exc:
        raise ConfigError(f"{source}: correction: {exc}") from None


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        return f"unknown key {loc!r}; expected one of: {', '.join(_SpecModel.model_fields)}"
    if first["type"] == "missing":
        return f"{loc}: required key is missing"
    return describe_validation_error(exc)
