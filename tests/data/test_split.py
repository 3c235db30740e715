"""Holdout and k-fold partitions: disjoint, covering, stratified, deterministic."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold, train_test_split

from trainlab.config.recipe import SplitConfig
from trainlab.core.errors import ConfigError
from trainlab.data import ArrayData, DataBundle
from trainlab.data.split import (
    Splits,
    holdout_indices,
    kfold_indices,
    limit_bundle,
    split_bundle,
)

# imbalanced labels: 60 / 30 / 10
Y = np.repeat([0, 1, 2], [60, 30, 10])
np.random.default_rng(0).shuffle(Y)


def assert_partition(parts: list[np.ndarray], n: int) -> None:
    joined = np.concatenate(parts)
    assert len(joined) == n and len(np.unique(joined)) == n, "parts overlap or miss examples"
    assert joined.min() >= 0 and joined.max() < n
    for part in parts:
        assert part.dtype == np.int64 and np.all(np.diff(part) > 0)  # sorted, unique


def bundle(n: int = 100, own_test: bool = False, images: bool = False) -> DataBundle:
    y = Y[:n] if n <= len(Y) else np.arange(n) % 3
    x = (
        [np.full((1, 2 + i % 3, 2), i, np.uint8) for i in range(n)]
        if images
        else np.arange(n, dtype=np.float32)[:, None]
    )
    test = ArrayData(np.zeros((7, 1), np.float32), np.arange(7) % 3) if own_test else None
    return DataBundle("toy", "tabular", ArrayData(x, y), ["a", "b", "c"], test=test)


# -- holdout ---------------------------------------------------------------------------------
def test_holdout_partitions_with_exact_sizes() -> None:
    tr, va, te = holdout_indices(Y, val=0.15, test=0.25, stratify=True, seed=3)
    assert_partition([tr, va, te], len(Y))
    assert (len(tr), len(va), len(te)) == (60, 15, 25)


def test_holdout_is_stratified_like_sklearn() -> None:
    tr, va, te = holdout_indices(Y, val=0.2, test=0.3, stratify=True, seed=0)
    for part, size in ((te, 30), (va, 20), (tr, 50)):
        counts = np.bincount(Y[part], minlength=3)
        expected = size * np.bincount(Y) / len(Y)
        assert np.all(np.abs(counts - expected) <= 1), (counts, expected)
    # the test part has the class counts scikit-learn's stratified split gives
    _, ref = train_test_split(np.arange(100), test_size=30, stratify=Y, random_state=0)
    assert np.bincount(Y[te]).tolist() == np.bincount(Y[ref]).tolist() == [18, 9, 3]


def test_holdout_without_stratification_differs() -> None:
    counts = [
        np.bincount(Y[holdout_indices(Y, val=0, test=0.3, stratify=False, seed=s)[2]], minlength=3)
        for s in range(10)
    ]
    assert any(c.tolist() != [18, 9, 3] for c in counts)


def test_holdout_is_deterministic_per_seed() -> None:
    a = holdout_indices(Y, val=0.1, test=0.2, stratify=True, seed=5)
    b = holdout_indices(Y, val=0.1, test=0.2, stratify=True, seed=5)
    c = holdout_indices(Y, val=0.1, test=0.2, stratify=True, seed=6)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[2], c[2])


def test_holdout_zero_fractions_give_empty_parts() -> None:
    tr, va, te = holdout_indices(Y, val=0.1, test=0, stratify=True, seed=0)
    assert len(te) == 0 and te.dtype == np.int64 and (len(tr), len(va)) == (90, 10)
    tr, va, te = holdout_indices(Y, val=0, test=0, stratify=True, seed=0)
    np.testing.assert_array_equal(tr, np.arange(100))
    assert len(va) == len(te) == 0


def test_a_positive_fraction_that_rounds_to_nothing_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"split\.test=0\.004 leaves the test part empty"):
        holdout_indices(Y, val=0.1, test=0.004, stratify=False, seed=0)
    with pytest.raises(ConfigError, match=r"split\.val"):
        holdout_indices(Y[:10], val=0.04, test=0.2, stratify=False, seed=0)
    with pytest.raises(ConfigError, match="no training example"):
        holdout_indices(np.arange(3) % 2, val=0.5, test=0.34, stratify=False, seed=0)


def test_stratification_falls_back_when_a_class_is_a_singleton() -> None:
    y = np.array([0] * 10 + [1] * 9 + [2])
    with pytest.warns(UserWarning, match="without stratification"):
        tr, va, te = holdout_indices(y, val=0.2, test=0.2, stratify=True, seed=0)
    assert_partition([tr, va, te], 20)


def test_stratified_part_smaller_than_the_classes_is_an_error() -> None:
    y = np.repeat(np.arange(10), 5)
    with pytest.raises(ConfigError, match="cannot hold each of the 10 classes"):
        holdout_indices(y, val=0, test=0.1, stratify=True, seed=0)
    _, _, te = holdout_indices(y, val=0, test=0.1, stratify=False, seed=0)
    assert len(te) == 5


# -- k-fold ----------------------------------------------------------------------------------
@pytest.mark.parametrize("stratify", [True, False])
def test_kfold_validation_parts_partition_the_data(stratify: bool) -> None:
    vals = []
    for f in range(5):
        tr, va = kfold_indices(Y, folds=5, fold=f, stratify=stratify, seed=1)
        assert_partition([tr, va], len(Y))
        assert len(va) == 20
        vals.append(va)
    assert_partition(vals, len(Y))


def test_kfold_is_stratified_and_matches_sklearn() -> None:
    ref = list(StratifiedKFold(5, shuffle=True, random_state=2).split(np.zeros(100), Y))
    for f in range(5):
        _, va = kfold_indices(Y, folds=5, fold=f, stratify=True, seed=2)
        assert np.bincount(Y[va]).tolist() == [12, 6, 2]
        np.testing.assert_array_equal(va, ref[f][1])
    a = kfold_indices(Y, folds=5, fold=0, stratify=True, seed=2)[1]
    b = kfold_indices(Y, folds=5, fold=0, stratify=True, seed=3)[1]
    assert not np.array_equal(a, b)


def test_kfold_checks_and_fallback() -> None:
    with pytest.raises(ConfigError, match=r"split\.fold"):
        kfold_indices(Y, folds=5, fold=5, stratify=True, seed=0)
    with pytest.raises(ConfigError, match=r"split\.folds"):
        kfold_indices(Y, folds=1, fold=0, stratify=True, seed=0)
    with pytest.raises(ConfigError, match="at least 5 examples"):
        kfold_indices(Y[:4], folds=5, fold=0, stratify=False, seed=0)
    y = np.array([0] * 20 + [1] * 3)
    with pytest.warns(UserWarning, match="fewer than the 5 folds"):
        tr, va = kfold_indices(y, folds=5, fold=0, stratify=True, seed=0)
    assert_partition([tr, va], 23)


# -- split_bundle ----------------------------------------------------------------------------
def test_split_bundle_holdout_keeps_examples_with_their_labels() -> None:
    b = bundle()
    s = split_bundle(b, SplitConfig(val=0.1, test=0.2), seed=0)
    assert isinstance(s, Splits)
    assert (len(s.train), len(s.val), len(s.test)) == (70, 10, 20)
    ids = [part.x[:, 0].astype(int) for part in (s.train, s.val, s.test)]
    assert_partition([i.astype(np.int64) for i in ids], 100)
    for part, i in zip((s.train, s.val, s.test), ids, strict=True):
        np.testing.assert_array_equal(part.y, Y[i])


def test_split_bundle_uses_the_own_test_split() -> None:
    b = bundle(own_test=True)
    s = split_bundle(b, SplitConfig(val=0.2, test=0.3), seed=0)
    assert s.test is b.test
    assert (len(s.train), len(s.val)) == (80, 20)  # test fraction ignored
    ks = split_bundle(b, SplitConfig(method="kfold", folds=4, fold=1), seed=0)
    assert ks.test is b.test and (len(ks.train), len(ks.val)) == (75, 25)


def test_split_bundle_kfold_holds_out_the_same_test_part() -> None:
    b = bundle()
    holdout = split_bundle(b, SplitConfig(val=0.1, test=0.2), seed=4)
    vals = []
    for f in range(4):
        s = split_bundle(b, SplitConfig(method="kfold", folds=4, fold=f, test=0.2), seed=4)
        np.testing.assert_array_equal(s.test.x, holdout.test.x)
        assert (len(s.train), len(s.val), len(s.test)) == (60, 20, 20)
        vals.append(s.val.x[:, 0].astype(np.int64))
    rest = np.setdiff1d(np.arange(100), holdout.test.x[:, 0].astype(np.int64))
    np.testing.assert_array_equal(np.sort(np.concatenate(vals)), rest)


def test_split_bundle_handles_image_lists_and_is_deterministic() -> None:
    b = bundle(n=30, images=True)
    s1 = split_bundle(b, SplitConfig(val=0.2, test=0.2), seed=9)
    s2 = split_bundle(b, SplitConfig(val=0.2, test=0.2), seed=9)
    assert isinstance(s1.train.x, list) and len(s1.val.x) == 6
    assert [int(im[0, 0, 0]) for im in s1.test.x] == [int(im[0, 0, 0]) for im in s2.test.x]
    empty = split_bundle(b, SplitConfig(val=0.2, test=0.0), seed=9).test
    assert len(empty) == 0 and empty.x == []


# -- limit_bundle ----------------------------------------------------------------------------
def test_limit_bundle_is_stratified_and_caps_the_test_split() -> None:
    b = bundle(n=100, own_test=True)
    small = limit_bundle(b, 20, seed=0)
    assert len(small.train) == 20 and np.bincount(small.train.y).tolist() == [12, 6, 2]
    assert small.test is b.test  # 7 test examples are under the cap
    smaller = limit_bundle(b, 5, seed=0)
    assert len(smaller.train) == 5 and len(smaller.test) == 5
    assert b.train.x.shape == (100, 1)  # the original is untouched
    again = limit_bundle(b, 20, seed=0)
    np.testing.assert_array_equal(again.train.x, small.train.x)
    assert limit_bundle(b, 1000, seed=0) is b and limit_bundle(b, None, seed=0) is b
    assert any("limited to 20" in n for n in small.notes)


def test_the_limit_note_says_what_the_limit_counts() -> None:
    own = bundle(n=100, own_test=True)
    assert limit_bundle(own, 20, seed=0).notes[-1] == (
        "limited to 20 training and validation examples (data.limit)"
    )
    assert limit_bundle(own, 5, seed=0).notes[-1] == (
        "limited to 5 training and validation examples and 5 test examples (data.limit)"
    )
    assert limit_bundle(bundle(n=100), 20, seed=0).notes[-1] == (
        "limited to 20 examples in all, before the split (data.limit)"
    )


def test_limit_below_the_number_of_classes_still_works() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(limit_bundle(bundle(), 2, seed=0).train) == 2


def test_train_size_keeps_fewer_training_examples_and_the_same_val_and_test():
    from trainlab.data.datasets import load_dataset

    bundle = load_dataset("digits", {})
    full = split_bundle(bundle, SplitConfig(val=0.1, test=0.2), seed=3)
    small = split_bundle(bundle, SplitConfig(val=0.1, test=0.2, train_size=200), seed=3)
    assert len(small.train) == 200 and len(full.train) > 1000
    assert np.array_equal(small.val.y, full.val.y) and np.array_equal(small.test.y, full.test.y)
    assert np.array_equal(small.test.x, full.test.x)
    rows = {r.tobytes() for r in full.train.x}
    assert all(r.tobytes() in rows for r in small.train.x)  # drawn from the training part
    counts = np.bincount(small.train.y, minlength=10)
    assert counts.min() >= 18 and counts.max() <= 22  # stratified: 20 a class
    again = split_bundle(bundle, SplitConfig(val=0.1, test=0.2, train_size=5000), seed=3)
    assert len(again.train) == len(full.train)


def test_the_examples_train_size_leaves_out_are_the_pool():
    from trainlab.data.datasets import load_dataset

    bundle = load_dataset("wine", {})
    full = split_bundle(bundle, SplitConfig(val=0.2, test=0.2), seed=1)
    small = split_bundle(bundle, SplitConfig(val=0.2, test=0.2, train_size=40), seed=1)
    assert full.pool is None and len(small.pool) == len(full.train) - 40
    together = np.concatenate([small.train.x, small.pool.x])
    assert sorted(map(bytes, together)) == sorted(map(bytes, full.train.x))


def test_a_train_size_below_one_is_a_fraction_of_the_training_part():
    from trainlab.data.datasets import load_dataset

    bundle = load_dataset("digits", {})
    full = split_bundle(bundle, SplitConfig(val=0.1, test=0.2), seed=3)
    tenth = split_bundle(bundle, SplitConfig(val=0.1, test=0.2, train_size=0.1), seed=3)
    assert len(tenth.train) == round(0.1 * len(full.train))
    assert len(tenth.train) + len(tenth.pool) == len(full.train)
    assert np.array_equal(tenth.test.y, full.test.y)
    counts = np.bincount(tenth.train.y, minlength=10)
    share = len(tenth.train) / 10
    assert counts.min() >= share - 2 and counts.max() <= share + 2  # stratified


@pytest.mark.parametrize("bad", [1.0, 2.5])
def test_a_train_size_fraction_of_one_or_more_is_refused(bad):
    with pytest.raises(ValueError, match=r"a count .* or a fraction below 1"):
        SplitConfig(train_size=bad)
