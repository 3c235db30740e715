"""NeighbourReplace: the table (top k, min_similarity), the draws, case, stop words, rate."""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse

from trainlab.augment.text.draws import TextDraws
from trainlab.augment.text.neighbours import (
    NeighbourReplace,
    check_integer,
    default_stop_words,
    normalize_rows,
    tokenize_words,
)

#: a planted space: cat, dog and cow close (cow a little further), car and bus another pair
WORDS = ["cat", "dog", "cow", "car", "bus", "the"]
MATRIX = np.array(
    [[1, 0, 0], [0.95, 0.1, 0], [0.6, 0.3, 0], [0, 1, 0.05], [0, 0.9, 0.2], [0, 0, 1]],
    dtype=np.float32,
)


class Planted(NeighbourReplace):
    name = "planted"

    def fit(self, texts):
        return self.set_space(WORDS, MATRIX)


def planted(**kwargs) -> Planted:
    return Planted(**kwargs).fit([])


def cosine(a: str, b: str) -> float:
    x, y = MATRIX[WORDS.index(a)], MATRIX[WORDS.index(b)]
    return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))


def test_the_table_is_the_top_k_by_cosine_with_a_positive_similarity():
    aug = planted(k=2, stop_words=())
    got = aug.neighbours("cat")
    assert [w for w, _ in got] == ["dog", "cow"]
    assert [s for _, s in got] == pytest.approx([cosine("cat", "dog"), cosine("cat", "cow")])
    everyone = planted(k=10, stop_words=()).neighbours("cat")  # all others with a positive one
    expected = sorted(
        ((w, cosine("cat", w)) for w in WORDS if w != "cat" and cosine("cat", w) > 0),
        key=lambda ws: -ws[1],
    )
    assert [w for w, _ in everyone] == [w for w, _ in expected]  # "the" (orthogonal) left out
    assert "the" not in dict(everyone)


def test_min_similarity_drops_the_far_neighbours():
    aug = planted(k=10, min_similarity=0.95)
    assert [w for w, _ in aug.neighbours("cat")] == ["dog"]
    assert aug.neighbours("the") == []  # no neighbour is that close: never replaced
    assert aug(["the the"], np.random.default_rng(0)) == ["the the"]


def test_lookup_is_case_insensitive_and_the_case_is_kept():
    aug = planted(rate=1.0, k=1)  # each word's nearest only: cat → dog, car → bus
    assert aug.neighbours("CAT") == aug.neighbours("cat")
    out = aug(["Cat, CAR and cat!"], np.random.default_rng(0))
    assert out == ["Dog, BUS and dog!"]


def test_stop_words_are_never_replaced():
    aug = planted(rate=1.0, stop_words=["cat", "car"])
    for seed in range(20):
        out = aug(["cat car dog"], np.random.default_rng(seed))[0].split()
        assert out[:2] == ["cat", "car"] and out[2] != "dog"
    assert "the" in planted().stop_words  # the English list by default
    # nor put in: "the" is a (far) neighbour of bus, and a stop word
    assert "the" in dict(planted(k=10, stop_words=()).neighbours("bus"))
    assert "the" not in dict(planted(k=10).neighbours("bus"))


def test_rate_counts_the_eligible_words_at_least_one():
    aug = planted(rate=0.3)
    # eligible: cat, dog, car, bus (the: a stop word; sofa: no vector; a: one letter)
    text = "the cat a dog sofa car bus"
    for seed in range(10):
        out = aug([text], np.random.default_rng(seed))[0].split()
        changed = sum(a != b for a, b in zip(text.split(), out, strict=True))
        assert changed == 1  # round(0.3 · 4) = 1
    out = planted(rate=1.0)([text], np.random.default_rng(0))[0].split()
    assert [a == b for a, b in zip(text.split(), out, strict=True)] == [
        True, False, True, False, True, False, False,
    ]  # fmt: skip
    assert planted(rate=0.0)([text], np.random.default_rng(0)) == [text]


def test_neighbours_are_drawn_in_proportion_to_the_similarity():
    aug = planted(rate=1.0, k=2)
    draws = Counter(aug.augment("cat", TextDraws(seed)) for seed in range(6000))
    s_dog, s_cow = cosine("cat", "dog"), cosine("cat", "cow")
    assert set(draws) == {"dog", "cow"}
    share = draws["cow"] / 6000
    expected = s_cow / (s_dog + s_cow)
    assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / 6000)


