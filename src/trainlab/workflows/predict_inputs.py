"""What ``trainlab predict`` reads, per kind of data: modality -> reader (:data:`READERS`).

A reader turns a file (or a folder of files) into a saved model's inputs, read
as its training data were and through its own fitted preprocessing (nothing is
refitted), with a name for each input where the rows need one:

- ``tabular``: a CSV file (:mod:`~trainlab.workflows.predict_table`);
- ``image``: an image file, or every image under a folder (sorted,
  recursively), made to the model's size and channels; rows named by ``file``;
- ``audio``: an audio file or a folder of them, each clip mixed down, resampled
  to the model's rate, and cropped or padded to its length; by ``file``;
- ``text``: a ``.txt`` file (one text a line), or a CSV or JSON Lines file with
  the training file's text column; rows named by their ``text`` (its first words);
- ``video``: a video file or a folder of them, read as the model's training
  clips were, then its video pipeline (:mod:`~trainlab.workflows.predict_video`);
  by ``file``.

Example:
    >>> from trainlab.workflows.predict_inputs import READERS
    >>> READERS.names()
    ['audio', 'image', 'tabular', 'text', 'video']
    >>> READERS.get("video").reads
    'video files'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from trainlab.core.errors import DataError
from trainlab.core.registry import Registry
from trainlab.data.datasets.image.image_folder import EXTENSIONS, list_images, read_image
from trainlab.preprocess.image.fit import make_uniform
from trainlab.workflows.evaluate import SavedModel
from trainlab.workflows.predict_table import read_table


@dataclass(frozen=True)
class ModelInputs:
    """A file read for a model.

    Attributes:
        x: the model's inputs, one row per input.
        names: a name for each row (empty: the rows need none, as a table's).
        name_column: the header of the names' column (``file``, ``text``), or None.
    """

    x: torch.Tensor
    names: list[str]
    name_column: str | None = None


@dataclass(frozen=True)
class Reader:
    """How one kind of model reads a file: ``read(saved, file)`` and what it reads."""

    read: Callable[[SavedModel, Path], ModelInputs]
    reads: str


def model_inputs(saved: SavedModel, raw: np.ndarray, file: Path) -> torch.Tensor:
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


def files_of(file: Path, listed, what: str) -> tuple[list[Path], list[str]]:
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


# -- tables --------------------------------------------------------------------------------
def _tabular(saved: SavedModel, file: Path) -> ModelInputs:
    return ModelInputs(model_inputs(saved, read_table(saved, file), file), [])


# -- images --------------------------------------------------------------------------------
def read_images(saved: SavedModel, file: Path) -> tuple[list[str], np.ndarray]:
    """The image at ``file``, or every image under the folder ``file``, at the model's size.

    Returns:
        The names (relative to the folder) and the (N, C, H, W) batch.
    """
    paths, names = files_of(file, list_images, f"images ({', '.join(EXTENSIONS)})")
    images = []
    for p in paths:
        try:
            images.append(read_image(p))
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise DataError(f"{p}: not a readable image ({exc})") from None
    fit = saved.meta["preprocess"]["image"]
    size = tuple(fit["size"])
    return names, make_uniform(images, (int(size[0]), int(size[1])), fit["fit"], fit["channels"])


def _images(saved: SavedModel, file: Path) -> ModelInputs:
    names, raw = read_images(saved, file)
    return ModelInputs(model_inputs(saved, raw, file), names, "file")


# -- audio ---------------------------------------------------------------------------------
def read_audio_clips(saved: SavedModel, file: Path) -> tuple[list[str], np.ndarray]:
    """The audio file ``file``, or every audio file under the folder, as the model's clips.

    Returns:
        The names (relative to the folder) and the (N, C, L) batch at the model's
        sample rate and clip length.
    """
    from trainlab.data.datasets.audio._clips import ClipSpec, decode_clip, suffixes
    from trainlab.data.datasets.audio.audio_folder import list_audio

    paths, names = files_of(file, list_audio, f"audio files ({suffixes()})")
    channels, length = saved.meta["data"]["input_shape"]
    rate = int(saved.meta["data"]["sample_rate"])
    crop = saved.recipe.data.options.get("crop", "centre")  # as the model's clips were cut
    spec = ClipSpec(rate, int(length) / rate, crop, mono=int(channels) == 1)
    return names, np.stack([decode_clip(p, spec).samples for p in paths])


def _audio(saved: SavedModel, file: Path) -> ModelInputs:
    names, raw = read_audio_clips(saved, file)
    return ModelInputs(model_inputs(saved, raw, file), names, "file")


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


def _texts(saved: SavedModel, file: Path) -> ModelInputs:
    from trainlab.preprocess.text.pipeline import TextPipeline
    from trainlab.workflows.text_setup import text_inputs

    names, texts = read_texts(saved, file)
    pipeline = TextPipeline.from_state_dict(saved.meta["preprocess"]["text"])
    return ModelInputs(text_inputs(pipeline, texts), names, "text")


# -- video ---------------------------------------------------------------------------------
def _video(saved: SavedModel, file: Path) -> ModelInputs:
    from trainlab.workflows.predict_video import read_video_clips, video_inputs

    names, clips = read_video_clips(saved, file)
    return ModelInputs(video_inputs(saved, clips, file), names, "file")


#: modality -> how its models read a file
READERS: Registry[Reader] = Registry(
    "predicted modality",
    {
        "tabular": Reader(_tabular, "CSV files"),
        "image": Reader(_images, "images"),
        "audio": Reader(_audio, "audio files"),
        "text": Reader(_texts, "texts"),
        "video": Reader(_video, "video files"),
    },
)
