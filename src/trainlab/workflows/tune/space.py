"""The search space of ``trainlab tune``: one ``--param KEY=KIND:…`` per recipe key.

========================  ==========================================
``KEY=float:LOW:HIGH``    uniform in [LOW, HIGH]
``KEY=log:LOW:HIGH``      log-uniform in [LOW, HIGH] (LOW > 0): an L2 λ, a learning rate
``KEY=int:LOW:HIGH``      an integer in [LOW, HIGH]
``KEY=choice:A,B,C``      one of the values (parsed as YAML: ``0.1``, ``true``, ``adam``)
========================  ==========================================

Example:
    >>> from trainlab.workflows.tune.space import parse_param
    >>> p = parse_param("regularization.l2=log:1e-5:1e-2")
    >>> p.key, p.kind, p.low, p.high
    ('regularization.l2', 'log', 1e-05, 0.01)
    >>> parse_param("optimizer.name=choice:adam,sgd").choices
    ('adam', 'sgd')
    >>> try:
    ...     parse_param("model.dropout=float:0.5:0.5")
    ... except ValueError as e:
    ...     print(e)
    --param model.dropout=float:0.5:0.5: an empty range; expected LOW < HIGH
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from trainlab.core.errors import ConfigError

KINDS = ("float", "log", "int", "choice")


@dataclass(frozen=True)
class Param:
    """One tuned recipe key and its range (or choices)."""

    key: str
    kind: str
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()

    def suggest(self, trial: Any) -> Any:
        """The value an Optuna trial draws for this key."""
        if self.kind == "choice":
            return trial.suggest_categorical(self.key, list(self.choices))
        if self.kind == "int":
            return trial.suggest_int(self.key, int(self.low), int(self.high))
        return trial.suggest_float(self.key, self.low, self.high, log=self.kind == "log")

    @property
    def example(self) -> Any:
        """A value inside the range, to check the key against a recipe before tuning."""
        if self.kind == "choice":
            return self.choices[0]
        return int(self.low) if self.kind == "int" else self.low


def shown_params(values: dict[str, Any]) -> str:
    """Tuned values as one line: ``model.dropout=0.2744, optimizer.name=adam``.

    Example:
        >>> shown_params({"model.dropout": 0.274418, "optimizer.name": "adam"})
        'model.dropout=0.2744, optimizer.name=adam'
    """
    return ", ".join(
        f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()
    )


def parse_param(text: str) -> Param:
    """``KEY=KIND:…`` as a :class:`Param`.

    Raises:
        ConfigError: no ``=``, an unknown kind, bounds that are not numbers, an empty range.
    """
    where = f"--param {text}"
    key, eq, spec = text.partition("=")
    kind, _, rest = spec.partition(":")
    if not eq or not key.strip() or kind not in KINDS:
        raise ConfigError(
            f"{where}: expected KEY=KIND:…, KIND one of {', '.join(KINDS)} "
            "(e.g. model.dropout=float:0:0.5, regularization.l2=log:1e-5:1e-2)"
        )
    key = key.strip()
    if kind == "choice":
        choices = tuple(yaml.safe_load(v) for v in rest.split(",") if v.strip())
        if len(choices) < 2:
            raise ConfigError(f"{where}: choice needs at least two values, e.g. choice:adam,sgd")
        return Param(key, kind, choices=choices)
    try:
        low_text, high_text = rest.split(":")
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise ConfigError(f"{where}: expected {kind}:LOW:HIGH with two numbers") from None
    if not low < high:
        raise ConfigError(f"{where}: an empty range; expected LOW < HIGH")
    if kind == "log" and low <= 0:
        raise ConfigError(f"{where}: a log range needs LOW > 0")
    if kind == "int" and (low != int(low) or high != int(high)):
        raise ConfigError(f"{where}: int bounds must be whole numbers")
    return Param(key, kind, low, high)
