"""Small tabular regression sets that ship with scikit-learn.

``diabetes``: 442 patients, 10 baseline measurements (age, sex, body mass
index, blood pressure and six blood serum values, each mean-centred and
scaled as scikit-learn ships them), and a quantitative measure of disease
progression one year later (Efron, Hastie, Johnstone & Tibshirani, 2004,
"Least angle regression"). ``linnerud``: 20 middle-aged men, 3 exercises
(chin-ups, sit-ups, jumps) and 3 physiological measurements (weight, waist,
pulse), a multi-output regression set (Tenenhaus, 1998, *La régression PLS*):
weight is the main target, waist and pulse the extra ones.

Example:
    >>> from trainlab.data.datasets import load_dataset
    >>> b = load_dataset("linnerud", {})
    >>> b.train.x.shape, b.task_kind, [t.name for t in b.targets]
    ((20, 3), 'regression', ['weight', 'waist', 'pulse'])
"""

from __future__ import annotations

import numpy as np

from trainlab.data._bundle import ArrayData, DataBundle, Target


def load_diabetes() -> DataBundle:
    """Diabetes: 442 patients, 10 features, disease progression (regression, scikit-learn).

    Example:
        >>> b = load_diabetes()
        >>> b.train.x.shape, b.train.y.dtype.name, b.classes, b.main_target.name
        ((442, 10), 'float32', [], 'progression')
    """
    from sklearn.datasets import load_diabetes as sk_load_diabetes

    ds = sk_load_diabetes()
    return DataBundle(
        name="diabetes",
        modality="tabular",
        train=ArrayData(np.asarray(ds.data, dtype=np.float32), np.asarray(ds.target, np.float32)),
        classes=[],
        feature_names=[str(f) for f in ds.feature_names],
        source="sklearn.datasets.load_diabetes",
        target=Target("progression", "regression"),
    )


def load_linnerud() -> DataBundle:
    """Linnerud: 20 men, 3 exercises, targets weight, waist, pulse (regression, scikit-learn).

    Example:
        >>> b = load_linnerud()
        >>> b.feature_names, b.train.y[:3].tolist(), sorted(b.train.extra)
        (['Chins', 'Situps', 'Jumps'], [191.0, 189.0, 193.0], ['pulse', 'waist'])
    """
    from sklearn.datasets import load_linnerud as sk_load_linnerud

    ds = sk_load_linnerud()
    y = np.asarray(ds.target, dtype=np.float32)  # (20, 3): Weight, Waist, Pulse
    names = [str(n).lower() for n in ds.target_names]
    return DataBundle(
        name="linnerud",
        modality="tabular",
        train=ArrayData(
            np.asarray(ds.data, dtype=np.float32),
            y[:, 0],
            {n: y[:, i] for i, n in enumerate(names) if i > 0},
        ),
        classes=[],
        feature_names=[str(f) for f in ds.feature_names],
        source="sklearn.datasets.load_linnerud",
        target=Target(names[0], "regression"),
        extra_targets=[Target(n, "regression") for n in names[1:]],
    )
