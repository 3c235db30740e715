"""Predict with a saved model: one row of predictions per input row, or per image.

The input is read as the model's training data was, and goes through the
model's own fitted preprocessing (nothing is refitted):

- a **tabular** model reads a CSV file with the recipe's ``data.options``
  (delimiter, decimal mark, missing-cell markers) through the ``csv`` loader.
  The file needs the feature columns the model was trained on (named by the
  checkpoint's table encoding, the recipe's ``columns``, or the training
  file's header), in any order; the target columns may be absent (a file of
  new cases) and are ignored when present, as is any other column;
- an **image** model reads one image file, or every image under a folder
  (sorted, recursively), made to the model's size and channels.

The predictions are the task's, averaged over the ensemble's members,
Monte-Carlo dropout passes and test-time views as the run's recipe says
(:func:`trainlab.engine.prediction.ensemble_predictions`): for a
classification, the predicted class and one probability column per class
(``p_<class>``); for a regression, the predicted value in the target's units;
for multitask learning, that per target (``<target>``, ``<target>_p_<class>``).
An image model's rows start with the ``file`` they are for.

Example:
    >>> import tempfile, pathlib
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.assemble import build_run_model
    >>> from trainlab.workflows.outputs import save_run_model
    >>> from trainlab.workflows.predict import predict_file
    >>> from trainlab.workflows.prepare import prepare_data
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "d.csv").write_text("a,b,y\\n1,2,0.5\\n3,4,1.5\\n5,6,2.5\\n0,1,0.0\\n")
    >>> r = Recipe().override({"data.dataset": "csv", "model.name": "mlp",
    ...     "data.options": {"path": str(folder / "d.csv"), "target": "y"}, "split.val": 0.0})
    >>> data = prepare_data(r)
    >>> save_run_model(folder / "model.safetensors", r, data, [build_run_model(r, data)], {})
    >>> _ = (folder / "new.csv").write_text("b,a\\n2,1\\n9,9\\n")  # no target, columns swapped
    >>> table = predict_file(folder, folder / "new.csv")
    >>> table.columns, len(table.rows)
    (['y'], 2)
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from trainlab.core.atomic import write_text_atomic
from trainlab.core.errors import ConfigError, DataError, TrainlabError
from trainlab.data._bundle import Target
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.image.image_folder import EXTENSIONS, list_images, read_image
from trainlab.data.datasets.tabular.csv import read_error, sniff_delimiter
from trainlab.preprocess.image.fit import make_uniform
from trainlab.preprocess.text.pipeline import TextPipeline
from trainlab.workflows.evaluate import SavedModel
from trainlab.workflows.text_setup import text_inputs

#: the delimiter of the copy of a table handed to the ``csv`` loader (valid with either
#: decimal mark; a cell holding it is quoted)
_COPY_DELIMITER = "\t"


@dataclass(frozen=True)
class PredictionTable:
    """Predictions, one row per input row (or image), as text cells.

    Attributes:
        columns: the header: ``file`` (images), then per target its prediction and,
            for classes, one probability column per class.
        rows: one list of cells per input, in the input's order.
        source: what was read (the file or folder).
    """

    columns: list[str]
    rows: list[list[str]]
    source: Path

    def to_csv(self) -> str:
        """The table as CSV text (RFC 4180, ``\\n`` line ends)."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buf.getvalue()


