"""Tabular data from a delimited text file with a header row (RFC 4180 CSV).

Features: a column of numbers is numeric; a column of text is categorical,
kept as strings for the preprocessing to encode (``preprocess.categorical``,
one-hot or ordinal, fitted on the training split); a cell equal to one of the
``missing`` markers (by default empty, ``?``, ``NA``, ``N/A``, ``n/a``,
``null``, ``NULL``, ``None``, ``none``; compared exactly, after stripping
spaces) is missing, filled by ``preprocess.impute`` or refused there. A table
of numbers only, with no missing cell, is a float32 ``(N, F)`` array; any text
or missing cell makes ``x`` an object ``(N, F)`` array of floats, strings and
``None``. See :mod:`~trainlab.data.datasets.tabular._csv_cells` for the rule
that tells a column's kind.

Targets: one column or several (the first is the main target, the others go
to ``train.extra``), each learned as classification or regression by the
``task`` option (see :mod:`~trainlab.data.datasets.tabular._csv_targets` for
the automatic choice, stated in ``bundle.notes``).

Spanish and other locales write ``1,5`` for 1.5 and separate the fields by
``;``: set ``decimal: ","`` and ``delimiter: ";"`` (or ``delimiter: auto``,
which picks the most frequent of ``,`` ``;`` tab ``|`` outside quotes in the
header line; the default stays ``,``, as in RFC 4180).

Example:
    >>> import tempfile
    >>> from trainlab.data.datasets import load_dataset
    >>> p = Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("a,b,label\\n1,2,cat\\n3,4,dog\\n5,6,cat\\n")
    >>> b = load_dataset("csv", {"path": str(p), "target": "label"})
    >>> b.train.x.tolist(), b.train.y.tolist(), b.classes, b.feature_names
    ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [0, 1, 0], ['cat', 'dog'], ['a', 'b'])
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.words import count
from trainlab.data._bundle import ArrayData, DataBundle
from trainlab.data.datasets.tabular._csv_cells import Column
from trainlab.data.datasets.tabular._csv_targets import TASKS, Task, read_target

#: the cells that mark a missing value unless ``missing`` says otherwise
MISSING: tuple[str, ...] = ("", "?", "NA", "N/A", "n/a", "null", "NULL", "None", "none")

#: the delimiters ``delimiter: auto`` chooses among, preferred in this order on a tie
SNIFFED = (",", ";", "\t", "|")


def load_csv(
    *,
    path: str | Path,
    target: str | list[str],
    columns: list[str] | None = None,
    delimiter: str = ",",
    decimal: Literal[".", ","] = ".",
    task: Task | dict[str, Task] = "auto",
    missing: str | tuple[str, ...] = MISSING,
) -> DataBundle:
    """A CSV file with a header row: feature columns (numbers or text) and target columns.

    Args:
        path: the file (UTF-8, an optional byte-order mark is ignored).
        target: the target column, or a list of them (the first is the main
            target, the others are extra targets for multitask learning).
        columns: the feature columns, in this order; default every column but
            the targets.
        delimiter: one character separating the fields (``"\\t"`` for TSV), or
            ``auto`` to pick one of ``, ; \\t |`` from the header line.
        decimal: the decimal mark of the numbers, ``.`` or ``,`` (then the
            delimiter cannot be ``,``).
        task: ``auto``, ``classification`` or ``regression``, for every target,
            or a mapping from target column to one of them (others ``auto``).
        missing: the cells that mark a missing feature value (exact text), a
            list or one string.

    Returns:
        A tabular bundle without a test split; ``x`` float32 ``(N, F)``, or an
        object array when a feature cell is text or missing.

    Raises:
        ConfigError: ill-formed options.
        DataError: naming the file, line and column of the first bad cell; or
            the file is missing, empty, or lacks a target column.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "d.csv"
        >>> _ = p.write_text("x;kind;y\\n0,5;a;10\\n1,5;b;2\\n")
        >>> b = load_csv(path=p, target="y", delimiter="auto", decimal=",")
        >>> b.classes, b.train.y.tolist(), b.train.x.tolist()
        (['2', '10'], [1, 0], [[0.5, 'a'], [1.5, 'b']])
    """
    targets = _target_names(target)
    tasks = _tasks(task, targets)
    markers = frozenset([missing] if isinstance(missing, str) else missing)
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"{path}: no such file" + (" (a folder)" if path.is_dir() else ""))
    header, rows, lines = _read_file(path, delimiter, decimal, targets)
    features = _feature_columns(header, targets, columns, path)

    def column(name: str) -> Column:
        i = header.index(name)
        return Column(name, [r[i] for r in rows], lines, path)

    x, notes = _features([column(f) for f in features], decimal, markers)
    read = [read_target(column(t), tasks[t], decimal, markers) for t in targets]
    main, extra = read[0], read[1:]
    return DataBundle(
        name="csv",
        modality="tabular",
        train=ArrayData(x, main.values, {t.target.name: t.values for t in extra}),
        classes=list(main.target.classes),
        feature_names=features,
        source=str(path),
        notes=[t.note for t in read if t.note] + notes,
        target=main.target,
        extra_targets=[t.target for t in extra],
    )


def _target_names(target: str | list[str]) -> list[str]:
    names = [target] if isinstance(target, str) else list(target)
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(
            f"data.options.target: expected a column name or a list of them, got {target!r}"
        )
    names = [n.strip() for n in names]
    if len(set(names)) != len(names):
        raise ConfigError(f"data.options.target: a column is listed twice in {names}")
    return names


def _tasks(task: str | Mapping[str, str], targets: list[str]) -> dict[str, str]:
    """Each target column's task (``auto`` where a mapping does not name it)."""
    chosen = dict(task) if isinstance(task, Mapping) else dict.fromkeys(targets, task)
    for name, value in chosen.items():
        if name not in targets:
            raise ConfigError(
                f"data.options.task: {name!r} is not a target column (the targets are: "
                f"{', '.join(targets)})"
            )
        if value not in TASKS:
            raise ConfigError(
                f"data.options.task: expected one of {', '.join(TASKS)}, got {value!r}"
            )
    return {t: chosen.get(t, "auto") for t in targets}


