"""``trainlab predict MODEL FILE``: a saved model's predictions for every row of a file.

MODEL is a run folder or its ``model.safetensors``; FILE a CSV file for a
tabular model (the target columns may be absent), an image file or folder for
an image model, audio files for an audio model, texts for a text model, or a
video file or a folder of them for a video model. The predictions go to ``--out`` (default
``predictions.csv``), written whole or not at all: one row per input row, with
the predicted class and one probability column per class, or the predicted
value, for each learned target (see :mod:`trainlab.workflows.predict`).

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.predict import predict
    >>> "MODEL FILE" in CliRunner().invoke(predict, ["--help"]).output
    True
"""

from __future__ import annotations

import click


@click.command()
@click.argument("model", type=click.Path())
@click.argument("file", type=click.Path())
@click.option(
    "--out",
    "-o",
    default="predictions.csv",
    show_default=True,
    type=click.Path(),
    help="The CSV file to write (replaced whole, never half-written).",
)
def predict(model: str, file: str, out: str) -> None:
    """Predict with a saved MODEL (a run folder or its model.safetensors) for every row of FILE.

    FILE is a CSV file with the model's feature columns (its target columns may be
    absent), or an image, audio or video file or a folder of them for an image,
    audio or video model, or a file of texts for a text model. Each row of
    the output holds the predicted class and one probability per class, or the
    predicted value, for each target the model learned.
    """
    from trainlab.workflows.predict import predict_file, write_predictions

    table = predict_file(model, file)
    path = write_predictions(table, out)
    click.echo(f"trainlab: {len(table.rows)} predictions ({', '.join(table.columns)}) → {path}")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (predict,)
