"""Predict with a saved model: one row of predictions per input row, image, clip or text.

The input is read as the model's training data was, and goes through the
model's own fitted preprocessing (nothing is refitted), by the reader of the
model's kind of data (:data:`~trainlab.workflows.predict_inputs.READERS`):
a CSV file for a **tabular** model (its feature columns, in any order; the
target columns may be absent), an image file or a folder of images for an
**image** model, audio files for an **audio** model, texts for a **text**
model, and a video file or a folder of them for a **video** model (each read
as its training clips were, then its saved video pipeline).

The predictions are the task's, averaged over the ensemble's members,
Monte-Carlo dropout passes and test-time views as the run's recipe says
(:func:`trainlab.engine.prediction.ensemble_predictions`): for a
classification, the predicted class and one probability column per class
(``p_<class>``); for a regression, the predicted value in the target's units;
for multitask learning, that per target (``<target>``, ``<target>_p_<class>``).
The rows of files (images, audio, video) start with the ``file`` they are
for, those of texts with the ``text``.

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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from trainlab.core.atomic import write_text_atomic
from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import Target
from trainlab.data.datasets.video.folder import is_video
from trainlab.workflows.evaluate import SavedModel
from trainlab.workflows.predict_inputs import (
    READERS,
    read_audio_clips,
    read_images,
    read_texts,
)
from trainlab.workflows.predict_table import read_table, trained_features

__all__ = [
    "PredictionTable",
    "predict_file",
    "prediction_columns",
    "read_audio_clips",
    "read_images",
    "read_table",
    "read_texts",
    "trained_features",
    "write_predictions",
]


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
    """The saved model's predictions for every input of ``file``: rows, images, clips or texts.

    Args:
        model: a run folder or its ``model.safetensors``.
        file: a CSV file (tabular models), an image file or a folder of images, or an
            audio file or a folder of them (audio models: each clip mixed down,
            resampled to the model's rate, and cropped or padded to its length as in
            training), or texts (text models: a ``.txt`` file, one text a line, or a CSV
            or JSON Lines file with the training file's text column), or a video file
            or a folder of them (video models: each read as the training clips were).

    Raises:
        CheckpointError: ``model`` is not a trainlab model file.
        DataError: the file does not fit the model: a missing feature column, text
            in a numeric column, a missing cell the model cannot fill, no images,
            an unusable video file, a video file for a model of other data.
        ConfigError: a model of a kind of data that is not predicted from files.
    """
    saved = SavedModel.load(model)
    file = Path(file)
    modality = saved.meta["data"]["modality"]
    if modality not in READERS:
        reads = ", ".join(f"{r.reads} ({m} models)" for m, r in READERS.items())
        raise ConfigError(
            f"predict reads {reads}; this model learned from {modality} data "
            f"({saved.recipe.data.dataset})"
        )
    if modality != "video" and file.is_file() and is_video(file.name):
        raise DataError(
            f"{file}: a video file, but this model learned from {modality} data "
            f"({saved.recipe.data.dataset}); it reads {READERS.get(modality).reads}"
        )
    inputs = READERS.get(modality).read(saved, file)
    columns, cells = prediction_columns(saved.targets, saved.predict(inputs.x))
    rows = [list(row) for row in zip(*cells, strict=True)]
    if inputs.name_column is not None:
        columns = [inputs.name_column, *columns]
        rows = [[n, *row] for n, row in zip(inputs.names, rows, strict=True)]
    return PredictionTable(columns, rows, file)


def write_predictions(table: PredictionTable, out: str | Path) -> Path:
    """Write ``table`` to ``out`` as CSV, atomically; never over the file it was read from."""
    out = Path(out)
    if out.is_dir():
        raise ConfigError(f"--out {out}: a folder; expected a file name, e.g. predictions.csv")
    if out.resolve() == table.source.resolve():
        raise ConfigError(f"--out {out}: the file the predictions were read from")
    return write_text_atomic(out, table.to_csv())


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