def _read_file(
    path: Path, delimiter: str, decimal: str, targets: list[str]
) -> tuple[list[str], list, list[int]]:
    """The header (holding every target), the data rows (stripped cells), their line numbers."""
    _check_delimiter(delimiter)
    if decimal not in (".", ","):
        raise ConfigError(f"data.options.decimal: expected '.' or ',', got {decimal!r}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            if delimiter == "auto":
                delimiter = _sniff(f)
                f.seek(0)
            if decimal == "," and delimiter == ",":
                raise ConfigError(
                    "data.options.decimal: ',' needs another delimiter than ',' "
                    "(data.options.delimiter: ';' or auto)"
                )
            reader = csv.reader(f, delimiter=delimiter)
            header = _read_header(reader, path)
            for target in targets:
                if target not in header:
                    raise DataError(
                        f"{path}: no target column {target!r}; the columns are: "
                        f"{', '.join(header)}{_delimiter_hint(header)}"
                    )
            rows, lines = _read_rows(reader, path, header)
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        raise read_error(path, exc) from None
    if not rows:
        raise DataError(f"{path}: no data rows after the header")
    return header, rows, lines


def _check_delimiter(delimiter: str) -> None:
    if delimiter == "auto":
        return
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ConfigError(
            f"data.options.delimiter: expected one character (not a quote or newline) or "
            f"auto, got {delimiter!r}"
        )


def _sniff(f: Any) -> str:
    """The most frequent of :data:`SNIFFED` outside quotes in the first non-blank line."""
    line = ""
    for line in f:
        if line.strip():
            break
    return sniff_delimiter(line)


def read_error(path: Path, exc: Exception) -> DataError:
    """One line for what went wrong reading a CSV file (encoding, CSV syntax, the disk).

    Example:
        >>> str(read_error(Path("t.csv"), FileNotFoundError(2, "No such file or directory")))
        't.csv: cannot read (No such file or directory)'
    """
    if isinstance(exc, UnicodeDecodeError):
        return DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    if isinstance(exc, csv.Error):
        return DataError(f"{path}: malformed CSV ({exc})")
    if isinstance(exc, OSError):
        return DataError(f"{path}: cannot read ({exc.strerror or exc})")
    return DataError(f"{path}: {exc}")


def sniff_delimiter(line: str) -> str:
    """The most frequent of :data:`SNIFFED` outside quotes in ``line`` (``,`` when none is).

    Example:
        >>> sniff_delimiter('a;"b;c";d,e'), sniff_delimiter("one")
        (';', ',')
    """
    counts = dict.fromkeys(SNIFFED, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


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


def _read_rows(reader: Any, path: Path, header: list[str]) -> tuple[list[list[str]], list[int]]:
    """The stripped cells and line numbers of the data rows (blank lines skipped)."""
    rows: list[list[str]] = []
    lines: list[int] = []
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        line = reader.line_num
        if len(row) != len(header):
            raise DataError(
                f"{path} line {line}: {len(row)} fields, expected {len(header)} (as in the "
                f"header){_delimiter_hint(header)}"
            )
        rows.append([cell.strip() for cell in row])
        lines.append(line)
    return rows, lines


def _feature_columns(
    header: list[str], targets: list[str], columns: list[str] | None, path: Path
) -> list[str]:
    """The feature columns: ``columns`` as given (checked), or every column but the targets."""
    if columns is None:
        features = [h for h in header if h not in targets]
    else:
        features = list(columns)
        unknown = [c for c in features if c not in header]
        if unknown:
            raise DataError(
                f"{path}: no column {unknown[0]!r}; the columns are: {', '.join(header)}"
            )
        chosen = [t for t in targets if t in features]
        if chosen:
            raise ConfigError(
                f"data.options.columns: the target column {chosen[0]!r} cannot be a feature"
            )
        if len(set(features)) != len(features):
            raise ConfigError("data.options.columns: a column is listed twice")
    if not features:
        raise DataError(f"{path}: no feature columns besides the target {targets[0]!r}")
    return features


def _delimiter_hint(header: list[str]) -> str:
    """When the header is one column holding another delimiter: which one to set."""
    if len(header) != 1:
        return ""
    found = next((d for d in SNIFFED if d in header[0]), None)
    if found is None:
        return ""
    return f" (the header holds {found!r}: set data.options.delimiter: {found!r} or auto)"


def _features(
    cols: list[Column], decimal: str, missing: Collection[str]
) -> tuple[np.ndarray, list[str]]:
    """The (N, F) features, float32 when all numbers and none missing, else object; notes."""
    values = [c.values(decimal, missing) for c in cols]
    text = [
        (c.name, len({v for v in vs if v is not None}))
        for c, vs in zip(cols, values, strict=True)
        if any(isinstance(v, str) for v in vs)
    ]
    gaps = [(c.name, vs.count(None)) for c, vs in zip(cols, values, strict=True) if None in vs]
    if not text and not gaps:
        # numbers only: (N, F) float64 in C order, then float32, as always
        return np.ascontiguousarray(np.array(values, dtype=np.float64).T).astype(np.float32), []
    x = np.empty((len(cols[0].cells), len(cols)), dtype=object)
    for j, vs in enumerate(values):
        x[:, j] = vs
    notes = []
    if text:
        listed = ", ".join(f"{name} ({count(n, 'value')})" for name, n in text)
        notes.append(f"text columns, encoded as categories (preprocess.categorical): {listed}")
    if gaps:
        listed = ", ".join(f"{name} {n}" for name, n in gaps)
        notes.append(f"missing cells (filled or refused by preprocess.impute): {listed}")
    return x, notes
