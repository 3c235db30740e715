"""A study store's trial rows: the typed record, and the JSON its columns hold.

JSON columns are canonical (sorted keys, compact separators), so that the same
recipe is always the same text and a changed study definition is detected by
comparing texts; NaN and ±Infinity are kept (a diverged trial's loss), and
numpy or torch values are stored as plain numbers and lists.

Example:
    >>> from trainlab.workflows.study.store_records import changed_keys, dumps, loads
    >>> dumps({"b": float("nan"), "a": [1, 2]})
    '{"a":[1,2],"b":NaN}'
    >>> loads(dumps({"x": 1})), loads(None)
    ({'x': 1}, None)
    >>> changed_keys({"model": {"dropout": 0.0}}, {"model": {"dropout": 0.5}})
    ['model.dropout']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from trainlab.workflows.study.store_schema import TABLES

#: the trials table's columns, in the order :func:`record_from_row` reads them
COLUMNS = ", ".join(TABLES["trials"])


@dataclass(frozen=True)
class TrialRecord:
    """One trial as stored, with its JSON columns decoded.

    ``started`` and ``ended`` are Unix times (``time.time()``) or None; the
    JSON columns are None until written. ``settings`` are those the trial ran
    under (``{"threads", "torch", "device"}``; None: not recorded, as in a
    store made by an older trainlab).
    """

    variant: str
    seed: int
    status: str
    recipe: dict[str, Any]
    started: float | None
    ended: float | None
    metrics: dict[str, Any] | None
    history: list[dict[str, Any]] | None
    diagnosis: dict[str, Any] | None
    probes: dict[str, Any] | None
    error: str | None
    attempts: int
    settings: dict[str, Any] | None = None


def _json_default(obj: Any) -> Any:
    """numpy and torch scalars and arrays (anything with ``tolist``) as plain values."""
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def dumps(value: Any) -> str | None:
    """Canonical JSON (sorted keys, NaN and ±Infinity allowed); None stays NULL."""
    if value is None:
        return None
    return json.dumps(
        value, allow_nan=True, sort_keys=True, separators=(",", ":"), default=_json_default
    )


def loads(text: str | None) -> Any:
    """Decode a JSON column; NULL is None."""
    return None if text is None else json.loads(text)


def changed_keys(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted keys whose values differ between two decoded recipes."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in sorted(set(old) | set(new), key=str):
            out += changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return out
    return [] if old == new else [prefix.rstrip(".") or "(recipe)"]


def record_from_row(r: Sequence[Any]) -> TrialRecord:
    """A ``SELECT {COLUMNS} FROM trials`` row as a :class:`TrialRecord`."""
    return TrialRecord(
        variant=r[0],
        seed=int(r[1]),
        status=r[2],
        recipe=loads(r[3]),
        started=r[4],
        ended=r[5],
        metrics=loads(r[6]),
        history=loads(r[7]),
        diagnosis=loads(r[8]),
        probes=loads(r[9]),
        error=r[10],
        attempts=int(r[11]),
        settings=loads(r[12]),
    )
