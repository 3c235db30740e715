"""Episodes: per-class counts, disjoint support and query, replay, bad N, K and splits."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.core.errors import DataError
from trainlab.data.episodes import ClassSplit, EpisodeSampler, splitmix64

LABELS = np.random.default_rng(0).permutation(np.repeat(np.arange(8), 30))


def sampler(**kw) -> EpisodeSampler:
    args = {"n_way": 5, "k_shot": 3, "query": 4, "seed": 11} | kw
    return EpisodeSampler(LABELS, range(8), **args)


def test_splitmix64_known_values() -> None:
    # the reference sequence of SplitMix64 seeded 0 (Vigna's splitmix64.c): state += gamma
    gamma = 0x9E3779B97F4A7C15
    assert splitmix64(0) == 0xE220A8397B1DCDAF
    assert splitmix64(gamma) == 0x6E789E6AA1B965F4


def test_per_class_counts_and_relabelling() -> None:
    s = sampler()
    for i in range(20):
        e = s.episode(i)
        assert len(set(e.classes)) == 5 and set(e.classes) <= set(range(8))
        assert np.bincount(e.support_labels).tolist() == [3] * 5
        assert np.bincount(e.query_labels).tolist() == [4] * 5
        # the label j of an example is the position of its true class in e.classes
        np.testing.assert_array_equal(LABELS[e.support], np.array(e.classes)[e.support_labels])
        np.testing.assert_array_equal(LABELS[e.query], np.array(e.classes)[e.query_labels])
        assert not set(e.support) & set(e.query)
        assert len(set(e.query)) == len(e.query)


def test_replay_is_independent_of_history() -> None:
    alone = sampler().episode(17)
    s = sampler()
    for i in range(17):
        s.episode(i)
    after = s.episode(17)
    np.testing.assert_array_equal(alone.support, after.support)
    np.testing.assert_array_equal(alone.query, after.query)
    assert alone.classes == after.classes
    batch = sampler().episodes(15, 3)[2]
    np.testing.assert_array_equal(batch.query, alone.query)


def test_seeds_and_episodes_differ() -> None:
    a, b = sampler(seed=1), sampler(seed=2)
    assert not np.array_equal(a.episode(0).query, b.episode(0).query)
    assert not np.array_equal(a.episode(0).query, a.episode(1).query)


def test_every_class_is_drawn() -> None:
    s = sampler(n_way=2, k_shot=1, query=1)
    seen = {c for i in range(100) for c in s.episode(i).classes}
    assert seen == set(range(8))


def test_n_way_larger_than_split() -> None:
    with pytest.raises(DataError, match=r"n_way = 9 is larger than the 8 classes"):
        sampler(n_way=9)


def test_k_plus_query_larger_than_class() -> None:
    labels = np.concatenate([LABELS, np.full(2, 9)])
    with pytest.raises(
        DataError, match=r"class 9 has 2 examples, fewer than k_shot \+ query = 1 \+ 2 = 3"
    ):
        EpisodeSampler(labels, [0, 9], n_way=2, k_shot=1, query=2)
    with pytest.raises(DataError, match=r"class 5 has 0 examples"):
        EpisodeSampler(LABELS[LABELS != 5], [0, 5], n_way=2, k_shot=1, query=2)


def test_bad_arguments() -> None:
    with pytest.raises(DataError, match="k_shot must be an integer >= 1"):
        sampler(k_shot=0)
    with pytest.raises(DataError, match="integer labels"):
        EpisodeSampler(LABELS.astype(float), [0, 1], n_way=2, k_shot=1, query=1)


def test_class_split_overlap_and_duplicates() -> None:
    split = ClassSplit(train=[0, 1, 2, 3, 4], test=[5, 6, 7, 8, 9])
    assert split.train == (0, 1, 2, 3, 4) and split.val == ()
    with pytest.raises(DataError, match=r"classes 3, 4 are in both train and val") as info:
        ClassSplit(train=(0, 1, 2, 3, 4), val=(3, 4, 5))
    assert "\n" not in str(info.value)
    with pytest.raises(DataError, match=r"class 6 is in both val and test"):
        ClassSplit(train=(0,), val=(6,), test=(6, 7))
    with pytest.raises(DataError, match=r"class 2 is listed twice in train"):
        ClassSplit(train=(2, 2))
