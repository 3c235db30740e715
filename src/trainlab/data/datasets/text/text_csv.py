"""Labelled texts from a user's CSV file or JSON Lines file: a text column and a label column.

A file whose name ends in ``.jsonl`` or ``.ndjson`` (any case) is JSON Lines:
one JSON object a line (blank lines skipped), the columns its keys, a text a
JSON string, a label a string or a whole number. Any other file is CSV with a
header row (RFC 4180: quoted fields may hold the delimiter and newlines);
``delimiter="auto"`` picks the most frequent of ``, ; \\t |`` outside quotes in
the header line. Both are read as UTF-8 only (a byte-order mark accepted);
another encoding is a ``DataError`` naming the byte offset of the first bad
byte. Texts are stripped of surrounding white space; an empty text or label
is an error naming its line, or, with ``on_error="skip"``, a row left out with
a warning (``bundle.notes`` counts them). The classes are the sorted labels of
the training rows (by value when all are whole numbers). An optional split
column marks each row ``train`` or ``test`` (any case); the test rows are the
data set's own test split, and their classes must be training classes.
Messages name the line of the file a row starts on (the header is line 1).

Example:
    >>> import tempfile
    >>> from trainlab.data.datasets.text.text_csv import load_text_csv
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text('text;label\\n"Hola, mundo";es\\nHello;en\\n', encoding="utf-8")
    >>> b = load_text_csv(path=p)
    >>> b.train.x.tolist(), b.train.y.tolist(), b.classes
    (['Hola, mundo', 'Hello'], [1, 0], ['en', 'es'])
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.words import count
from trainlab.data._bundle import DataBundle
from trainlab.data.datasets.tabular.csv import SNIFFED, sniff_delimiter
from trainlab.data.datasets.text._texts import (
    SPLITS,
    TextItem,
    check_on_error,
    decode_utf8,
    text_bundle,
    unusable,
)

#: the suffixes read as JSON Lines (compared in lower case)
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson")

Record = tuple[int, dict[str, Any]]


def _check_delimiter(delimiter: str) -> None:
    if delimiter == "auto":
        return
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ConfigError(
            "data.options.delimiter: expected one character (not a quote or newline) or "
            f"auto, got {delimiter!r}"
        )


def _columns_hint(header: list[str]) -> str:
    """When the header is one column holding another delimiter: which one to set."""
    found = next((d for d in SNIFFED if len(header) == 1 and d in header[0]), None)
    return f" (the header holds {found!r}: set data.options.delimiter: {found!r})" if found else ""


def _csv_header(reader: Any, path: Path) -> list[str]:
    header = next(reader, None)
    while header is not None and not any(h.strip() for h in header):
        header = next(reader, None)
    if header is None:
        raise DataError(f"{path}: the file is empty (expected a header row)")
    return [h.strip() for h in header]


def csv_records(path: Path, text: str, delimiter: str, columns: list[str]) -> Iterator[Record]:
    """(line, row) of every data row of CSV ``text`` holding ``columns``; ``DataError`` if bad.

    Example:
        >>> list(csv_records(Path("t.csv"), "a,b\\n1,2\\n\\n3,4\\n", ",", ["a"]))
        [(2, {'a': '1', 'b': '2'}), (4, {'a': '3', 'b': '4'})]
    """
    if delimiter == "auto":
        delimiter = sniff_delimiter(next((ln for ln in text.splitlines() if ln.strip()), ""))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _csv_header(reader, path)
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(
                f"{path}: no column {missing[0]!r}; the columns are: "
                f"{', '.join(header)}{_columns_hint(header)}"
            )
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                return
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if len(row) != len(header):
                raise DataError(
                    f"{path}, line {start}: {len(row)} fields, expected {len(header)} (as in "
                    f"the header){_columns_hint(header)}"
                )
            yield start, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise DataError(f"{path}, line {reader.line_num}: malformed CSV ({exc})") from None


def jsonl_records(path: Path, text: str, columns: list[str]) -> Iterator[Record]:
    """(line, object) of every non-blank line of JSON Lines ``text``; ``DataError`` if bad.

    Example:
        >>> list(jsonl_records(Path("t.jsonl"), '{"text": "hi", "label": 1}\\n\\n', ["text"]))
        [(1, {'text': 'hi', 'label': 1})]
    """
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{path}, line {line}: not JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(record, dict):
            raise DataError(
                f"{path}, line {line}: expected a JSON object, got {type(record).__name__}"
            )
        missing = [c for c in columns if c not in record]
        if missing:
            keys = ", ".join(record) or "none"
            raise DataError(f"{path}, line {line}: no key {missing[0]!r}; the keys are: {keys}")
        yield line, record


def _cell(where: str, record: dict[str, Any], column: str, kind: str) -> str:
    """A cell as stripped text: any string; a label may be a whole number (not a bool)."""
    value = record[column]
    if isinstance(value, int) and not isinstance(value, bool) and kind == "label":
        return str(value)
    if not isinstance(value, str):
        expected = "a string or a whole number" if kind == "label" else "a string"
        raise DataError(f"{where}: {column!r} is {value!r}; expected {expected}")
    return value.strip()


def _item(where: str, record: dict, text_column: str, label_column: str, split_column) -> Any:
    """One row as a ``TextItem``, or the message saying why it is unusable (a ``str``)."""
    split = "train"
    if split_column:
        split = _cell(where, record, split_column, "split").lower()
        if split not in SPLITS:
            raise DataError(
                f"{where}: {split_column!r} is {record[split_column]!r}; expected 'train' or 'test'"
            )
    text = _cell(where, record, text_column, "text")
    label = _cell(where, record, label_column, "label")
    for column, value in ((text_column, text), (label_column, label)):
        if not value:
            return f"{where}: empty {column!r}"
    return TextItem(text, label, split, where)


def load_text_csv(
    *,
    path: str | Path,
    text_column: str = "text",
    label_column: str = "label",
    delimiter: str = "auto",
    split_column: str | None = None,
    on_error: Literal["fail", "skip"] = "fail",
) -> DataBundle:
    """Labelled texts in a CSV or JSON Lines file: a text column and a label column (UTF-8).

    Args:
        path: the file; ``.jsonl`` / ``.ndjson`` is JSON Lines, anything else CSV.
        text_column: the column (JSON key) of the texts.
        label_column: the column (JSON key) of the class names.
        delimiter: CSV only: one character, or ``auto`` (from the header line).
        split_column: a column of ``train`` / ``test``: the test rows become the
            data set's own test split.
        on_error: ``"fail"`` on an empty text or label, or ``"skip"`` the row
            with a warning.

    Returns:
        A text bundle: ``x`` the texts (object array of ``str``), stripped.

    Raises:
        ConfigError: an ill-formed option.
        DataError: no such file, not UTF-8 (the byte offset named), a missing
            column (the columns there are named), malformed CSV or JSON, an
            empty text or label, a bad split, a test class without training rows.
    """
    _check_delimiter(delimiter)
    check_on_error(on_error)
    if text_column == label_column:
        raise ConfigError(
            f"data.options.label_column: {label_column!r} is also the text column; expected "
            "another column"
        )
    file = Path(path).expanduser()
    if not file.is_file():
        raise DataError(f"{file}: no such file" + (" (a folder)" if file.is_dir() else ""))
    try:
        text = decode_utf8(file.read_bytes(), file)
    except OSError as exc:
        raise DataError(f"{file}: cannot read ({exc.strerror or exc})") from None
    columns = [text_column, label_column] + ([split_column] if split_column else [])
    if file.suffix.lower() in JSONL_SUFFIXES:
        records = jsonl_records(file, text, columns)
    else:
        records = csv_records(file, text, delimiter, columns)
    items, skipped = [], 0
    for line, record in records:
        got = _item(f"{file}, line {line}", record, text_column, label_column, split_column)
        if isinstance(got, str):
            unusable("text-csv", got, on_error)
            skipped += 1
        else:
            items.append(got)
    if not items:
        raise DataError(f"{file}: no usable rows (expected texts in column {text_column!r})")
    notes = [f"skipped {count(skipped, 'row')} with an empty text or label"] if skipped else []
    return text_bundle(items, dataset="text-csv", source=str(file), notes=notes)
