"""What a tracker does: parameters once, metrics per step, the final metrics at the end.

Example:
    >>> from trainlab.io.tracking.base import flatten, numeric
    >>> flatten({"optimizer": {"lr": 0.01, "betas": [0.9, 0.99]}, "seed": 0})
    {'optimizer.lr': 0.01, 'optimizer.betas': '[0.9, 0.99]', 'seed': 0}
    >>> numeric({"epoch": 3, "val_acc": 0.9, "verdict": "fits", "lr": float("nan")})
    {'epoch': 3.0, 'val_acc': 0.9}
"""

from __future__ import annotations

import importlib
import json
import math
from typing import Any

from trainlab.core.errors import ConfigError


class Tracker:
    """A destination of a run's parameters and metrics; :meth:`close` ends the run there."""

    def log_params(self, params: dict[str, Any]) -> None:
        raise NotImplementedError

    def log_metrics(self, step: int, metrics: dict[str, float]) -> None:
        raise NotImplementedError

    def close(self, final: dict[str, float]) -> None:
        raise NotImplementedError


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested recipe as ``section.key`` → value; lists and None as JSON text."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, bool | int | float | str):
            out[name] = value
        else:
            out[name] = json.dumps(value)
    return out


def numeric(row: dict[str, Any]) -> dict[str, float]:
    """The finite numbers of a history row or metrics (text, NaN and lists left out)."""
    out = {}
    for key, value in row.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if math.isfinite(value):
            out[key] = float(value)
    return out


def need(module: str, key: str) -> Any:
    """Import ``module`` for ``track.KEY``, or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            f"track.{key}: needs the {module.split('.')[0]} package, which is not installed; "
            "pip install 'trainlab[track]' (or set it to null)"
        ) from None
