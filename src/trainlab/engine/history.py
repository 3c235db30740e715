"""Per-epoch history: one row per epoch, written as CSV.

Example:
    >>> from trainlab.engine.history import History
    >>> h = History()
    >>> h.append({"epoch": 1, "train_loss": 0.5})
    >>> h.column("train_loss")
    [0.5]
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

#: columns first in the CSV, in this order; others follow alphabetically
CORE_COLUMNS = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"]


class History:
    """A list of epoch rows (dicts of numbers)."""

    def __init__(self, rows: list[dict[str, Any]] | None = None) -> None:
        self.rows: list[dict[str, Any]] = [dict(r) for r in rows or []]

    def append(self, row: dict[str, Any]) -> None:
        """Add an epoch's row (kept by reference, so callbacks may extend it)."""
        self.rows.append(row)

    def column(self, key: str) -> list[float]:
        return [float(r.get(key, math.nan)) for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def columns(self) -> list[str]:
        keys = {k for r in self.rows for k in r}
        extra = sorted(keys - set(CORE_COLUMNS))
        return [c for c in CORE_COLUMNS if c in keys] + extra

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.columns(), lineterminator="\n")
        writer.writeheader()
        for r in self.rows:
            writer.writerow({k: _fmt(v) for k, v in r.items()})
        return buf.getvalue()

    def save_csv(self, path: str | Path) -> None:
        Path(path).write_text(self.to_csv(), encoding="utf-8")

    @classmethod
    def read_csv(cls, path: str | Path) -> History:
        with open(path, newline="", encoding="utf-8") as f:
            rows = [{k: _parse(v) for k, v in r.items() if v != ""} for r in csv.DictReader(f)]
        return cls(rows)


def _fmt(v: Any) -> Any:
    return f"{v:.6g}" if isinstance(v, float) else v


def _parse(v: str) -> Any:
    try:
        f = float(v)
    except ValueError:
        return v
    return int(f) if f.is_integer() and "." not in v and "e" not in v.lower() else f
