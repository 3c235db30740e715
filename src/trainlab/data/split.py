"""Partitioning into training, validation and test parts.

Holdout (optionally stratified: each part keeps the class proportions) and
k-fold cross-validation (Stone, 1974, "Cross-validatory choice and assessment
of statistical predictions"; Kohavi, 1995, on stratified k-fold), using
scikit-learn's ``train_test_split``, ``KFold`` and ``StratifiedKFold``.

Fractions are of the whole data: ``val=0.1, test=0.2`` leaves 70% for
training. The test part is drawn first and depends only on ``test`` and the
seed, so holdout and every fold of k-fold share one test part. When a data set
has its own test split, that split is the test part and the validation part
is carved from its training examples. Indices are returned sorted, and the
same seed always gives the same partition.

Example:
    >>> import numpy as np
    >>> from trainlab.data.split import holdout_indices
    >>> y = np.repeat([0, 1], 50)
    >>> tr, va, te = holdout_indices(y, val=0.1, test=0.2, stratify=True, seed=0)
    >>> len(tr), len(va), len(te), int(y[te].sum())
    (70, 10, 20, 10)
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

from trainlab.config.recipe import SplitConfig
from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass
class Splits:
    """The three parts a run trains, validates and tests on.

    Attributes:
        train: the examples the model and the preprocessing are fitted on.
        val: the examples for model selection (early stopping, variants); may be empty.
        test: the examples for the final estimate; may be empty.
        pool: the examples of the training part that ``split.train_size`` left out
            (None without it): their inputs may serve without their labels (a word2vec
            corpus), never as validation or test examples.
    """

    train: ArrayData
    val: ArrayData
    test: ArrayData
    pool: ArrayData | None = None


def _count(fraction: float, n: int, what: str) -> int:
    """The number of examples ``fraction`` of ``n`` stands for; a positive fraction needs one."""
    if not 0.0 <= fraction < 1.0:
        raise ConfigError(f"split.{what}: expected a fraction in [0, 1), got {fraction}")
    k = math.floor(fraction * n + 0.5)
    if fraction > 0 and k == 0:
        raise ConfigError(
            f"split.{what}={fraction} leaves the {what} part empty with {n} examples; "
            f"raise it to at least {1 / n:.3g} or set it to 0"
        )
    return k


def _can_stratify(y: np.ndarray, n_out: int, what: str) -> bool:
    """Whether ``n_out`` of ``y`` can be drawn stratified; warns when a class is too small."""
    classes, counts = np.unique(y, return_counts=True)
    if counts.min() < 2:
        warnings.warn(
            f"split: class {classes[counts.argmin()]} has {counts.min()} example; the "
            f"{what} part is drawn without stratification",
            stacklevel=3,
        )
        return False
    for part, size in ((what, n_out), ("remaining", len(y) - n_out)):
        if size < len(classes):
            raise ConfigError(
                f"split.{what}: a stratified {part} part of {size} examples cannot hold each "
                f"of the {len(classes)} classes; change split.{what} or set split.stratify=false"
            )
    return True


def _draw(
    index: np.ndarray, y: np.ndarray, n_out: int, *, stratify: bool, seed: int, what: str
) -> tuple[np.ndarray, np.ndarray]:
    """Split ``index`` into (kept, drawn) with ``n_out`` drawn, both sorted."""
    if n_out == 0:
        return np.sort(index), _EMPTY.copy()
    strat = y[index] if stratify and _can_stratify(y[index], n_out, what) else None
    kept, drawn = train_test_split(index, test_size=n_out, stratify=strat, random_state=seed)
    return np.sort(kept), np.sort(drawn)


def holdout_indices(
    y: np.ndarray, *, val: float, test: float, stratify: bool = True, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of a holdout partition into training, validation and test parts.

    Args:
        y: ``(N,)`` labels.
        val: fraction of the N examples for validation (0 gives an empty part).
        test: fraction of the N examples for the test (0 gives an empty part).
        stratify: keep the class proportions in every part; falls back to a
            plain random split (with a warning) when a class has one example.
        seed: the random state; the same seed gives the same partition.

    Returns:
        ``(train_idx, val_idx, test_idx)``, sorted int64 arrays that partition
        ``range(N)``.

    Raises:
        ConfigError: a positive fraction rounds to no example, nothing is left
            to train on, or a stratified part is smaller than the number of classes.

    Example:
        >>> tr, va, te = holdout_indices(np.arange(10) % 2, val=0.2, test=0, seed=1)
        >>> len(tr), len(va), len(te)
        (8, 2, 0)
    """
    y = np.asarray(y)
    n = len(y)
    n_test, n_val = _count(test, n, "test"), _count(val, n, "val")
    if n - n_test - n_val < 1:
        raise ConfigError(f"split: val={val} and test={test} leave no training example out of {n}")
    everything = np.arange(n, dtype=np.int64)
    rest, test_idx = _draw(everything, y, n_test, stratify=stratify, seed=seed, what="test")
    train_idx, val_idx = _draw(rest, y, n_val, stratify=stratify, seed=seed + 1, what="val")
    return train_idx, val_idx, test_idx


