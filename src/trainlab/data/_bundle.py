"""In-memory data containers shared by every data set loader.

A data set has one or more **targets**: the first is the main one (``y``), the
others (``extra``) are what multitask learning learns beside it (Caruana,
1997), e.g. the parity of a digit beside the digit itself. A target is a
classification target (integer labels, with class names) or a regression
target (float32 values).

Example:
    >>> import numpy as np
    >>> from trainlab.data import ArrayData
    >>> d = ArrayData(np.zeros((4, 3), np.float32), np.array([0, 1, 0, 1]),
    ...               extra={"size": np.array([0.5, 1.5, 2.5, 3.5])})
    >>> len(d), d.subset(np.array([1, 3])).y.tolist(), d.subset([3]).extra["size"].tolist()
    (4, [1, 1], [3.5])
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal, Union

import numpy as np

Modality = Literal["tabular", "signal", "image", "audio", "text", "video"]

#: what a target is: class labels, or real values
TargetKind = Literal["classification", "regression"]

#: stacked examples, or a list of (C, H, W) uint8 images of mixed sizes (image folders)
Inputs = Union[np.ndarray, list]  # noqa: UP007 - runtime alias


def target_values(values: np.ndarray | list) -> np.ndarray:
    """Targets as stored: float values as float32 (regression), anything else as int64 labels.

    Example:
        >>> target_values([1, 0]).dtype.name, target_values([0.5]).dtype.name
        ('int64', 'float32')
    """
    a = np.asarray(values)
    if a.dtype.kind == "f":
        return a.astype(np.float32, copy=False)
    return a.astype(np.int64, copy=False)


@dataclass(frozen=True)
class Target:
    """What one target of a data set is.

    Attributes:
        name: the target's name (a CSV column, ``digit``, ``parity``, …).
        kind: ``classification`` or ``regression``.
        classes: class names, index = label (classification only).
    """

    name: str
    kind: TargetKind = "classification"
    classes: tuple[str, ...] = ()

    @property
    def num_classes(self) -> int:
        return len(self.classes)


@dataclass
class ArrayData:
    """Examples and their targets.

    Shapes of ``x``: tabular ``(N, F)`` (float32; an object array when the table
    holds text categories or missing cells, encoded by the preprocessing); 1-D
    signal ``(N, C, L)``; image ``(N, C, H, W)`` (uint8 or float), or a list of
    ``(C, H, W)`` arrays when the images have mixed sizes (made uniform by
    ``preprocess.image``). ``y`` is the main target, ``(N,)``: int64 labels in
    ``[0, num_classes)`` or float32 values; ``extra`` maps the name of every
    other target to its ``(N,)`` labels or values.
    """

    x: Inputs
    y: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.y = target_values(self.y)
        self.extra = {k: target_values(v) for k, v in self.extra.items()}
        for name, values in [("y", self.y), *self.extra.items()]:
            if len(values) != len(self.x):
                raise ValueError(f"x has {len(self.x)} examples but {name} has {len(values)}")

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, index: np.ndarray) -> ArrayData:
        """The examples at ``index`` (an integer array), in that order."""
        index = np.asarray(index, dtype=np.int64)
        extra = {k: v[index] for k, v in self.extra.items()}
        if isinstance(self.x, list):
            return ArrayData([self.x[i] for i in index], self.y[index], extra)
        return ArrayData(self.x[index], self.y[index], extra)


@dataclass
class DataBundle:
    """What a data set loader returns.

    Attributes:
        name: registered name of the data set.
        modality: ``tabular``, ``signal``, ``image`` or ``audio``.
        train: every labelled example that is not the data set's own test split.
        test: the data set's own test split, when it has one (else ``None``: the
            split carves a test part out of ``train``).
        classes: class names of the main target, index = label (empty for regression).
        feature_names: column names for tabular data.
        source: where the data came from (a path, a package), for reports.
        notes: facts about the data worth a line in the report.
        target: what the main target is (None: a classification target named
            ``label`` with ``classes``).
        extra_targets: what each of ``train.extra``'s targets is, in order.
        sample_rate: samples per second of audio inputs (None for other modalities).
    """

    name: str
    modality: Modality
    train: ArrayData
    classes: list[str]
    test: ArrayData | None = None
    feature_names: list[str] | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)
    target: Target | None = None
    extra_targets: list[Target] = field(default_factory=list)
    sample_rate: int | None = None

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def main_target(self) -> Target:
        """The main target's description (``target``, or the classes under ``label``)."""
        if self.target is not None:
            return self.target
        return Target("label", "classification", tuple(self.classes))

    @property
    def targets(self) -> list[Target]:
        """Every target, the main one first."""
        return [self.main_target, *self.extra_targets]

    @property
    def task_kind(self) -> TargetKind:
        """The main target's kind."""
        return self.main_target.kind

    def replace(self, **changes: object) -> DataBundle:
        """A copy with ``changes`` (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
