"""Categorical encoding against scikit-learn's OneHotEncoder and OrdinalEncoder."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.tabular import UNKNOWN, CategoricalEncoder

NAMES = ["colour", "size"]


@pytest.fixture
def tables() -> tuple[np.ndarray, np.ndarray]:
    """A training table, and another whose columns hold categories training never saw."""
    rng = np.random.default_rng(0)
    colours = np.array(["red", "green", "blue", "violet"])
    sizes = np.array(["S", "M", "L", "XL", "XXL"])
    train = np.stack([rng.choice(colours[:3], 60), rng.choice(sizes[:4], 60)], axis=1)
    other = np.stack([rng.choice(colours, 40), rng.choice(sizes, 40)], axis=1)
    assert "violet" in other[:, 0] and "XXL" in other[:, 1]
    return train.astype(object), other.astype(object)


def test_onehot_matches_sklearn_ignoring_unknown_categories(tables) -> None:
    train, other = tables
    ours = CategoricalEncoder("onehot").fit(train, NAMES)
    ref = OneHotEncoder(handle_unknown="ignore").fit(train.astype(str))
    assert ours.categories == [list(c) for c in ref.categories_]
    assert ours.names_out() == list(ref.get_feature_names_out(NAMES))
    for x in (train, other):
        np.testing.assert_array_equal(ours.transform(x), ref.transform(x.astype(str)).toarray())
    rows = other[:, 0] == "violet"
    np.testing.assert_array_equal(ours.transform(other)[rows, :3], 0.0)  # unseen: all zeros


def test_ordinal_matches_sklearn_with_a_code_for_unknown(tables) -> None:
    train, other = tables
    ours = CategoricalEncoder("ordinal").fit(train, NAMES)
    ref = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    ref.fit(train.astype(str))
    assert ours.names_out() == NAMES and ours.width(0) == 1
    for x in (train, other):
        np.testing.assert_array_equal(ours.transform(x), ref.transform(x.astype(str)))
    assert UNKNOWN in ours.transform(other)


def test_state_round_trip_and_errors(tables) -> None:
    train, other = tables
    enc = CategoricalEncoder("onehot").fit(train, NAMES)
    again = CategoricalEncoder.from_state_dict(json.loads(json.dumps(enc.state_dict())))
    np.testing.assert_array_equal(again.transform(other), enc.transform(other))
    with pytest.raises(ConfigError, match=r"preprocess\.categorical: expected one of onehot"):
        CategoricalEncoder("target")
    with pytest.raises(ConfigError, match="categorical encoder state"):
        CategoricalEncoder.from_state_dict({"encoding": "onehot"})
    with pytest.raises(DataError, match="3 columns, fitted on 2"):
        enc.transform(np.zeros((2, 3), dtype=object))
    with pytest.raises(DataError, match="column 'size': a missing cell"):
        enc.transform(np.array([["red", None]], dtype=object))


def test_numbers_in_a_categorical_column_read_as_their_text() -> None:
    enc = CategoricalEncoder("ordinal").fit(np.array([["1"], ["2.5"], ["b"]], dtype=object), ["c"])
    assert enc.transform(np.array([[1.0], [2.5], [7.0]], dtype=object)).ravel().tolist() == [
        0.0,
        1.0,
        UNKNOWN,
    ]
