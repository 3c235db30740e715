"""Imputation against scikit-learn's SimpleImputer, and the refusal under ``none``."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.impute import SimpleImputer

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.tabular import Imputer
from trainlab.preprocess.tabular.columns import column_kinds


@pytest.fixture
def numbers() -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, size=(80, 4)).astype(np.float64) * 1.5  # ties for most-frequent
    x[:, 3] = rng.normal(size=80)
    x[rng.random((80, 4)) < 0.2] = np.nan
    return x


@pytest.mark.parametrize("strategy", ["mean", "median", "most-frequent"])
def test_numeric_columns_match_sklearn(numbers: np.ndarray, strategy: str) -> None:
    train, other = numbers[:50], numbers[50:]
    names = ["a", "b", "c", "d"]
    table = train.astype(object)
    ours = Imputer(strategy).fit(table, column_kinds(table, names), names)
    ref = SimpleImputer(strategy=strategy.replace("-", "_")).fit(train)
    np.testing.assert_allclose(ours.fill, ref.statistics_, rtol=1e-12)
    out = ours.transform(other.astype(object)).astype(np.float64)
    np.testing.assert_allclose(out, ref.transform(other), rtol=1e-12)


def test_categorical_columns_take_the_most_frequent_category() -> None:
    x = np.array([["b", "x"], ["a", np.nan], [np.nan, "y"], ["b", "y"], ["a", "x"]], dtype=object)
    ref = SimpleImputer(strategy="most_frequent", missing_values=np.nan).fit(x)
    for strategy in ("mean", "median", "most-frequent"):
        imp = Imputer(strategy).fit(x, ["categorical"] * 2, ["p", "q"])
        assert imp.fill == list(ref.statistics_) == ["a", "x"]  # ties: the smallest, as sklearn
        assert imp.transform(x).tolist() == ref.transform(x).tolist()


def test_none_refuses_missing_cells_in_one_line() -> None:
    x = np.array([[1.0, None], [None, "a"], [None, "b"]], dtype=object)
    imp = Imputer("none")
    with pytest.raises(DataError) as exc:
        imp.fit(x, ["numeric", "categorical"], ["height", "colour"])
    assert str(exc.value) == (
        "column 'height' has 2 missing cells in the training split (and 1 more column); "
        "set preprocess.impute to mean, median or most-frequent to fill them"
    )
    full = np.array([[1.0, "a"]], dtype=object)
    imp.fit(full, ["numeric", "categorical"], ["height", "colour"])
    assert imp.transform(full) is full
    with pytest.raises(DataError, match=r"^column 'colour' has 1 missing cell; set preprocess"):
        imp.transform(np.array([[1.0, None]], dtype=object))


def test_state_and_errors() -> None:
    x = np.array([[1.0, "a"], [None, "a"], [3.0, None]], dtype=object)
    imp = Imputer("median").fit(x, ["numeric", "categorical"], ["n", "c"])
    again = Imputer.from_state_dict(json.loads(json.dumps(imp.state_dict())))
    assert (
        again.transform(x).tolist()
        == imp.transform(x).tolist()
        == [
            [1.0, "a"],
            [2.0, "a"],
            [3.0, "a"],
        ]
    )
    with pytest.raises(ConfigError, match=r"preprocess\.impute: expected one of none, mean"):
        Imputer("zero")
    with pytest.raises(DataError, match="column 'n' has no value in the training split"):
        Imputer("mean").fit(np.array([[None]], dtype=object), ["numeric"], ["n"])
    with pytest.raises(ConfigError, match="imputer state"):
        Imputer.from_state_dict({"strategy": "mean"})
