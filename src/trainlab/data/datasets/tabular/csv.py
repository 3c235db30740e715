"""Tabular data from a delimited text file with a header row (RFC 4180 CSV).

Every feature column must be numeric and finite; the target column may hold
numbers or strings. The distinct target values, sorted (numerically when all
are numbers, else as strings), become the classes.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.data.datasets import load_dataset
    >>> p = Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("a,b,label\\n1,2,cat\\n3,4,dog\\n5,6,cat\\n")
    >>> b = load_dataset("csv", {"path": str(p), "target": "label"})
    >>> b.train.x.tolist(), b.train.y.tolist(), b.classes, b.feature_names
    ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [0, 1, 0], ['cat', 'dog'], ['a', 'b'])
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import ArrayData, DataBundle


def _number(text: str) -> float | None:
    """``float(text)``, or ``None`` when ``text`` is not a number."""
    try:
        return float(text)
    except ValueError:
        return None


def _class_names(values: list[str]) -> tuple[list[str], dict[str, int]]:
    """Sorted class names and the label of each distinct raw value."""
    distinct = sorted(set(values))
    numbers = {v: _number(v) for v in distinct}
    if all(n is not None and math.isfinite(n) for n in numbers.values()):
        by_value: dict[float, list[str]] = {}
        for raw, num in numbers.items():
            by_value.setdefault(float(num), []).append(raw)  # type: ignore[arg-type]
        ordered = sorted(by_value)
        names = [str(int(v)) if v.is_integer() else repr(v) for v in ordered]
        label = {raw: i for i, v in enumerate(ordered) for raw in by_value[v]}
        return names, label
    return distinct, {v: i for i, v in enumerate(distinct)}


def load_csv(
    *,
    path: str | Path,
    target: str,
    columns: list[str] | None = None,
    delimiter: str = ",",
) -> DataBundle:
    """A CSV file with a header row: numeric feature columns and a target column.

    Args:
        path: the file (UTF-8, an optional byte-order mark is ignored).
        target: the name of the label column.
        columns: the feature columns, in this order; default every column but
            the target.
        delimiter: one character separating the fields (``"\\t"`` for TSV).

    Returns:
        A tabular bundle, ``x`` float32 ``(N, F)``, without a test split.

    Raises:
        DataError: naming the file, line and column of the first bad cell; or
            the file is missing, empty, or has no target column.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "d.csv"
        >>> _ = p.write_text("x;y\\n0.5;10\\n1.5;2\\n")
        >>> b = load_csv(path=p, target="y", delimiter=";")
        >>> b.classes, b.train.y.tolist()
        (['2', '10'], [1, 0])
    """
    _check_delimiter(delimiter)
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"{path}: no such file" + (" (a folder)" if path.is_dir() else ""))
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            header = _read_header(reader, path)
            features = _feature_columns(header, target, columns, path)
            rows, targets, lines = _read_rows(reader, path, header, features, target)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: malformed CSV ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not rows:
        raise DataError(f"{path}: no data rows after the header")
    x32 = _as_float32(rows, lines, features, path)
    classes, label_of = _class_names(targets)
    y = np.array([label_of[t] for t in targets], dtype=np.int64)
    return DataBundle(
        name="csv",
        modality="tabular",
        train=ArrayData(x32, y),
        classes=classes,
        feature_names=features,
        source=str(path),
    )


def _check_delimiter(delimiter: str) -> None:
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ConfigError(
            f"data.options.delimiter: expected one character (not a quote or newline), "
            f"got {delimiter!r}"
        )


def _read_header(reader: Any, path: Path) -> list[str]:
    """The first non-blank row, stripped: distinct, non-empty column names."""
    header = next(reader, None)
    while header is not None and not any(h.strip() for h in header):
        header = next(reader, None)  # leading blank lines
    if header is None:
        raise DataError(f"{path}: the file is empty (expected a header row)")
    header = [h.strip() for h in header]
    header_line = reader.line_num
    seen: set[str] = set()
    for name in header:
        if not name:
            raise DataError(f"{path} line {header_line}: a column has an empty name")
        if name in seen:
            raise DataError(f"{path} line {header_line}: column {name!r} appears twice")
        seen.add(name)
    return header


def _feature_columns(
    header: list[str], target: str, columns: list[str] | None, path: Path
) -> list[str]:
    """The feature columns: ``columns`` as given (checked), or every column but the target."""
    if target not in header:
        raise DataError(
            f"{path}: no target column {target!r}; the columns are: {', '.join(header)}"
        )
    if columns is None:
        features = [h for h in header if h != target]
    else:
        features = list(columns)
        unknown = [c for c in features if c not in header]
        if unknown:
            raise DataError(
                f"{path}: no column {unknown[0]!r}; the columns are: {', '.join(header)}"
            )
        if target in features:
            raise ConfigError(
                f"data.options.columns: the target column {target!r} cannot be a feature"
            )
        if len(set(features)) != len(features):
            raise ConfigError("data.options.columns: a column is listed twice")
    if not features:
        raise DataError(f"{path}: no feature columns besides the target {target!r}")
    return features


def _read_rows(
    reader: Any, path: Path, header: list[str], features: list[str], target: str
) -> tuple[list[list[float]], list[str], list[int]]:
    """Feature values, target labels and line numbers of the data rows (blank lines skipped)."""
    where = [header.index(c) for c in features]
    t_at = header.index(target)
    rows: list[list[float]] = []
    targets: list[str] = []
    lines: list[int] = []
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        line = reader.line_num
        if len(row) != len(header):
            raise DataError(
                f"{path} line {line}: {len(row)} fields, expected {len(header)} (as in the header)"
            )
        values = [
            _cell_value(row[i].strip(), path, line, name)
            for i, name in zip(where, features, strict=True)
        ]
        label = row[t_at].strip()
        if not label:
            raise DataError(f"{path} line {line}, column {target!r}: empty target cell")
        rows.append(values)
        targets.append(label)
        lines.append(line)
    return rows, targets, lines


def _cell_value(cell: str, path: Path, line: int, name: str) -> float:
    """A feature cell as a finite number; ``DataError`` naming the line and column otherwise."""
    if not cell:
        raise DataError(f"{path} line {line}, column {name!r}: empty cell")
    value = _number(cell)
    if value is None:
        raise DataError(f"{path} line {line}, column {name!r}: not a number: {cell!r}")
    if not math.isfinite(value):
        raise DataError(
            f"{path} line {line}, column {name!r}: {cell!r} is not a finite "
            "number (NaN or infinite)"
        )
    return value


def _as_float32(
    rows: list[list[float]], lines: list[int], features: list[str], path: Path
) -> np.ndarray:
    """The (N, F) float32 features; ``DataError`` naming the first value float32 cannot hold."""
    x = np.asarray(rows, dtype=np.float64)
    with np.errstate(over="ignore"):
        x32 = x.astype(np.float32)
    bad = np.argwhere(~np.isfinite(x32))
    if len(bad):
        r, c = bad[0]
        raise DataError(
            f"{path} line {lines[r]}, column {features[c]!r}: {x[r, c]!r} does not fit in float32"
        )
    return x32