def predict_file(model: str | Path, file: str | Path) -> PredictionTable:
    """The saved model's predictions for every row of a CSV file, or every image of ``file``.

    Args:
        model: a run folder or its ``model.safetensors``.
        file: a CSV file (tabular models), an image file or a folder of images, or an
            audio file or a folder of them (audio models: each clip mixed down,
            resampled to the model's rate, and cropped or padded to its length as in
            training), or texts (text models: a ``.txt`` file, one text a line, or a CSV
            or JSON Lines file with the training file's text column).

    Raises:
        CheckpointError: ``model`` is not a trainlab model file.
        DataError: the file does not fit the model: a missing feature column, text
            in a numeric column, a missing cell the model cannot fill, no images.
        ConfigError: a model of a kind of data that is not predicted from files.
    """
    saved = SavedModel.load(model)
    file = Path(file)
    modality = saved.meta["data"]["modality"]
    if modality == "tabular":
        names: list[str] = []
        raw = read_table(saved, file)
    elif modality == "image":
        names, raw = read_images(saved, file)
    elif modality == "audio":
        names, raw = read_audio_clips(saved, file)
    elif modality == "text":
        names, texts = read_texts(saved, file)
        x = text_inputs(TextPipeline.from_state_dict(saved.meta["preprocess"]["text"]), texts)
        columns, cells = prediction_columns(saved.targets, saved.predict(x))
        rows = [[n, *row] for n, row in zip(names, zip(*cells, strict=True), strict=True)]
        return PredictionTable(["text", *columns], rows, file)
    else:
        raise ConfigError(
            f"predict reads CSV files (tabular models), images (image models) and audio files "
            f"(audio models); this model learned from {modality} data "
            f"({saved.recipe.data.dataset})"
        )
    x = _model_inputs(saved, raw, file)
    columns, cells = prediction_columns(saved.targets, saved.predict(x))
    rows = [list(row) for row in zip(*cells, strict=True)]
    if names:
        columns, rows = ["file", *columns], [[n, *row] for n, row in zip(names, rows, strict=True)]
    return PredictionTable(columns, rows, file)


def write_predictions(table: PredictionTable, out: str | Path) -> Path:
    """Write ``table`` to ``out`` as CSV, atomically; never over the file it was read from."""
    out = Path(out)
    if out.is_dir():
        raise ConfigError(f"--out {out}: a folder; expected a file name, e.g. predictions.csv")
    if out.resolve() == table.source.resolve():
        raise ConfigError(f"--out {out}: the file the predictions were read from")
    return write_text_atomic(out, table.to_csv())


def _model_inputs(saved: SavedModel, raw: np.ndarray, file: Path) -> torch.Tensor:
    """The raw inputs through the model's preprocessing, checked against its input shape."""
    try:
        x = saved.preprocessor.transform(raw)
    except DataError as exc:
        raise DataError(f"{file}: {exc}") from None
    expected = tuple(saved.meta["data"]["input_shape"])
    if tuple(x.shape[1:]) != expected:
        raise DataError(
            f"{file}: the inputs have shape {tuple(x.shape[1:])} after the model's "
            f"preprocessing, but the model takes {expected}"
        )
    return torch.from_numpy(np.ascontiguousarray(x))


# -- what is predicted ---------------------------------------------------------------------
def _number(v: float) -> str:
    return f"{v:.6g}"


def _target_columns(target: Target, pred: torch.Tensor, prefix: str) -> tuple[list, list]:
    """One target's columns: the class and a probability per class, or the value."""
    pred = pred.detach().cpu()
    if target.kind == "classification":
        probs = pred.double().numpy()
        best = probs.argmax(1)
        names = [target.name] + [f"{prefix}p_{c}" for c in target.classes]
        cells = [[target.classes[i] for i in best]]
        cells += [[_number(p) for p in probs[:, k]] for k in range(probs.shape[1])]
        return names, cells
    return [target.name], [[_number(v) for v in pred.double().reshape(-1).tolist()]]


def prediction_columns(targets: Sequence[Target], pred: Any) -> tuple[list[str], list[list]]:
    """The header and the columns of cells of a task's predictions ``pred``.

    Args:
        targets: the learned targets, the main one first.
        pred: (N, classes) probabilities or (N,) values; a mapping of them per target.

    Example:
        >>> import torch
        >>> t = Target("species", "classification", ("a", "b"))
        >>> prediction_columns([t], torch.tensor([[0.25, 0.75]]))
        (['species', 'p_a', 'p_b'], [['b'], ['0.25'], ['0.75']])
    """
    if not isinstance(pred, dict):
        return _target_columns(targets[0], pred, "")
    names: list[str] = []
    cells: list[list] = []
    for t in targets:
        n, c = _target_columns(t, pred[t.name], f"{t.name}_")
        names += n
        cells += c
    return names, cells


