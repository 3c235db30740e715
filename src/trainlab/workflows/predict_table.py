"""The rows of a CSV file as a tabular model's training file was read, for prediction.

A tabular model predicts from a CSV file read with its recipe's
``data.options`` (delimiter, decimal mark, missing-cell markers) through the
``csv`` loader. The file needs the feature columns the model was trained on
(named by the checkpoint's table encoding, the recipe's ``columns``, or the
training file's header), in any order; the target columns may be absent (a
file of new cases) and are ignored when present, as is any other column. A
cell the model's preprocessing cannot take (a missing cell where it fills
none, text where it learned numbers only) is refused naming its line and
column.

Example:
    >>> from trainlab.workflows.predict_table import trained_features
    >>> callable(trained_features)
    True
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.core.errors import DataError, TrainlabError
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.tabular.csv import read_error, sniff_delimiter
from trainlab.workflows.evaluate import SavedModel

#: the delimiter of the copy of a table handed to the ``csv`` loader (valid with either
#: decimal mark; a cell holding it is quoted)
_COPY_DELIMITER = "\t"


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _read_rows(path: Path, delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    """A CSV file's header, its non-blank rows and their line numbers."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            if delimiter == "auto":
                delimiter = sniff_delimiter(next((ln for ln in f if ln.strip()), ""))
                f.seek(0)
            reader = csv.reader(f, delimiter=delimiter)
            header = next((r for r in reader if any(c.strip() for c in r)), None)
            rows, lines = [], []
            for row in reader:
                if row and any(c.strip() for c in row):
                    rows.append(row)
                    lines.append(reader.line_num)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        raise read_error(path, exc) from None
    if header is None:
        raise DataError(f"{path}: the file is empty (expected a header row)")
    return [h.strip() for h in header], rows, lines


def trained_features(saved: SavedModel) -> list[str] | None:
    """The feature columns the model was trained on, in order, where the checkpoint or the
    training file tells them; None when neither does (the file's own columns are taken)."""
    named = saved.meta["data"].get("feature_names")  # where the checkpoint names them
    if named:
        return list(named)
    table = saved.preprocessor.table
    if table.fitted:
        return list(table.names)
    recipe = saved.recipe
    options = recipe.data.options
    if recipe.data.dataset != "csv":  # a bundled table (wine, diabetes): its own column names
        return list(load_dataset(recipe.data.dataset, options).feature_names or []) or None
    if options.get("columns"):
        return _listed(options["columns"])
    path = Path(str(options.get("path", "")))
    if not path.is_file():
        return None
    try:
        header, _, _ = _read_rows(path, str(options.get("delimiter", ",")))
    except DataError:
        return None
    targets = set(_listed(options["target"]))
    return [h for h in header if h not in targets]


def read_table(saved: SavedModel, file: Path) -> np.ndarray:
    """The raw feature table (N, F) of CSV ``file``, read as the model's training file was.

    The feature columns are copied, in the model's order, beside placeholder
    target columns, into a temporary file that the ``csv`` loader reads with
    the recipe's options, so that every cell is read by the same rules as in
    training (numbers, decimal marks, text categories, missing cells).
    """
    options = saved.recipe.data.options if saved.recipe.data.dataset == "csv" else {}
    known = _listed(options["target"]) if "target" in options else []
    header, rows, lines = _read_rows(file, str(options.get("delimiter", ",")))
    features = trained_features(saved) or [h for h in header if h not in known]
    targets = known or [_free_name(header)]  # the loader needs a target column: a placeholder
    absent = [f for f in features if f not in header]
    if absent:
        raise DataError(
            f"{file}: no column {absent[0]!r}, a feature the model was trained on "
            f"(its features: {', '.join(features)}; the file's columns: {', '.join(header)})"
        )
    width = len(header)
    for row, line in zip(rows, lines, strict=True):
        if len(row) != width:
            raise DataError(f"{file} line {line}: {len(row)} fields, expected {width}")
    index = [header.index(f) for f in features]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "features.csv"
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=_COPY_DELIMITER, lineterminator="\n")
        writer.writerow([*features, *targets])
        writer.writerows([row[i] for i in index] + ["0"] * len(targets) for row in rows)
        copy.write_text(buf.getvalue(), encoding="utf-8")
        kept = {k: options[k] for k in ("decimal", "missing") if k in options}
        loader_options = {
            **kept,
            "path": str(copy),
            "target": targets,
            "columns": features,
            "delimiter": _COPY_DELIMITER,
            "task": dict.fromkeys(targets, "regression"),
        }
        try:
            x = load_dataset("csv", loader_options).train.x
        except TrainlabError as exc:
            raise type(exc)(_in_original(str(exc), copy, file, lines)) from None
    _check_cells(saved, x, features, file, lines)
    return x


def _check_cells(
    saved: SavedModel, x: np.ndarray, features: list[str], file: Path, lines: list[int]
) -> None:
    """Refuse, naming its line and column, a cell the model's preprocessing cannot take: a
    missing cell where it fills none, text where it was trained on numbers only."""
    if x.dtype != object:
        return
    table = saved.preprocessor.table
    fills = table.fitted and table.imputer.strategy != "none"
    for i, j in zip(*np.nonzero(np.frompyfunc(_needs_fit, 1, 1)(x).astype(bool)), strict=True):
        where = f"{file} line {lines[i]}, column {features[j]!r}"
        if x[i, j] is None and not fills:
            why = (
                "its training table had no missing cell, nor text, to fit a table encoding on"
                if saved.recipe.preprocess.impute != "none"
                else "it was trained with preprocess.impute: none"
            )
            raise DataError(
                f"{where}: a missing cell, which the model does not fill ({why}); "
                "fill it, or retrain with an imputation"
            )
        if isinstance(x[i, j], str) and not table.fitted:
            raise DataError(
                f"{where}: not a number: {x[i, j]!r} (the model was trained on numbers only)"
            )


def _needs_fit(v: object) -> bool:
    """Whether a cell is missing or text (what only a fitted table encoding takes)."""
    return v is None or isinstance(v, str)


def _free_name(header: list[str]) -> str:
    """A column name that ``header`` does not hold."""
    name = "target"
    while name in header:
        name = f"_{name}"
    return name


def _in_original(message: str, copy: Path, file: Path, lines: list[int]) -> str:
    """A loader message about the copy, said of the original file and its line numbers."""

    def line(match: re.Match) -> str:
        k = int(match.group(1)) - 2  # the copy: header on line 1, then one row a line
        return f"{file} line {lines[k] if 0 <= k < len(lines) else match.group(1)}"

    said = re.sub(re.escape(str(copy)) + r" line (\d+)", line, message)
    said = said.replace(str(copy), str(file))
    return said if str(file) in said else f"{file}: {said}"