def kfold_indices(
    y: np.ndarray, *, folds: int, fold: int, stratify: bool = True, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of fold ``fold`` of a shuffled (stratified) k-fold partition.

    Args:
        y: ``(N,)`` labels.
        folds: k, the number of folds (at least 2).
        fold: which fold is the validation part, ``0 <= fold < folds``.
        stratify: ``StratifiedKFold``; falls back to ``KFold`` (with a
            warning) when a class has fewer than ``folds`` examples.
        seed: the shuffling random state.

    Returns:
        ``(train_idx, val_idx)``, sorted; the ``folds`` validation parts
        partition ``range(N)``.

    Example:
        >>> y = np.arange(20) % 2
        >>> parts = [kfold_indices(y, folds=4, fold=f, seed=0)[1] for f in range(4)]
        >>> sorted(np.concatenate(parts).tolist()) == list(range(20))
        True
    """
    y = np.asarray(y)
    if folds < 2:
        raise ConfigError(f"split.folds: expected at least 2, got {folds}")
    if not 0 <= fold < folds:
        raise ConfigError(f"split.fold: expected 0 <= fold < {folds}, got {fold}")
    if len(y) < folds:
        raise ConfigError(f"split.folds={folds} needs at least {folds} examples, got {len(y)}")
    splitter: KFold | StratifiedKFold = KFold(folds, shuffle=True, random_state=seed)
    if stratify:
        classes, counts = np.unique(y, return_counts=True)
        if counts.min() >= folds:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        else:
            warnings.warn(
                f"split: class {classes[counts.argmin()]} has {counts.min()} examples, fewer "
                f"than the {folds} folds; the folds are drawn without stratification",
                stacklevel=2,
            )
    train_idx, val_idx = list(splitter.split(np.zeros((len(y), 1)), y))[fold]
    return np.sort(train_idx).astype(np.int64), np.sort(val_idx).astype(np.int64)


def split_bundle(bundle: DataBundle, cfg: SplitConfig, seed: int) -> Splits:
    """Partition a data set as ``cfg`` says.

    Without a test split of its own, the test part (fraction ``cfg.test``) is
    held out first; then holdout draws ``cfg.val`` for validation, or k-fold
    makes fold ``cfg.fold`` of ``cfg.folds`` over the rest the validation part.
    With its own test split, that is the test part, ``cfg.test`` is ignored and
    the validation part comes from ``bundle.train``. ``cfg.train_size`` then keeps
    that many of the training examples (stratified; below 1, that fraction of them),
    so that smaller training sets are judged on the same validation and test parts.

    Args:
        bundle: the loaded data set.
        cfg: the recipe's ``split`` section.
        seed: the random state.

    Returns:
        :class:`Splits`.

    Example:
        >>> from trainlab.data.datasets import load_dataset
        >>> s = split_bundle(load_dataset("wine", {}), SplitConfig(val=0.2, test=0.2), seed=0)
        >>> len(s.train), len(s.val), len(s.test)
        (106, 36, 36)
        >>> small = split_bundle(load_dataset("wine", {}), SplitConfig(val=0.2, test=0.2,
        ...                      train_size=30), seed=0)
        >>> len(small.train), bool((small.test.y == s.test.y).all())
        (30, True)
    """
    y = bundle.train.y
    own_test = bundle.test is not None
    if bundle.task_kind != "classification":  # values, not classes: nothing to stratify
        cfg = cfg.model_copy(update={"stratify": False})
    if cfg.method == "kfold":
        if own_test:
            rest, test_idx = np.arange(len(y), dtype=np.int64), _EMPTY
        else:
            rest, _, test_idx = holdout_indices(
                y, val=0.0, test=cfg.test, stratify=cfg.stratify, seed=seed
            )
        tr, va = kfold_indices(
            y[rest], folds=cfg.folds, fold=cfg.fold, stratify=cfg.stratify, seed=seed
        )
        train_idx, val_idx = rest[tr], rest[va]
    else:
        train_idx, val_idx, test_idx = holdout_indices(
            y, val=cfg.val, test=0.0 if own_test else cfg.test, stratify=cfg.stratify, seed=seed
        )
    test = bundle.test if own_test else bundle.train.subset(test_idx)
    assert test is not None
    pool = None
    if cfg.train_size is not None:  # fewer training examples, the same validation and test
        kept = _kept(
            bundle.train.subset(train_idx),
            _train_count(cfg.train_size, len(train_idx)),
            seed + 2,
            bundle.task_kind == "classification",
        )
        pool = bundle.train.subset(np.delete(train_idx, kept))
        train_idx = train_idx[kept]
    return Splits(
        train=bundle.train.subset(train_idx), val=bundle.train.subset(val_idx), test=test, pool=pool
    )


def _train_count(size: int | float, n: int) -> int:
    """How many of the ``n`` training examples ``split.train_size`` keeps: a count, or a
    fraction below 1 of ``n`` (rounded, at least one).

    Example:
        >>> _train_count(300, 1000), _train_count(0.01, 1000), _train_count(0.0001, 1000)
        (300, 10, 1)
    """
    return int(size) if isinstance(size, int) else max(1, math.floor(size * n + 0.5))


def _kept(data: ArrayData, limit: int, seed: int, classes_kept: bool = True) -> np.ndarray:
    """The sorted indices of ``limit`` examples of ``data`` (stratified where the counts allow)."""
    if len(data) <= limit:
        return np.arange(len(data), dtype=np.int64)
    y = data.y
    classes, counts = np.unique(y, return_counts=True)
    stratify = counts.min() >= 2 and len(classes) <= limit <= len(y) - len(classes)
    stratify = stratify and classes_kept
    keep, _ = train_test_split(
        np.arange(len(y)), train_size=limit, stratify=y if stratify else None, random_state=seed
    )
    return np.sort(keep)


def _cap(data: ArrayData, limit: int, seed: int, classes_kept: bool = True) -> ArrayData:
    if len(data) <= limit:
        return data
    return data.subset(_kept(data, limit, seed, classes_kept))


def limit_bundle(bundle: DataBundle, limit: int | None, seed: int) -> DataBundle:
    """A copy of ``bundle`` with at most ``limit`` training (and test) examples, stratified.

    For quick runs (``data.limit``). The kept examples keep the class
    proportions where the class counts allow it, else they are drawn at random.

    Args:
        bundle: the loaded data set.
        limit: the most examples to keep in ``train`` and in ``test``; ``None``
            keeps everything.
        seed: the random state.

    Example:
        >>> y = np.repeat([0, 1], [80, 20])
        >>> b = DataBundle("toy", "tabular", ArrayData(np.zeros((100, 2)), y), ["a", "b"])
        >>> np.bincount(limit_bundle(b, 10, seed=0).train.y).tolist()
        [8, 2]
    """
    if limit is None:
        return bundle
    if limit < 1:
        raise ConfigError(f"data.limit: expected a positive number of examples, got {limit}")
    labels = bundle.task_kind == "classification"
    train = _cap(bundle.train, limit, seed, labels)
    test = None if bundle.test is None else _cap(bundle.test, limit, seed + 1, labels)
    if train is bundle.train and test is bundle.test:
        return bundle
    notes = [*bundle.notes, _limit_note(bundle, train, test, limit)]
    return dataclasses.replace(bundle, train=train, test=test, notes=notes)


def _limit_note(bundle: DataBundle, train: ArrayData, test: ArrayData | None, limit: int) -> str:
    """What ``data.limit`` kept, in words: a total, or a cap on the data set's own parts."""
    if bundle.test is None:
        return f"limited to {limit} examples in all, before the split (data.limit)"
    kept = []
    if train is not bundle.train:
        kept.append(f"{limit} training and validation examples")
    if test is not bundle.test:
        kept.append(f"{limit} test examples")
    return f"limited to {' and '.join(kept)} (data.limit)"
