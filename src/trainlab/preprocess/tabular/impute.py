"""Missing values filled with statistics of the training split, or refused.

Strategies, as scikit-learn's ``SimpleImputer`` (fitted on the training
split only, applied unchanged to every split):

- ``none``: no filling; a missing cell is refused with a one-line error that
  names the column, how many cells are missing and the key to set;
- ``mean``, ``median``: of the column's present training values (float64);
- ``most-frequent``: the most frequent present training value, the smallest
  of those tied (as scikit-learn).

A categorical column is filled with its most frequent training category under
``mean``, ``median`` and ``most-frequent`` alike: the mean of categories is
undefined, and a category of its own for "missing" would be a class the
training split may never show.

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0, "a"], [None, "b"], [5.0, None], [1.0, "b"]], dtype=object)
    >>> imp = Imputer("mean").fit(x, ["numeric", "categorical"], ["n", "c"])
    >>> imp.fill, imp.transform(x)[:, 0].tolist()
    ([2.3333333333333335, 'b'], [1.0, 2.3333333333333335, 5.0, 1.0])
    >>> Imputer.from_state_dict(imp.state_dict()).fill == imp.fill
    True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.words import count
from trainlab.preprocess.tabular.columns import ColumnKind, is_missing, missing_mask

#: the imputation strategies (``preprocess.impute``)
STRATEGIES: tuple[str, ...] = ("none", "mean", "median", "most-frequent")


class Imputer:
    """Fills missing cells of a table with per-column training statistics.

    Args:
        strategy: ``none``, ``mean``, ``median`` or ``most-frequent``.
    """

    def __init__(self, strategy: str = "none") -> None:
        if strategy not in STRATEGIES:
            raise ConfigError(
                f"preprocess.impute: expected one of {', '.join(STRATEGIES)}, got {strategy!r}"
            )
        self.strategy = strategy
        self.names: list[str] = []
        #: per column: the value that fills its missing cells (None under ``none``)
        self.fill: list[float | str | None] = []

    def fit(self, x: np.ndarray, kinds: list[ColumnKind], names: list[str]) -> Imputer:
        """Learn each column's fill value from the training table ``x`` (object, (N, F)).

        Raises:
            DataError: a missing cell under ``none``, or a column with no
                present training value to learn from.
        """
        self.names = list(names)
        if self.strategy == "none":
            self.fill = [None] * len(names)
            self._refuse(x, " in the training split")
            return self
        self.fill = []
        for j, (kind, name) in enumerate(zip(kinds, names, strict=True)):
            present = [v for v in x[:, j] if not is_missing(v)]
            if not present:
                raise DataError(
                    f"column {name!r} has no value in the training split to impute from"
                )
            self.fill.append(self._statistic(present, kind))
        return self

    def _statistic(self, present: list[Any], kind: ColumnKind) -> float | str:
        if kind == "categorical" or self.strategy == "most-frequent":
            counts = Counter(present)
            top = max(counts.values())
            return min(v for v, c in counts.items() if c == top)
        values = np.asarray(present, dtype=np.float64)
        return float(values.mean() if self.strategy == "mean" else np.median(values))

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Object table ``x`` with its missing cells filled (a copy when there are some).

        Raises:
            DataError: a missing cell under ``none``.
        """
        if self.strategy == "none":
            self._refuse(x, "")
            return x
        mask = missing_mask(x)
        if not mask.any():
            return x
        out = x.copy()
        for j in np.flatnonzero(mask.any(axis=0)):
            out[mask[:, j], j] = self.fill[j]
        return out

    def _refuse(self, x: np.ndarray, where: str) -> None:
        per_column = missing_mask(x).sum(axis=0)
        holes = np.flatnonzero(per_column)
        if not len(holes):
            return
        j = int(holes[0])
        more = f" (and {count(len(holes) - 1, 'more column')})" if len(holes) > 1 else ""
        raise DataError(
            f"column {self.names[j]!r} has {count(int(per_column[j]), 'missing cell')}{where}"
            f"{more}; set preprocess.impute to mean, median or most-frequent to fill them"
        )

    def state_dict(self) -> dict[str, Any]:
        """JSON: the strategy, the column names and their fill values."""
        return {"strategy": self.strategy, "names": list(self.names), "fill": list(self.fill)}

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> Imputer:
        """Rebuild a fitted imputer from :meth:`state_dict`'s output."""
        try:
            imp = cls(state["strategy"])
            imp.names = [str(n) for n in state["names"]]
            imp.fill = list(state["fill"])
        except (KeyError, TypeError):
            raise ConfigError("imputer state: expected strategy, names and fill") from None
        if len(imp.fill) != len(imp.names):
            raise ConfigError("imputer state: one fill value per column expected")
        return imp
