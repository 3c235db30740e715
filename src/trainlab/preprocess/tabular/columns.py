"""What the columns of a table are, read from their values.

A table is an ``(N, F)`` array: float (numbers only), or object holding
floats, strings and missing cells (``None`` or a float NaN, as scikit-learn's
``SimpleImputer`` reads ``np.nan``). A column whose present values are all
strings is **categorical**; one whose present values are all numbers is
**numeric** (also when every cell is missing); a column mixing both is
refused, as scikit-learn's encoders refuse it.

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0, "red"], [None, "blue"]], dtype=object)
    >>> column_kinds(x, ["size", "colour"]), missing_mask(x).tolist()
    (['numeric', 'categorical'], [[False, False], [True, False]])
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Literal

import numpy as np

from trainlab.core.errors import DataError

ColumnKind = Literal["numeric", "categorical"]


def is_missing(value: Any) -> bool:
    """Whether a cell is missing: ``None`` or a float NaN.

    Example:
        >>> is_missing(None), is_missing(float("nan")), is_missing(""), is_missing(0.0)
        (True, True, False, False)
    """
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_number(value: Any) -> bool:
    """Whether a cell is a number (a bool is not).

    Example:
        >>> is_number(1.5), is_number(np.int64(2)), is_number("3"), is_number(True)
        (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def as_table(x: Any, what: str) -> np.ndarray:
    """``x`` as a 2-D object array (a copy for float input)."""
    a = np.asarray(x)
    if a.ndim != 2:
        raise DataError(f"tabular {what}: expected a table (N, F), got shape {a.shape}")
    return a if a.dtype == object else a.astype(object)


def column_names(names: list[str] | None, width: int) -> list[str]:
    """``names``, checked against the table's width, or ``x0``, ``x1``, … (as scikit-learn)."""
    if names is None:
        return [f"x{j}" for j in range(width)]
    names = [str(n) for n in names]
    if len(names) != width:
        raise DataError(f"tabular fit: {len(names)} feature names for {width} columns")
    return names


def missing_mask(x: np.ndarray) -> np.ndarray:
    """The (N, F) boolean mask of missing cells of an object table.

    Example:
        >>> missing_mask(np.array([[None, 1.0]], dtype=object)).tolist()
        [[True, False]]
    """
    return np.frompyfunc(is_missing, 1, 1)(x).astype(bool) if x.size else np.zeros(x.shape, bool)


def column_kinds(x: np.ndarray, names: list[str]) -> list[ColumnKind]:
    """Each column's kind, from its present values.

    Raises:
        DataError: a column holds both text and numbers, or a value that is neither.
    """
    kinds: list[ColumnKind] = []
    for j, name in enumerate(names):
        present = [v for v in x[:, j] if not is_missing(v)]
        text = [v for v in present if isinstance(v, str)]
        nums = [v for v in present if is_number(v)]
        other = [v for v in present if not isinstance(v, str) and not is_number(v)]
        if other:
            raise DataError(
                f"column {name!r}: {other[0]!r} is neither a number nor text "
                "(expected numbers, strings or missing cells)"
            )
        if text and nums:
            raise DataError(
                f"column {name!r} mixes text and numbers (e.g. {text[0]!r} and {nums[0]!r}); "
                "expected one kind per column"
            )
        kinds.append("categorical" if text else "numeric")
    return kinds


def as_text(value: Any) -> str:
    """A category's name: a string as it is, a number as written (``3``, ``2.5``).

    Example:
        >>> as_text("red"), as_text(3.0), as_text(2.5)
        ('red', '3', '2.5')
    """
    if isinstance(value, str):
        return value
    v = float(value)
    return str(int(v)) if v.is_integer() else repr(v)
