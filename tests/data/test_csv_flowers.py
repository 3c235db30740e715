"""A new user's CSV of flower measurements: a numeric target, a text column, missing cells.

The file is scikit-learn's iris written as a user would have it: four
measurements and the species as text; the petal width is the target.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder

from trainlab.core.errors import DataError
from trainlab.data.datasets import load_dataset
from trainlab.preprocess.pipeline import Preprocessor

COLUMNS = ["sepal_length", "sepal_width", "petal_length", "species", "petal_width"]


def iris_rows() -> list[list[str]]:
    iris = load_iris()
    species = [str(iris.target_names[t]) for t in iris.target]
    return [
        [*(f"{v:g}" for v in row[:3]), name, f"{row[3]:g}"]
        for row, name in zip(iris.data, species, strict=True)
    ]


def write(path: Path, rows: list[list[str]], delimiter: str = ",") -> str:
    lines = [delimiter.join(COLUMNS)] + [delimiter.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def flowers(tmp_path: Path) -> str:
    return write(tmp_path / "flowers.csv", iris_rows())


def load(path: str, **options) -> object:
    return load_dataset("csv", {"path": path, "target": "petal_width", **options})


def test_a_numeric_target_is_learned_as_regression_and_says_so(flowers: str) -> None:
    b = load(flowers)
    assert b.task_kind == "regression" and b.classes == []
    assert b.main_target.name == "petal_width"
    assert b.train.y.dtype == np.float32
    np.testing.assert_array_equal(b.train.y, load_iris().data[:, 3].astype(np.float32))
    assert b.notes[0] == (
        "target 'petal_width': 22 distinct numeric values in 150 rows, learned as regression "
        "(data.options.task: classification to learn classes)"
    )


def test_task_classification_learns_the_values_as_classes(flowers: str) -> None:
    b = load(flowers, task="classification")
    assert b.task_kind == "classification" and b.num_classes == 22
    assert b.classes[:3] == ["0.1", "0.2", "0.3"] and b.classes[-1] == "2.5"
    assert not any("petal_width" in n for n in b.notes)  # asked for: nothing to state


def test_the_species_column_is_encoded_one_hot(flowers: str) -> None:
    b = load(flowers)
    x = b.train.x
    assert x.dtype == object and x.shape == (150, 4)
    assert x[0].tolist() == [5.1, 3.5, 1.4, "setosa"]
    assert "species (3 values)" in b.notes[1]
    pre = Preprocessor(normalize="none").fit(x, b.feature_names)
    out = pre.transform(x)
    assert out.dtype == np.float32 and out.shape == (150, 6)
    assert pre.names_out == [
        "sepal_length",
        "sepal_width",
        "petal_length",
        "species_setosa",
        "species_versicolor",
        "species_virginica",
    ]
    np.testing.assert_array_equal(out[:, :3], load_iris().data[:, :3].astype(np.float32))
    np.testing.assert_array_equal(out[:, 3:].argmax(axis=1), load_iris().target)
    # fitted on the first 100 rows (no virginica): the unseen species is all zeros, as sklearn's
    part = Preprocessor(normalize="none").fit(x[:100], b.feature_names)
    ref = OneHotEncoder(handle_unknown="ignore").fit(x[:100, 3:4].astype(str))
    assert part.names_out[3:] == [f"species_{c}" for c in ref.categories_[0]]
    np.testing.assert_array_equal(
        part.transform(x)[:, 3:], ref.transform(x[:, 3:4].astype(str)).toarray()
    )
    np.testing.assert_array_equal(part.transform(x[100:])[:, 3:], 0.0)


def test_a_spanish_file_reads_the_same_numbers(tmp_path: Path, flowers: str) -> None:
    spanish = [[c.replace(".", ",") for c in r] for r in iris_rows()]
    p = write(tmp_path / "flores.csv", spanish, delimiter=";")
    ours = load(flowers)
    for delimiter in (";", "auto"):
        b = load(p, delimiter=delimiter, decimal=",")
        assert b.train.x.tolist() == ours.train.x.tolist()
        np.testing.assert_array_equal(b.train.y, ours.train.y)
    with pytest.raises(DataError, match=r"'5,1' is not a number with data.options.decimal '\.'"):
        load(p, delimiter=";")


def test_missing_cells_are_refused_or_filled_with_the_training_mean(tmp_path: Path) -> None:
    rows = iris_rows()
    for i in (3, 40, 120):
        rows[i][1] = ""  # sepal width missing
    rows[7][3] = "NA"  # species missing
    b = load(write(tmp_path / "gaps.csv", rows))
    x = b.train.x
    assert x[3, 1] is None and x[7, 3] is None
    assert (
        "missing cells (filled or refused by preprocess.impute): sepal_width 3, species 1"
        in b.notes
    )
    train, test = x[:100], x[100:]
    with pytest.raises(DataError) as exc:
        Preprocessor(normalize="none").fit(train, b.feature_names)
    assert str(exc.value) == (
        "column 'sepal_width' has 2 missing cells in the training split (and 1 more column); "
        "set preprocess.impute to mean, median or most-frequent to fill them"
    )
    pre = Preprocessor(normalize="none", impute="mean").fit(train, b.feature_names)
    widths = load_iris().data[:100, 1].astype(np.float64)
    mean = np.delete(widths, [3, 40]).mean()
    out = pre.transform(test)
    assert out[20, 1] == np.float32(mean)  # row 120 gets the mean of the training rows
    numbers = np.array([[np.nan if v is None else v for v in r] for r in train[:, :3]])
    ref = SimpleImputer(strategy="mean").fit(numbers)
    assert ref.statistics_[1] == pytest.approx(mean, rel=1e-12)
    # the missing species is the most frequent training species: versicolor, 50 rows to 49
    assert pre.transform(x[7:8])[0, 3:].tolist() == [0.0, 1.0]
