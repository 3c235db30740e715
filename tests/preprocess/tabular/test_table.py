"""A table of numbers, text and missing cells encoded: kinds, order of columns, state."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from trainlab.core.errors import DataError
from trainlab.preprocess.tabular import TableEncoder
from trainlab.preprocess.tabular.columns import column_kinds


def table(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.empty((n, 3), dtype=object)
    x[:, 0] = rng.normal(size=n)
    x[:, 1] = rng.choice(["red", "green", "blue"], n)
    x[:, 2] = rng.integers(0, 10, n).astype(float)
    x[rng.random(n) < 0.1, 0] = None
    x[rng.random(n) < 0.1, 1] = None
    return x


def test_matches_a_sklearn_column_transformer() -> None:
    train, other = table(120, 0), table(50, 1)
    ours = TableEncoder("onehot", "mean").fit(train, ["h", "colour", "k"])
    nan = np.where(train == None, np.nan, train)  # noqa: E711
    ref = ColumnTransformer(
        [
            ("num", SimpleImputer(strategy="mean"), [0, 2]),
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
                ),
                [1],
            ),
        ],
        sparse_threshold=0,
    ).fit(nan)
    assert ours.names_out == ["h", "colour_blue", "colour_green", "colour_red", "k"]
    expected = ref.transform(np.where(other == None, np.nan, other)).astype(np.float64)  # noqa: E711
    out = ours.transform(other)
    assert out.dtype == np.float32 and out.flags.c_contiguous
    # the transformer puts its blocks in order num, cat: ours keeps the columns in place
    np.testing.assert_allclose(out[:, [0, 4, 1, 2, 3]], expected, rtol=1e-6)


def test_state_round_trip_and_float_input() -> None:
    train = table(60, 2)
    enc = TableEncoder("ordinal", "median").fit(train)
    assert enc.names == ["x0", "x1", "x2"] and enc.kinds == ["numeric", "categorical", "numeric"]
    again = TableEncoder.from_state_dict(json.loads(json.dumps(enc.state_dict())))
    np.testing.assert_array_equal(again.transform(train), enc.transform(train))
    # a file of numbers only: a float table, its categorical column read as text
    numeric = np.array([[0.5, 3.0, 1.0]])
    assert enc.transform(numeric).tolist() == [[0.5, -1.0, 1.0]]


def test_bad_tables() -> None:
    enc = TableEncoder().fit(np.array([[1.0, "a"]], dtype=object), ["n", "c"])
    with pytest.raises(DataError, match=r"3 columns, expected 2 \(n, c\)"):
        enc.transform(np.zeros((1, 3)))
    with pytest.raises(DataError, match=r"column 'n': expected numbers .*got 'x'"):
        enc.transform(np.array([["x", "a"]], dtype=object))
    with pytest.raises(DataError, match=r"column 'm' mixes text and numbers \(e\.g\. 'a' and 1"):
        column_kinds(np.array([["a"], [1.0]], dtype=object), ["m"])
    with pytest.raises(DataError, match="empty table"):
        TableEncoder().fit(np.zeros((0, 2), dtype=object))
    with pytest.raises(DataError, match="not fitted"):
        TableEncoder().transform(np.zeros((1, 2)))
