"""Small tabular classification sets that ship with scikit-learn.

``wine``: 178 wines, 13 chemical measurements, 3 cultivars (Forina et al.,
UCI Wine). ``breast-cancer``: 569 tumours, 30 features of cell nuclei,
malignant or benign (Wolberg, Street & Mangasarian, UCI Breast Cancer
Wisconsin (Diagnostic)).

Example:
    >>> from trainlab.data.datasets import load_dataset
    >>> b = load_dataset("wine", {})
    >>> b.train.x.shape, b.train.x.dtype.name, b.num_classes, b.modality
    ((178, 13), 'float32', 3, 'tabular')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.data._bundle import ArrayData, DataBundle


def _bundle(name: str, ds: Any, origin: str) -> DataBundle:
    return DataBundle(
        name=name,
        modality="tabular",
        train=ArrayData(np.asarray(ds.data, dtype=np.float32), np.asarray(ds.target)),
        classes=[str(c) for c in ds.target_names],
        feature_names=[str(f) for f in ds.feature_names],
        source=origin,
    )


def load_wine() -> DataBundle:
    """Wine: 178 wines, 13 chemical features, 3 cultivars (scikit-learn).

    Example:
        >>> b = load_wine()
        >>> b.train.x.shape, b.classes
        ((178, 13), ['class_0', 'class_1', 'class_2'])
    """
    from sklearn.datasets import load_wine as sk_load_wine

    return _bundle("wine", sk_load_wine(), "sklearn.datasets.load_wine")


def load_breast_cancer() -> DataBundle:
    """Breast cancer Wisconsin: 569 tumours, 30 features, malignant or benign (scikit-learn).

    Example:
        >>> b = load_breast_cancer()
        >>> b.train.x.shape, b.classes
        ((569, 30), ['malignant', 'benign'])
    """
    from sklearn.datasets import load_breast_cancer as sk_load_breast_cancer

    return _bundle("breast-cancer", sk_load_breast_cancer(), "sklearn.datasets.load_breast_cancer")
