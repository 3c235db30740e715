"""Tables as users bring them: categorical columns encoded, missing cells imputed.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.tabular import TableEncoder
    >>> x = np.array([["a", 1.0], ["b", None]], dtype=object)
    >>> TableEncoder("ordinal", "mean").fit(x).transform(x).tolist()
    [[0.0, 1.0], [1.0, 1.0]]
"""

from trainlab.preprocess.tabular.encode import ENCODINGS, UNKNOWN, CategoricalEncoder
from trainlab.preprocess.tabular.impute import STRATEGIES, Imputer
from trainlab.preprocess.tabular.table import TableEncoder

__all__ = ["ENCODINGS", "STRATEGIES", "UNKNOWN", "CategoricalEncoder", "Imputer", "TableEncoder"]
