"""``trainlab predict``: one row per input row, read as in training, or one line and exit 2."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from flowerkit import COLUMNS, FAST, SPECIES, read_csv, write_flowers
from trainlab.config.recipe import Recipe
from trainlab.core.errors import CheckpointError, ConfigError, DataError
from trainlab.workflows.assemble import build_run_model
from trainlab.workflows.evaluate import evaluate_checkpoint
from trainlab.workflows.outputs import save_run_model
from trainlab.workflows.predict import predict_file, write_predictions
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.run import run_recipe


@pytest.fixture(scope="module")
def flowers(tmp_path_factory) -> Path:
    return write_flowers(tmp_path_factory.mktemp("data") / "flowers.csv")


@pytest.fixture(scope="module")
def species_model(flowers, tmp_path_factory) -> Path:
    """The tabular-classification starter, trained a few epochs on the species."""
    r = Recipe.load("tabular-classification").override(
        {**FAST, "data.options": {"path": str(flowers), "target": "species"}}
    )
    return run_recipe(r, out_dir=tmp_path_factory.mktemp("runs"), name="species").folder


@pytest.fixture(scope="module")
def width_model(flowers, tmp_path_factory) -> Path:
    """The tabular-regression starter on petal_width (species, a text column, one-hot)."""
    sets = [f"data.options.path={flowers}", "data.options.target=petal_width"]
    r = Recipe.load("tabular-regression").override(sets).override(FAST)
    return run_recipe(r, out_dir=tmp_path_factory.mktemp("runs"), name="width").folder


def test_classes_and_probabilities_for_a_file_without_the_target(species_model, tmp_path):
    features = write_flowers(tmp_path / "new.csv", columns=COLUMNS)
    table = predict_file(species_model, features)
    assert table.columns == ["species", "p_setosa", "p_versicolor", "p_virginica"]
    assert len(table.rows) == 150
    for row in table.rows:
        probs = [float(p) for p in row[1:]]
        assert math.isclose(sum(probs), 1.0, abs_tol=1e-4)
        assert row[0] == SPECIES[int(np.argmax(probs))]


def test_predictions_score_as_evaluate_scores_the_whole_file(species_model, flowers, tmp_path):
    out = write_predictions(predict_file(species_model, flowers), tmp_path / "p.csv")
    predicted = [row["species"] for row in read_csv(out)]
    truth = [row["species"] for row in read_csv(flowers)]
    acc = np.mean([p == t for p, t in zip(predicted, truth, strict=True)])
    whole = evaluate_checkpoint(species_model, split="all", file=flowers)
    assert whole["n"] == 150 and whole["split"] == "all"
    assert whole["acc"] == pytest.approx(acc)


def test_columns_in_another_order_and_extra_columns_are_fine(species_model, flowers, tmp_path):
    shuffled = write_flowers(tmp_path / "s.csv", columns=["species", *reversed(COLUMNS)])
    with open(shuffled, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines()
    extra = tmp_path / "id.csv"
    extra.write_text(
        "\n".join([f"id,{lines[0]}"] + [f"{i},{ln}" for i, ln in enumerate(lines[1:])]) + "\n"
    )
    expected = predict_file(species_model, flowers).rows
    assert predict_file(species_model, shuffled).rows == expected
    assert predict_file(species_model, extra).rows == expected


def test_the_regression_value_in_the_targets_units(width_model, flowers, tmp_path):
    table = predict_file(
        width_model, write_flowers(tmp_path / "n.csv", columns=[*COLUMNS[:3], "species"])
    )
    assert table.columns == ["petal_width"] and len(table.rows) == 150
    pred = np.array([float(r[0]) for r in table.rows])
    truth = np.array([float(r["petal_width"]) for r in read_csv(flowers)])
    whole = evaluate_checkpoint(width_model, split="all", file=flowers)
    assert whole["rmse"] == pytest.approx(np.sqrt(np.mean((pred - truth) ** 2)), rel=1e-4)
    assert {"rmse", "mae", "r2", "loss"} <= set(whole)


def _untrained(recipe: Recipe, folder: Path) -> Path:
    """A run folder's model file, untrained: enough to check what predict writes."""
    data = prepare_data(recipe)
    folder.mkdir(parents=True, exist_ok=True)
    save_run_model(folder / "model.safetensors", recipe, data, [build_run_model(recipe, data)], {})
    return folder


def test_multitask_writes_each_targets_prediction(flowers, tmp_path):
    r = Recipe.load("tabular-regression").override(
        {
            "data.options": {"path": str(flowers), "target": ["species", "petal_width"]},
            "task.type": "multitask",
            "task.targets": ["species", "petal_width"],
        }
    )
    model = _untrained(r, tmp_path / "mt")
    table = predict_file(model, write_flowers(tmp_path / "n.csv", columns=COLUMNS[:3]))
    assert table.columns == [
        "species",
        "species_p_setosa",
        "species_p_versicolor",
        "species_p_virginica",
        "petal_width",
    ]
    assert len(table.rows) == 150 and table.rows[0][0] in SPECIES


