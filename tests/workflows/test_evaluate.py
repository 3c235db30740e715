"""``trainlab evaluate``: a saved model scored with its own task, on a split or a whole file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from flowerkit import COLUMNS, FAST, read_csv, write_flowers
from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.workflows.evaluate import SavedModel, evaluate_checkpoint
from trainlab.workflows.predict import predict_file
from trainlab.workflows.run import run_recipe


@pytest.fixture(scope="module")
def flowers(tmp_path_factory):
    return write_flowers(tmp_path_factory.mktemp("data") / "flowers.csv")


@pytest.fixture(scope="module")
def species(flowers, tmp_path_factory):
    r = Recipe.load("tabular-classification").override(
        {**FAST, "data.options": {"path": str(flowers), "target": "species"}}
    )
    return run_recipe(r, out_dir=tmp_path_factory.mktemp("runs"), name="species")


@pytest.fixture(scope="module")
def diabetes(tmp_path_factory):
    r = Recipe.load("diabetes-mlp").override(FAST)
    return run_recipe(r, out_dir=tmp_path_factory.mktemp("runs"), name="diabetes")


def test_a_regression_is_scored_in_its_own_metrics(diabetes):
    m = evaluate_checkpoint(diabetes.folder, split="test")
    for name in ("loss", "rmse", "mae", "r2"):
        assert m[name] == pytest.approx(diabetes.metrics[f"test_{name}"], rel=1e-5), name
    assert "acc" not in m


def test_all_scores_every_example_whatever_the_split(diabetes):
    m = evaluate_checkpoint(diabetes.folder / "model.safetensors", split="all")
    assert m["n"] == 442 and m["split"] == "all"
    sizes = diabetes.data.sizes
    parts = {s: diabetes.metrics[f"{s}_mae"] for s in ("train", "val", "test")}
    weighted = sum(parts[s] * sizes[s] for s in parts) / sum(sizes.values())
    assert m["mae"] == pytest.approx(weighted, rel=1e-5)  # MAE is a mean over examples


def test_a_file_with_only_some_of_the_classes_scores_by_class_name(species, tmp_path):
    two = write_flowers(tmp_path / "two.csv", rows=slice(50, 150))  # versicolor, virginica
    m = evaluate_checkpoint(species.folder, file=two, split="all")
    predicted = [row[0] for row in predict_file(species.folder, two).rows]
    truth = [row["species"] for row in read_csv(two)]
    assert m["n"] == 100
    assert m["acc"] == pytest.approx(
        np.mean([p == t for p, t in zip(predicted, truth, strict=True)])
    )


def test_a_class_the_model_does_not_know_is_one_line(species, flowers, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text(flowers.read_text().replace("setosa", "rosa"))
    with pytest.raises(DataError, match="'rosa', which the model does not know"):
        evaluate_checkpoint(species.folder, file=odd, split="all")


def test_a_file_target_is_read_as_the_model_learned_it(flowers, tmp_path):
    sets = [f"data.options.path={flowers}", "data.options.target=petal_width"]
    r = Recipe.load("tabular-regression").override(sets).override(FAST)
    result = run_recipe(r, out_dir=tmp_path, name="w")
    rounded = tmp_path / "rounded.csv"  # three distinct whole values: alone, they read as classes
    rows = read_csv(flowers)
    header = [*COLUMNS, "species"]
    lines = [",".join(header)]
    lines += [
        ",".join(str(round(float(r[c]))) if c == "petal_width" else r[c] for c in header)
        for r in rows
    ]
    rounded.write_text("\n".join(lines) + "\n")
    m = evaluate_checkpoint(result.folder, file=rounded, split="all")
    assert {"rmse", "mae", "r2"} <= set(m) and m["n"] == 150


def test_saved_model_carries_its_task_and_targets(diabetes):
    saved = SavedModel.load(diabetes.folder)
    assert saved.task.kind == "regression" and saved.targets[0].name == "progression"
    assert float(saved.task.std) > 1.0  # the target's spread, fitted on the training split


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"split": "test", "file": "x.csv"}, "does not apply"),
        ({"split": "everything"}, "expected one of"),
    ],
)
def test_bad_requests_are_config_errors(diabetes, kwargs, fragment):
    with pytest.raises(ConfigError, match=fragment):
        evaluate_checkpoint(diabetes.folder, **kwargs)


def test_a_file_for_data_that_read_no_file(diabetes, flowers):
    with pytest.raises(ConfigError, match="reads no file"):
        evaluate_checkpoint(diabetes.folder, split="all", file=flowers)


def test_cli_evaluate_a_file_a_split_and_all(cli, one_line_error, species, diabetes, flowers):
    code, out, err = cli("evaluate", str(species.folder), "--file", str(flowers))
    assert code == 0, err
    assert out.startswith(f"{flowers} [all] n=150  accuracy ") and "loss" in out
    code, out, err = cli("evaluate", str(diabetes.folder), "--split", "all")
    assert code == 0, err
    assert "diabetes [all] n=442  RMSE" in out and "R²" in out and "accuracy" not in out
    code, out, _ = cli("evaluate", str(diabetes.folder), "--json")
    assert json.loads(out)["split"] == "test"
    code, _, err = cli("evaluate", str(diabetes.folder), "--file", str(flowers), "--split", "val")
    one_line_error(code, err, "--split val")
