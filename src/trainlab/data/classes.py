"""Keep a subset of the classes: tasks A and B of a transfer experiment, or a smaller problem.

Yosinski et al. (2014) split ImageNet's classes into two halves, tasks A and
B, to measure how transferable each layer's features are; ``data.classes``
does the same for any data set here (e.g. digits 0–4 against 5–9). The kept
classes are relabelled 0..k−1 in the order given.

Example:
    >>> import numpy as np
    >>> from trainlab.data import ArrayData, DataBundle
    >>> from trainlab.data.classes import select_classes
    >>> b = DataBundle("toy", "tabular", ArrayData(np.zeros((6, 1)), [0, 1, 2, 0, 1, 2]),
    ...                ["cat", "dog", "owl"])
    >>> s = select_classes(b, ["owl", 0])
    >>> s.classes, s.train.y.tolist()
    (['owl', 'cat'], [1, 0, 1, 0])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle


def class_indices(classes: Sequence[str], wanted: Sequence[str | int]) -> list[int]:
    """Indices of ``wanted`` in ``classes``: a name matches first, then an integer index."""
    out = []
    for w in wanted:
        if str(w) in classes:
            out.append(list(classes).index(str(w)))
        elif isinstance(w, int) and not isinstance(w, bool) and 0 <= w < len(classes):
            out.append(w)
        else:
            raise ConfigError(
                f"data.classes: no class {w!r}; the data set has {', '.join(classes)} "
                f"(names, or indices 0..{len(classes) - 1})"
            )
    if len(set(out)) != len(out):
        raise ConfigError(f"data.classes: {list(wanted)} names a class twice")
    return out


def _keep(part: ArrayData, index: list[int]) -> ArrayData:
    remap = np.full(int(part.y.max(initial=0)) + 1, -1, dtype=np.int64)
    for new, old in enumerate(index):
        if old < len(remap):
            remap[old] = new
    rows = np.flatnonzero(remap[part.y] >= 0)
    sub = part.subset(rows)
    return ArrayData(sub.x, remap[sub.y], sub.extra)


def select_classes(bundle: DataBundle, wanted: Sequence[str | int] | None) -> DataBundle:
    """A copy of ``bundle`` with only the ``wanted`` classes, relabelled in that order."""
    if wanted is None:
        return bundle
    if bundle.task_kind != "classification":
        raise ConfigError(
            f"data.classes: the target {bundle.main_target.name!r} holds values, not classes"
        )
    index = class_indices(bundle.classes, wanted)
    names = [bundle.classes[i] for i in index]
    notes = [*bundle.notes, f"classes {', '.join(names)} only (data.classes)"]
    return dataclasses.replace(
        bundle,
        train=_keep(bundle.train, index),
        test=None if bundle.test is None else _keep(bundle.test, index),
        classes=names,
        notes=notes,
        target=None
        if bundle.target is None
        else dataclasses.replace(bundle.target, classes=tuple(names)),
    )
