"""Categorical columns as numbers: one-hot or ordinal codes, fitted on the training split.

- ``onehot``: one 0/1 column per training category (sorted, as scikit-learn's
  ``OneHotEncoder``); a category never seen in training is all zeros, like
  ``OneHotEncoder(handle_unknown="ignore")``. Output names ``column_category``.
- ``ordinal``: the index of the category in the sorted training categories;
  an unseen category is :data:`UNKNOWN` (−1), like
  ``OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)``.

Categories are strings; a number met in a categorical column (a new file
whose column happens to hold digits only) is read as its text, ``3`` or
``2.5``. Missing cells must be filled first (:mod:`.impute`).

Example:
    >>> import numpy as np
    >>> x = np.array([["red"], ["blue"], ["red"]], dtype=object)
    >>> enc = CategoricalEncoder("onehot").fit(x, ["colour"])
    >>> enc.categories, enc.names_out()
    ([['blue', 'red']], ['colour_blue', 'colour_red'])
    >>> enc.transform(np.array([["red"], ["green"]], dtype=object)).tolist()
    [[0.0, 1.0], [0.0, 0.0]]
    >>> CategoricalEncoder("ordinal").fit(x, ["colour"]).transform(x).ravel().tolist()
    [1.0, 0.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.tabular.columns import as_text, is_missing

#: the encodings (``preprocess.categorical``)
ENCODINGS: tuple[str, ...] = ("onehot", "ordinal")

#: the ordinal code of a category the training split did not have
UNKNOWN = -1.0


class CategoricalEncoder:
    """Encodes categorical columns, one block of output columns per input column.

    Args:
        encoding: ``onehot`` or ``ordinal``.
    """

    def __init__(self, encoding: str = "onehot") -> None:
        if encoding not in ENCODINGS:
            raise ConfigError(
                f"preprocess.categorical: expected one of {', '.join(ENCODINGS)}, got {encoding!r}"
            )
        self.encoding = encoding
        self.names: list[str] = []
        #: per column: its sorted training categories
        self.categories: list[list[str]] = []

    def fit(self, x: np.ndarray, names: list[str]) -> CategoricalEncoder:
        """Learn the sorted categories of each column of object table ``x`` (N, C)."""
        self.names = list(names)
        self.categories = [sorted(set(_texts(x[:, j], name))) for j, name in enumerate(names)]
        return self

    def width(self, j: int) -> int:
        """How many output columns input column ``j`` becomes."""
        return len(self.categories[j]) if self.encoding == "onehot" else 1

    def names_out(self) -> list[str]:
        """The output column names (``column_category`` for one-hot, else the column)."""
        if self.encoding == "ordinal":
            return list(self.names)
        return [
            f"{n}_{c}" for n, cats in zip(self.names, self.categories, strict=True) for c in cats
        ]

    def transform(self, x: np.ndarray) -> np.ndarray:
        """The float64 codes ``(N, Σ width)`` of object table ``x`` (N, C)."""
        if x.shape[1] != len(self.names):
            raise DataError(
                f"categorical encoder: {x.shape[1]} columns, fitted on {len(self.names)}"
            )
        blocks = [self._column(x[:, j], j) for j in range(len(self.names))]
        return np.concatenate(blocks, axis=1) if blocks else np.zeros((len(x), 0))

    def _column(self, values: np.ndarray, j: int) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.categories[j])}
        codes = np.array([index.get(t, -1) for t in _texts(values, self.names[j])], dtype=np.int64)
        if self.encoding == "ordinal":
            return np.where(codes < 0, UNKNOWN, codes).astype(np.float64)[:, None]
        out = np.zeros((len(codes), len(index)), dtype=np.float64)
        known = codes >= 0
        out[np.flatnonzero(known), codes[known]] = 1.0
        return out

    def state_dict(self) -> dict[str, Any]:
        """JSON: the encoding, the column names and their categories."""
        return {
            "encoding": self.encoding,
            "names": list(self.names),
            "categories": [list(c) for c in self.categories],
        }

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> CategoricalEncoder:
        """Rebuild a fitted encoder from :meth:`state_dict`'s output."""
        try:
            enc = cls(state["encoding"])
            enc.names = [str(n) for n in state["names"]]
            enc.categories = [[str(c) for c in cats] for cats in state["categories"]]
        except (KeyError, TypeError):
            raise ConfigError(
                "categorical encoder state: expected encoding, names, categories"
            ) from None
        if len(enc.categories) != len(enc.names):
            raise ConfigError("categorical encoder state: one category list per column expected")
        return enc


def _texts(values: np.ndarray, name: str) -> list[str]:
    """A column's categories as text; a missing cell here is an error (impute first)."""
    out = []
    for v in values:
        if is_missing(v):
            raise DataError(f"column {name!r}: a missing cell reached the categorical encoder")
        out.append(as_text(v))
    return out
