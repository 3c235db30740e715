"""Choose which of a data set's targets are learned, and which one is the main target.

A data set may carry several targets (digits: the digit, its parity, whether
it is ≥ 5; linnerud: weight, waist and pulse). ``task.targets`` names the ones
a run learns, the main one first: one name is a single task, several are
multitask learning.

Example:
    >>> import numpy as np
    >>> from trainlab.data import ArrayData, DataBundle, Target
    >>> from trainlab.data.targets import select_targets
    >>> b = DataBundle("toy", "tabular", ArrayData(np.zeros((2, 1)), [0, 1], {"odd": [1, 0]}),
    ...                ["a", "b"], target=Target("kind", classes=("a", "b")),
    ...                extra_targets=[Target("odd", classes=("no", "yes"))])
    >>> s = select_targets(b, ["odd"])
    >>> s.main_target.name, s.classes, s.train.y.tolist(), s.extra_targets
    ('odd', ['no', 'yes'], [1, 0], [])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle, Target


def _values(part: ArrayData, main: str) -> dict[str, np.ndarray]:
    return {main: part.y, **part.extra}


def _pick(part: ArrayData | None, main: str, names: Sequence[str]) -> ArrayData | None:
    if part is None:
        return None
    values = _values(part, main)
    return ArrayData(part.x, values[names[0]], {n: values[n] for n in names[1:]})


def select_targets(bundle: DataBundle, names: Sequence[str] | None) -> DataBundle:
    """``bundle`` learning the targets ``names`` (None: unchanged), ``names[0]`` the main one.

    Raises:
        ConfigError: a name is not one of the data set's targets.
    """
    if names is None:
        return bundle
    known = {t.name: t for t in bundle.targets}
    for name in names:
        if name not in known:
            raise ConfigError(
                f"task.targets: the data set {bundle.name!r} has no target {name!r}; "
                f"its targets are: {', '.join(known)}"
            )
    main = bundle.main_target.name
    first: Target = known[names[0]]
    return bundle.replace(
        train=_pick(bundle.train, main, names),
        test=_pick(bundle.test, main, names),
        classes=list(first.classes),
        target=first,
        extra_targets=[known[n] for n in names[1:]],
    )