# -- tables --------------------------------------------------------------------------------
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


# -- images --------------------------------------------------------------------------------
def _files(file: Path, listed, what: str) -> tuple[list[Path], list[str]]:
    """``file`` itself, or the files ``listed(file)`` finds under the folder ``file``, and
    their names (relative to the folder); ``DataError`` when there is none."""
    if file.is_dir():
        paths = listed(file)
        names = [p.relative_to(file).as_posix() for p in paths]
    elif file.is_file():
        paths, names = [file], [file.name]
    else:
        raise DataError(f"{file}: no such file or folder")
    if not paths:
        raise DataError(f"{file}: no {what} in this folder")
    return paths, names


def read_images(saved: SavedModel, file: Path) -> tuple[list[str], np.ndarray]:
    """The image at ``file``, or every image under the folder ``file``, at the model's size.

    Returns:
        The names (relative to the folder) and the (N, C, H, W) batch.
    """
    paths, names = _files(file, list_images, f"images ({', '.join(EXTENSIONS)})")
    images = []
    for p in paths:
        try:
            images.append(read_image(p))
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise DataError(f"{p}: not a readable image ({exc})") from None
    fit = saved.meta["preprocess"]["image"]
    size = tuple(fit["size"])
    return names, make_uniform(images, (int(size[0]), int(size[1])), fit["fit"], fit["channels"])


# -- audio ---------------------------------------------------------------------------------
def read_audio_clips(saved: SavedModel, file: Path) -> tuple[list[str], np.ndarray]:
    """The audio file ``file``, or every audio file under the folder, as the model's clips.

    Returns:
        The names (relative to the folder) and the (N, C, L) batch at the model's
        sample rate and clip length.
    """
    from trainlab.data.datasets.audio._clips import ClipSpec, decode_clip, suffixes
    from trainlab.data.datasets.audio.audio_folder import list_audio

    paths, names = _files(file, list_audio, f"audio files ({suffixes()})")
    channels, length = saved.meta["data"]["input_shape"]
    rate = int(saved.meta["data"]["sample_rate"])
    crop = saved.recipe.data.options.get("crop", "centre")  # as the model's clips were cut
    spec = ClipSpec(rate, int(length) / rate, crop, mono=int(channels) == 1)
    return names, np.stack([decode_clip(p, spec).samples for p in paths])


# -- text ----------------------------------------------------------------------------------
def read_texts(saved: SavedModel, file: Path) -> tuple[list[str], np.ndarray]:
    """The texts of ``file`` and a short name of each (its first words).

    A ``.txt`` file holds one text a line (blank lines skipped); a ``.csv``,
    ``.jsonl`` or ``.ndjson`` file is read as in training, by the text column of
    the model's recipe (``data.options.text_column``, default ``text``).
    """
    from trainlab.data.datasets.text._texts import decode_utf8
    from trainlab.data.datasets.text.text_csv import csv_records, jsonl_records

    if not file.is_file():
        raise DataError(f"{file}: no such file")
    text = decode_utf8(file.read_bytes(), file)
    options = saved.recipe.data.options
    column = str(options.get("text_column", "text"))
    suffix = file.suffix.lower()
    if suffix == ".csv":
        delimiter = str(options.get("delimiter", "auto"))
        texts = [row[column] for _, row in csv_records(file, text, delimiter, [column])]
    elif suffix in (".jsonl", ".ndjson"):
        texts = [str(row[column]) for _, row in jsonl_records(file, text, [column])]
    else:
        texts = [line.strip() for line in text.splitlines() if line.strip()]
    if not texts:
        raise DataError(f"{file}: no texts (expected one a line, or rows of a {column!r} column)")
    names = [" ".join(t.split()[:6]) for t in texts]
    return names, np.array(texts, dtype=object)
