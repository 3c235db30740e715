"""Target columns of a CSV file: class labels or real values.

``task`` says what a target column is. ``classification``: its distinct
values, sorted (numerically when all are numbers, else as strings), are the
classes. ``regression``: its values are float32 numbers. ``auto`` follows
scikit-learn's ``type_of_target``, which calls numbers that are not all
integers "continuous", and adds a count: a column of numbers is learned as
regression when a value is not an integer, or when it holds more than
:data:`MANY_VALUES` distinct integers that are more than half its rows
(e.g. ages or prices); a column holding text is always classification. An
automatic choice of regression, or of more than :data:`MANY_VALUES` classes,
is stated in one note naming the column, its distinct values and the option
that changes it.

A target cell that is missing, NaN or infinite is refused, naming its line.

Example:
    >>> from pathlib import Path
    >>> col = Column("w", ["0.2", "1.5", "0.2"], [2, 3, 4], Path("f.csv"))
    >>> t = read_target(col, "auto", ".", {""})
    >>> t.target.kind, t.values.dtype.name
    ('regression', 'float32')
    >>> print(t.note)  # doctest: +NORMALIZE_WHITESPACE
    target 'w': 2 distinct numeric values in 3 rows, learned as regression
    (data.options.task: classification to learn classes)
    >>> read_target(col, "classification", ".", {""}).target.classes
    ('0.2', '1.5')
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from trainlab.core.errors import DataError
from trainlab.data._bundle import Target
from trainlab.data.datasets.tabular._csv_cells import Column, parse_number

Task = Literal["auto", "classification", "regression"]
TASKS: tuple[str, ...] = get_args(Task)

#: more distinct integers than this (and than half the rows) make ``auto`` choose regression
MANY_VALUES = 20


@dataclass(frozen=True)
class TargetColumn:
    """A target column read: what it is, its (N,) labels or values, an automatic choice's note."""

    target: Target
    values: np.ndarray
    note: str | None = None


def read_target(col: Column, task: str, decimal: str, missing: Collection[str]) -> TargetColumn:
    """Read target column ``col`` as ``task`` (``auto``, ``classification`` or ``regression``).

    Raises:
        DataError: a missing, NaN or infinite target cell; text in a regression
            target; a value too large for float32.
    """
    numbers = _numbers(col, decimal, missing)
    if task == "regression":
        return _regression(col, numbers)
    if task == "classification" or any(n is None for n in numbers):
        return _classification(col, numbers)
    values = [float(n) for n in numbers if n is not None]
    distinct = len(set(values))
    rows = len(values)
    integral = all(v.is_integer() for v in values)
    if not integral or (distinct > MANY_VALUES and 2 * distinct > rows):
        note = (
            f"target {col.name!r}: {distinct} distinct numeric values in {rows} rows, learned "
            "as regression (data.options.task: classification to learn classes)"
        )
        out = _regression(col, numbers)
        return TargetColumn(out.target, out.values, note)
    out = _classification(col, numbers)
    if distinct > MANY_VALUES:
        note = (
            f"target {col.name!r}: {distinct} distinct integer values in {rows} rows, learned "
            f"as {distinct} classes (data.options.task: regression to learn values)"
        )
        return TargetColumn(out.target, out.values, note)
    return out


def _numbers(col: Column, decimal: str, missing: Collection[str]) -> list[float | None]:
    """Each cell as a finite number, or ``None`` for text; missing and non-finite cells refused."""
    out: list[float | None] = []
    for i, cell in enumerate(col.cells):
        if not cell:
            raise DataError(f"{col.where(i)}: empty target cell")
        if cell in missing:
            raise DataError(f"{col.where(i)}: missing target cell {cell!r} (every row needs one)")
        n = parse_number(cell, decimal)
        if n is not None and not math.isfinite(n):
            raise DataError(f"{col.where(i)}: the target {cell!r} is NaN or infinite")
        out.append(n)
    return out


def _regression(col: Column, numbers: list[float | None]) -> TargetColumn:
    for i, n in enumerate(numbers):
        if n is None:
            raise DataError(
                f"{col.where(i)}: not a number: {col.cells[i]!r} (a regression target holds "
                "numbers; data.options.task: classification learns classes)"
            )
    values = [float(n) for n in numbers if n is not None]
    return TargetColumn(Target(col.name, "regression"), _regression_values(col, values))


def _regression_values(col: Column, values: list[float]) -> np.ndarray:
    with np.errstate(over="ignore"):
        y = np.asarray(values, dtype=np.float64).astype(np.float32)
    bad = np.flatnonzero(~np.isfinite(y))
    if len(bad):
        i = int(bad[0])
        raise DataError(f"{col.where(i)}: the target {col.cells[i]!r} does not fit in float32")
    return y


def _classification(col: Column, numbers: list[float | None]) -> TargetColumn:
    classes, label_of = _class_names(col.cells, numbers)
    y = np.array([label_of[c] for c in col.cells], dtype=np.int64)
    return TargetColumn(Target(col.name, "classification", tuple(classes)), y)


def _class_names(cells: list[str], numbers: list[float | None]) -> tuple[list[str], dict[str, int]]:
    """Sorted class names and the label of each distinct raw value."""
    number_of = dict(zip(cells, numbers, strict=True))
    distinct = sorted(number_of)
    if all(number_of[v] is not None for v in distinct):
        by_value: dict[float, list[str]] = {}
        for raw in distinct:
            by_value.setdefault(float(number_of[raw]), []).append(raw)  # type: ignore[arg-type]
        ordered = sorted(by_value)
        names = [str(int(v)) if v.is_integer() else repr(v) for v in ordered]
        label = {raw: i for i, v in enumerate(ordered) for raw in by_value[v]}
        return names, label
    return distinct, {v: i for i, v in enumerate(distinct)}
