"""Tuning a strategy's strength (``trainlab tune``): Optuna over recipe keys, then a study.

:mod:`.space` (the search space) loads without PyTorch, so a bad ``--param``
fails at once; :mod:`.runner` (``run_tune``, ``verify``) is loaded on first use.

Example:
    >>> from trainlab.workflows.tune import parse_param
    >>> parse_param("model.dropout=float:0:0.5").high
    0.5
"""

from __future__ import annotations

import importlib
from typing import Any

from trainlab.workflows.tune.space import Param, parse_param

_RUNNER = ("TuneResult", "check_tune", "run_tune", "verify")

__all__ = ["Param", "TuneResult", "check_tune", "parse_param", "run_tune", "verify"]


def __getattr__(name: str) -> Any:
    if name in _RUNNER:
        return getattr(importlib.import_module("trainlab.workflows.tune.runner"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
