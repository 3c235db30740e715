"""Word edits (EDA): swaps keep the words, deletions keep one, insertions draw the right words."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from trainlab.augment.text.words import WordDelete, WordInsert, WordSwap

LONG = " ".join(f"w{i}" for i in range(200))


def test_swap_keeps_the_multiset_of_words_and_moves_adjacent_ones():
    out = WordSwap(rate=0.1)([LONG], np.random.default_rng(0))[0].split()
    assert Counter(out) == Counter(LONG.split())
    moved = [i for i, w in enumerate(out) if w != f"w{i}"]
    assert 0 < len(moved) <= 2 * 20
    assert all(abs(int(out[i][1:]) - i) <= 20 for i in moved)  # words travel by swaps


def test_delete_removes_the_rate_of_words_in_order():
    out = WordDelete(rate=0.1)([LONG], np.random.default_rng(0))[0].split()
    assert len(out) == 180
    assert out == sorted(out, key=lambda w: int(w[1:]))  # the rest keep their order


def test_delete_always_leaves_a_word():
    assert len(WordDelete(rate=1.0)(["a b c"], np.random.default_rng(0))[0].split()) == 1
    assert WordDelete(rate=1.0)(["alone"], np.random.default_rng(0)) == ["alone"]


def test_insert_adds_the_rate_of_words_from_the_text_or_the_vocabulary():
    own = WordInsert(rate=0.1)([LONG], np.random.default_rng(0))[0].split()
    assert len(own) == 220 and set(own) <= set(LONG.split())
    vocab = WordInsert(rate=0.1, vocabulary=["new", "word"])([LONG], np.random.default_rng(0))
    extra = Counter(vocab[0].split()) - Counter(LONG.split())
    assert sum(extra.values()) == 20 and set(extra) <= {"new", "word"}


def test_at_least_one_word_changes():
    out = WordSwap(rate=0.01)(["one two"], np.random.default_rng(0))
    assert out == ["two one"]


def test_a_bare_string_vocabulary_is_refused():
    with pytest.raises(ValueError, match=r"^vocabulary: expected a list of words"):
        WordInsert(vocabulary="words")
