"""A table of numbers, text and missing cells as float32 model inputs.

Fitted on the training split only: the column kinds (read from the values,
:mod:`.columns`), the imputation of missing cells (:mod:`.impute`) and the
categories of the text columns (:mod:`.encode`); applied unchanged to every
split. A numeric column stays one column; a categorical column becomes its
one-hot block, or one ordinal column, in place. The state is JSON.

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0, "red"], [None, "blue"], [3.0, "red"]], dtype=object)
    >>> enc = TableEncoder("onehot", "median").fit(x, ["size", "colour"])
    >>> enc.names_out
    ['size', 'colour_blue', 'colour_red']
    >>> enc.transform(x).tolist()
    [[1.0, 0.0, 1.0], [2.0, 1.0, 0.0], [3.0, 0.0, 1.0]]
    >>> TableEncoder.from_state_dict(enc.state_dict()).transform(x).dtype.name
    'float32'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.tabular.columns import (
    ColumnKind,
    as_table,
    column_kinds,
    column_names,
    is_missing,
    is_number,
)
from trainlab.preprocess.tabular.encode import CategoricalEncoder
from trainlab.preprocess.tabular.impute import Imputer


class TableEncoder:
    """Imputation, then categorical encoding; numeric columns pass through as float32.

    Args:
        categorical: ``onehot`` or ``ordinal``.
        impute: ``none``, ``mean``, ``median`` or ``most-frequent``.
    """

    def __init__(self, categorical: str = "onehot", impute: str = "none") -> None:
        self.imputer = Imputer(impute)
        self.encoder = CategoricalEncoder(categorical)
        self.names: list[str] = []
        self.kinds: list[ColumnKind] = []

    @property
    def fitted(self) -> bool:
        return bool(self.names)

    def fit(self, x: Any, names: list[str] | None = None) -> TableEncoder:
        """Fit on the training table ``x`` (N, F), whose columns ``names`` names (default x0, …)."""
        table = as_table(x, "fit")
        if len(table) == 0:
            raise DataError("tabular fit: got an empty table (N = 0)")
        self.names = column_names(names, table.shape[1])
        self.kinds = column_kinds(table, self.names)
        filled = self.imputer.fit(table, self.kinds, self.names).transform(table)
        cat = self._categorical()
        self.encoder.fit(filled[:, cat], [self.names[j] for j in cat])
        return self

    def _categorical(self) -> list[int]:
        return [j for j, k in enumerate(self.kinds) if k == "categorical"]

    @property
    def names_out(self) -> list[str]:
        """The output column names, in order."""
        out: list[str] = []
        cats = iter(self.encoder.names_out())
        for j, kind in enumerate(self.kinds):
            if kind == "numeric":
                out.append(self.names[j])
            else:
                k = self.encoder.width(self._categorical().index(j))
                out += [next(cats) for _ in range(k)]
        return out

    def transform(self, x: Any) -> np.ndarray:
        """The float32 ``(N, F')`` inputs of table ``x`` (N, F)."""
        if not self.fitted:
            raise DataError("tabular transform: the encoder is not fitted; call fit(train) first")
        table = as_table(x, "transform")
        if table.shape[1] != len(self.names):
            raise DataError(
                f"tabular transform: {table.shape[1]} columns, expected {len(self.names)} "
                f"({', '.join(self.names)})"
            )
        filled = self.imputer.transform(table)
        cat = self._categorical()
        codes = self.encoder.transform(filled[:, cat])
        blocks: list[np.ndarray] = []
        start = 0
        for j, kind in enumerate(self.kinds):
            if kind == "numeric":
                blocks.append(_numbers(filled[:, j], self.names[j])[:, None])
            else:
                k = self.encoder.width(cat.index(j))
                blocks.append(codes[:, start : start + k])
                start += k
        out = np.concatenate(blocks, axis=1) if blocks else np.zeros((len(table), 0))
        return np.ascontiguousarray(out, dtype=np.float32)

    def state_dict(self) -> dict[str, Any]:
        """JSON: column names and kinds, the imputer's and the encoder's state."""
        return {
            "names": list(self.names),
            "kinds": list(self.kinds),
            "impute": self.imputer.state_dict(),
            "categorical": self.encoder.state_dict(),
        }

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> TableEncoder:
        """Rebuild a fitted encoder from :meth:`state_dict`'s output."""
        try:
            enc = cls()
            enc.names = [str(n) for n in state["names"]]
            enc.kinds = list(state["kinds"])
            enc.imputer = Imputer.from_state_dict(state["impute"])
            enc.encoder = CategoricalEncoder.from_state_dict(state["categorical"])
        except (KeyError, TypeError):
            raise ConfigError("tabular state: expected names, kinds, impute, categorical") from None
        if len(enc.kinds) != len(enc.names) or set(enc.kinds) - {"numeric", "categorical"}:
            raise ConfigError(
                "tabular state: one kind (numeric or categorical) per column expected"
            )
        return enc


def _numbers(values: np.ndarray, name: str) -> np.ndarray:
    """A numeric column as float64; text there is an error naming the column."""
    for v in values:
        if not is_number(v) and not is_missing(v):
            raise DataError(
                f"column {name!r}: expected numbers (as in the training data), got {v!r}"
            )
    return values.astype(np.float64)
