"""In-memory data containers shared by every data set loader.

Example:
    >>> import numpy as np
    >>> from trainlab.data import ArrayData
    >>> d = ArrayData(np.zeros((4, 3), np.float32), np.array([0, 1, 0, 1]))
    >>> len(d), d.subset(np.array([1, 3])).y.tolist()
    (4, [1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

import numpy as np

Modality = Literal["tabular", "signal", "image"]

#: stacked examples, or a list of (C, H, W) uint8 images of mixed sizes (image folders)
Inputs = Union[np.ndarray, list]  # noqa: UP007 - runtime alias


@dataclass
class ArrayData:
    """Examples and integer labels.

    Shapes of ``x``: tabular ``(N, F)``; 1-D signal ``(N, C, L)``; image
    ``(N, C, H, W)`` (uint8 or float), or a list of ``(C, H, W)`` arrays when
    the images have mixed sizes (made uniform by ``preprocess.image``).
    ``y`` is ``(N,)`` int64 in ``[0, num_classes)``.
    """

    x: Inputs
    y: np.ndarray

    def __post_init__(self) -> None:
        self.y = np.asarray(self.y, dtype=np.int64)
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} examples but y has {len(self.y)}")

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, index: np.ndarray) -> ArrayData:
        """The examples at ``index`` (an integer array), in that order."""
        index = np.asarray(index, dtype=np.int64)
        if isinstance(self.x, list):
            return ArrayData([self.x[i] for i in index], self.y[index])
        return ArrayData(self.x[index], self.y[index])


@dataclass
class DataBundle:
    """What a data set loader returns.

    Attributes:
        name: registered name of the data set.
        modality: ``tabular``, ``signal`` or ``image``.
        train: every labelled example that is not the data set's own test split.
        test: the data set's own test split, when it has one (else ``None``: the
            split carves a test part out of ``train``).
        classes: class names, index = label.
        feature_names: column names for tabular data.
        source: where the data came from (a path, a package), for reports.
    """

    name: str
    modality: Modality
    train: ArrayData
    classes: list[str]
    test: ArrayData | None = None
    feature_names: list[str] | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def num_classes(self) -> int:
        return len(self.classes)