def test_a_bundled_table_predicts_from_a_csv_of_its_columns(tmp_path):
    from sklearn.datasets import load_linnerud

    r = Recipe.load("diabetes-mlp").override(
        {"data.dataset": "linnerud", "task.type": "auto", "task.targets": ["weight", "pulse"]}
    )
    model = _untrained(r.override({"split.val": 0.2, "split.test": 0.2}), tmp_path / "l")
    ds = load_linnerud()
    f = tmp_path / "men.csv"
    f.write_text("Jumps,Situps,Chins\n" + "\n".join(f"{j},{s},{c}" for c, s, j in ds.data) + "\n")
    table = predict_file(model, f)
    assert table.columns == ["weight", "pulse"] and len(table.rows) == 20


def test_an_image_model_predicts_a_folder_of_images(tmp_path):
    from PIL import Image

    r = Recipe.load("digits-cnn").override(
        {"data.options": {"source": "sklearn"}, "model.widths": [4, 8]}
    )
    model = _untrained(r, tmp_path / "digits")
    images = tmp_path / "images"
    (images / "more").mkdir(parents=True)
    Image.new("L", (8, 8), 200).save(images / "a.png")
    Image.new("RGB", (20, 12), "white").save(images / "more" / "b.png")
    table = predict_file(model, images)
    assert table.columns[:2] == ["file", "digit"] and len(table.columns) == 12
    assert [row[0] for row in table.rows] == ["a.png", "more/b.png"]
    assert predict_file(model / "model.safetensors", images / "a.png").rows[0][0] == "a.png"


@pytest.mark.parametrize(
    ("change", "error", "fragments"),
    [
        (lambda t: t.replace("sepal_width", "sepal_w"), DataError, ["no column 'sepal_width'"]),
        (lambda t: t.replace("5.1,3.5", "abc,3.5", 1), DataError, ["line 2", "'abc'"]),
        (
            lambda t: t.replace("5.1,3.5", ",3.5", 1),
            DataError,
            ["n.csv line 2, column 'sepal_length'", "missing cell", "impute: none"],
        ),
    ],
)
def test_a_file_that_does_not_fit_is_one_line(species_model, tmp_path, change, error, fragments):
    source = write_flowers(tmp_path / "f.csv", columns=COLUMNS)
    bad = tmp_path / "n.csv"
    bad.write_text(change(source.read_text()))
    with pytest.raises(error) as e:
        predict_file(species_model, bad)
    assert "\n" not in str(e.value)
    for fragment in fragments:
        assert fragment in str(e.value)


def test_a_model_that_imputes_fills_a_missing_cell(flowers, tmp_path):
    gappy = tmp_path / "gappy.csv"
    gappy.write_text(flowers.read_text().replace("5.1,3.5,1.4,0.2,setosa", "5.1,,1.4,0.2,setosa"))
    r = Recipe.load("tabular-classification").override(
        {
            **FAST,
            "data.options": {"path": str(gappy), "target": "species"},
            "preprocess.impute": "median",
        }
    )
    model = _untrained(r, tmp_path / "m")
    new = tmp_path / "new.csv"
    new.write_text("sepal_length,sepal_width,petal_length,petal_width\n5.0,,1.0,0.1\n6,3,4,1\n")
    assert len(predict_file(model, new).rows) == 2


def test_not_a_model_and_not_a_run_folder(tmp_path, flowers):
    with pytest.raises(CheckpointError):
        predict_file(flowers, flowers)
    with pytest.raises(ConfigError, match=r"without model\.safetensors"):
        predict_file(tmp_path, flowers)


def test_the_output_never_replaces_the_input(species_model, flowers):
    table = predict_file(species_model, flowers)
    with pytest.raises(ConfigError, match="read from"):
        write_predictions(table, flowers)


def test_cli_predict_writes_the_file_or_nothing(cli, one_line_error, species_model, tmp_path):
    features = write_flowers(tmp_path / "new.csv", columns=COLUMNS)
    out = tmp_path / "out" / "predictions.csv"
    code, stdout, err = cli("predict", str(species_model), str(features), "--out", str(out))
    assert code == 0, err
    assert "150 predictions" in stdout and len(read_csv(out)) == 150
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    again = tmp_path / "again.csv"
    code, _, err = cli("predict", str(species_model), str(bad), "--out", str(again))
    one_line_error(code, err, "bad.csv", "sepal_length")
    assert not again.exists()
    code, _, err = cli("predict", str(bad), str(features), "--out", str(again))
    one_line_error(code, err, "bad.csv")
    assert not again.exists()
