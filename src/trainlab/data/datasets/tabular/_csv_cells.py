"""Cells of a CSV file: numbers in either decimal convention, and the kind of each feature column.

A feature column is **numeric** when every cell that is not a missing marker
is a number; it is **text** (categorical) when most of them are not numbers,
and then every cell is kept as its text (a ``3`` among ``red`` and ``blue`` is
the category ``"3"``). A column that is mostly numbers with a few text cells is
refused, naming the first such cell: it is a typo or an unlisted missing
marker far more often than a category. Missing cells become ``None``.

Example:
    >>> from pathlib import Path
    >>> col = Column("size", ["1,5", "", "2"], [2, 3, 4], Path("d.csv"))
    >>> col.values(",", frozenset({""}))
    [1.5, None, 2.0]
    >>> text = Column("colour", ["red", "NA", "blue", "3"], [2, 3, 4, 5], Path("d.csv"))
    >>> text.values(".", {"NA"})
    ['red', None, 'blue', '3']
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainlab.core.errors import DataError
from trainlab.core.words import count

#: by the decimal option: a number written in the other convention (``1.234,5`` under ``.``)
_OTHER_CONVENTION = {
    ".": re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+)?(,\d+)?([eE][+-]?\d+)?"),  # 1.234,5
    ",": re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?([eE][+-]?\d+)?"),  # 1,234.5
}

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def parse_number(text: str, decimal: str = ".") -> float | None:
    """``text`` as a float in the file's decimal convention, or ``None`` when it is not a number.

    With ``decimal=","`` a cell holding ``.`` is not a number (``1.500`` would
    be a thousands separator there, never silently 1.5).

    Example:
        >>> parse_number("1,5", ","), parse_number("1.5", ","), parse_number("1.5")
        (1.5, None, 1.5)
    """
    if decimal == ",":
        if "." in text:
            return None
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _overflows_float32(v: float) -> bool:
    with np.errstate(over="ignore"):
        return math.isinf(float(np.float32(v)))


@dataclass(frozen=True)
class Column:
    """One column's stripped cells, the file lines they come from, and where to point errors."""

    name: str
    cells: list[str]
    lines: list[int]
    path: Path

    def where(self, i: int) -> str:
        """``PATH line L, column 'NAME'`` for cell ``i``."""
        return f"{self.path} line {self.lines[i]}, column {self.name!r}"

    def values(self, decimal: str, missing: Collection[str]) -> list[float | str | None]:
        """The column as floats (numeric) or strings (text), ``None`` for missing cells.

        Raises:
            DataError: an empty cell that is not a missing marker, a NaN or
                infinite number, a number too large for float32, a text cell in
                a column of numbers, numbers written with the other decimal
                convention, or a column with no values at all.
        """
        numbers: list[float | None] = []
        present = 0
        for i, cell in enumerate(self.cells):
            if cell in missing:
                numbers.append(None)
                continue
            if not cell:
                raise DataError(f"{self.where(i)}: empty cell")
            present += 1
            numbers.append(parse_number(cell, decimal))
        if present == 0:
            raise DataError(
                f"{self.path}: column {self.name!r} has only missing cells; "
                "leave it out with data.options.columns"
            )
        text = [
            i
            for i, (c, n) in enumerate(zip(self.cells, numbers, strict=True))
            if n is None and c not in missing
        ]
        if not text:
            return self._checked_numbers(numbers)
        if 2 * len(text) <= present:
            self._refuse_text_cell(text[0], present - len(text))
        self._refuse_other_decimal(decimal, missing)
        return [None if c in missing else c for c in self.cells]

    def _checked_numbers(self, numbers: list[float | None]) -> list[float | None]:
        for i, v in enumerate(numbers):
            if v is None:
                continue
            if not math.isfinite(v):
                raise DataError(
                    f"{self.where(i)}: {self.cells[i]!r} is not a finite number (NaN or "
                    "infinite; list it in data.options.missing if it marks a missing cell)"
                )
            if abs(v) > _FLOAT32_MAX and _overflows_float32(v):
                raise DataError(f"{self.where(i)}: {self.cells[i]!r} does not fit in float32")
        return numbers

    def _refuse_text_cell(self, i: int, numbers: int) -> None:
        cell = self.cells[i]
        raise DataError(
            f"{self.where(i)}: not a number: {cell!r} ({count(numbers, 'other cell')} of the "
            f"column {'is a number' if numbers == 1 else 'are numbers'}; list {cell!r} in "
            "data.options.missing if it marks a missing cell)"
        )

    def _refuse_other_decimal(self, decimal: str, missing: Collection[str]) -> None:
        """A text column whose every cell looks like a number: the decimal option is wrong."""
        present = [(i, c) for i, c in enumerate(self.cells) if c not in missing]
        pattern = _OTHER_CONVENTION[decimal]
        if all(pattern.fullmatch(c) and any(ch.isdigit() for ch in c) for _, c in present):
            i, cell = next((i, c) for i, c in present if parse_number(c, decimal) is None)
            other = "," if decimal == "." else "."
            raise DataError(
                f"{self.where(i)}: {cell!r} is not a number with data.options.decimal "
                f"{decimal!r}; set data.options.decimal: {other!r} if the file writes "
                "numbers so (thousands separators are not read)"
            )