def test_a_draw_replays_p0_is_the_identity_and_pickling_keeps_the_table():
    aug = planted(rate=0.5)
    texts = ["The cat and the dog.", "A car, a bus.", "", "nothing here"]
    params = aug.sample_params(texts, np.random.default_rng(1))
    first = aug.apply(texts, params)
    assert aug.apply(texts, params) == first
    assert pickle.loads(pickle.dumps(aug)).apply(texts, params) == first
    assert first[2:] == texts[2:]
    assert planted(p=0.0)(texts, np.random.default_rng(0)) == texts


def test_an_unfitted_one_says_how_to_fit_it():
    aug = Planted()
    assert not aug.fitted and planted().fitted
    with pytest.raises(ValueError, match=r"^planted: not fitted; call fit\(texts\)"):
        aug(["a cat"], np.random.default_rng(0))
    with pytest.raises(ValueError, match="not fitted"):
        aug.neighbours("cat")
    assert Planted(p=0.0)(["a cat"]) == ["a cat"]  # nothing to change: nothing to look up
    assert "not fitted" in repr(aug) and "6 words" in repr(planted())


def test_set_space_lowercases_keeps_the_first_of_a_word_and_drops_non_words():
    aug = Planted(k=5, stop_words=()).set_space(
        ["Cat", "cat", "dog", "1990", ","], np.eye(5, dtype=np.float32) + 0.1
    )
    assert aug.vocabulary == ["cat", "dog"]
    assert [w for w, _ in aug.neighbours("cat")] == ["dog"]
    with pytest.raises(ValueError, match="2 words for a matrix of 3 rows"):
        Planted().set_space(["a", "b"], np.zeros((3, 2)))


def test_a_sparse_space_gives_the_dense_table():
    dense = planted(k=3, stop_words=())
    sparse = Planted(k=3, stop_words=()).set_space(WORDS, scipy.sparse.csr_matrix(MATRIX))
    for word in WORDS:
        a, b = dense.neighbours(word), sparse.neighbours(word)
        assert [w for w, _ in a] == [w for w, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], abs=1e-6)


def test_spanish_stop_words_and_accented_words():
    aug = Planted(language="es", rate=1.0, k=1).set_space(
        ["canción", "música", "pero"], np.array([[1, 0.1], [1, 0.2], [1, 0.15]], np.float32)
    )
    assert "pero" in default_stop_words("es") and "pero" in aug.stop_words
    assert aug(["Canción, pero"], np.random.default_rng(0)) == ["Música, pero"]
    with pytest.raises(ValueError, match="language"):
        Planted(language="fr")


def test_helpers():
    assert tokenize_words("¿Qué Tal, señor-Pérez? 3 años") == ["qué", "tal", "señor-pérez", "años"]
    assert normalize_rows(np.array([[0.0, 2.0]])).tolist() == [[0.0, 1.0]]
    rows = normalize_rows(scipy.sparse.csr_matrix([[3.0, 4.0], [0.0, 0.0]])).toarray()
    assert rows.tolist() == [[0.6, 0.8], [0.0, 0.0]]
    for bad in (0, 1.5, True, "3"):
        with pytest.raises(ValueError, match=r"^k: expected an integer >= 1"):
            check_integer("k", bad, 1)
    with pytest.raises(ValueError, match="min_similarity"):
        Planted(min_similarity=1.5)
    with pytest.raises(ValueError, match="single string"):
        Planted(stop_words="the")


def test_the_similarities_do_not_depend_on_which_words_are_asked_first():
    from gensim.test.utils import datapath

    from trainlab.augment.text.embedding_neighbours import WordEmbeddingReplace

    lines = Path(datapath("lee_background.cor")).read_text(encoding="utf-8").splitlines()[:120]
    a = WordEmbeddingReplace(min_count=2, vector_size=16).fit(lines)
    b = WordEmbeddingReplace(min_count=2, vector_size=16).fit(lines)
    words = a.vocabulary[:300]
    one_by_one = {w: a.neighbours(w) for w in words}
    b._ensure(reversed(words))  # every word at once, in another order
    assert all(b.neighbours(w) == one_by_one[w] for w in words)
