"""Audio files listed in a CSV manifest: one row per file, its path and its label.

The manifest has a header row (UTF-8, an optional byte-order mark ignored,
fields separated by ``,`` as in RFC 4180). A path is relative to the
manifest's folder (or absolute; ``~`` expanded); the labels are class names,
the classes their sorted set (as text: ``"10"`` sorts before ``"2"``). An
optional split column marks each row ``train`` or ``test``; the ``test`` rows
are the data set's own test split. The files become clips as in
``audio-folder`` (see :mod:`~trainlab.data.datasets.audio._clips`). Messages
about a row name its line in the file (the header is line 1).

Example:
    >>> import tempfile
    >>> import numpy as np, soundfile
    >>> from trainlab.data.datasets.audio.audio_csv import load_audio_csv
    >>> d = Path(tempfile.mkdtemp())
    >>> soundfile.write(d / "a.wav", np.zeros(400, np.float32), 8000)
    >>> _ = (d / "list.csv").write_text("path,label\\na.wav,yes\\na.wav,no\\n")
    >>> b = load_audio_csv(path=d / "list.csv", sample_rate=8000, seconds=0.1)
    >>> b.train.x.shape, b.classes, b.train.y.tolist()
    ((2, 1, 800), ['no', 'yes'], [1, 0])
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Literal

from trainlab.core.errors import DataError
from trainlab.core.words import count
from trainlab.data._bundle import DataBundle
from trainlab.data.datasets.audio._clips import SPLITS, ClipSpec, Item, check_on_error, load_clips


def _rows(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of every data row; ``DataError`` for no file, no header or no column."""
    if not path.is_file():
        raise DataError(f"{path}: no such file (expected a CSV manifest of audio files)")
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        if not header:
            raise DataError(
                f"{path}: empty manifest; expected a header row with the columns "
                f"{', '.join(repr(c) for c in columns)}"
            )
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(
                f"{path}: no column {', '.join(repr(c) for c in missing)}; the header has "
                f"{', '.join(repr(h) for h in header)}"
            )
        rows = [(reader.line_num, row) for row in reader]
    if not rows:
        raise DataError(f"{path}: the manifest lists no audio files (a header and no rows)")
    return rows


def _cell(csv_path: Path, line: int, row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise DataError(f"{csv_path}, line {line}: empty {column!r} cell")
    return value


def _items(
    csv_path: Path, path_column: str, label_column: str, split_column: str | None, on_error: str
) -> tuple[list[Item], int]:
    """The rows as items, and how many name a file that does not exist (skipped)."""
    columns = [path_column, label_column] + ([split_column] if split_column else [])
    items, missing = [], 0
    for line, row in _rows(csv_path, columns):
        file = Path(_cell(csv_path, line, row, path_column)).expanduser()
        file = file if file.is_absolute() else csv_path.parent / file
        label = _cell(csv_path, line, row, label_column)
        split = "train"
        if split_column:
            split = _cell(csv_path, line, row, split_column).lower()
            if split not in SPLITS:
                raise DataError(
                    f"{csv_path}, line {line}: {split_column!r} is {row[split_column]!r}; "
                    "expected 'train' or 'test'"
                )
        where = f"{csv_path}, line {line}"
        if not file.is_file():
            message = f"{where}: audio file {file} not found"
            if on_error == "fail":
                raise DataError(message)
            warnings.warn(f"audio-csv: skipped {message}", stacklevel=3)
            missing += 1
            continue
        items.append(Item(file, label, split, where))
    return items, missing


def load_audio_csv(
    *,
    path: str | Path,
    path_column: str = "path",
    label_column: str = "label",
    sample_rate: int = 16_000,
    seconds: float | None = 1.0,
    crop: Literal["centre", "start"] = "centre",
    mono: bool = True,
    resample: bool = True,
    on_error: Literal["fail", "skip"] = "fail",
    split_column: str | None = None,
) -> DataBundle:
    """Audio files listed in a CSV manifest (path, label), as fixed-length clips.

    Args:
        path: the manifest.
        path_column: the column of file paths, relative to the manifest's folder.
        label_column: the column of class names.
        sample_rate, seconds, crop, mono, resample: as for ``audio-folder``.
        on_error: ``"fail"`` on an unusable or missing file with a
            ``DataError`` naming it, or ``"skip"`` it with a warning.
        split_column: a column of ``train`` / ``test`` (any case): the test
            rows become the data set's own test split.

    Returns:
        An audio bundle: ``x`` float32 ``(N, C, L)``, ``sample_rate`` set.

    Raises:
        ConfigError: an option out of range.
        DataError: no manifest, no header, a missing column (the header is
            listed), no rows, an empty cell, a split that is neither ``train``
            nor ``test``, a missing or unusable file (its line named).
    """
    spec = ClipSpec(sample_rate, seconds, crop, mono, resample)
    check_on_error(on_error)
    csv_path = Path(path).expanduser()
    items, missing = _items(csv_path, path_column, label_column, split_column, on_error)
    if not items:
        raise DataError(f"{csv_path}: none of the files the manifest lists exists")
    bundle = load_clips(items, spec, dataset="audio-csv", source=str(csv_path), on_error=on_error)
    if missing:
        bundle.notes.append(f"skipped {count(missing, 'row')} naming a missing file")
    return bundle
