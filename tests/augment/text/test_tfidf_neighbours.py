"""WordTfidfReplace: a dense TF-IDF computed by hand as the oracle, planted co-occurrence."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity

from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.augment.text.tfidf_neighbours import WordTfidfReplace, frequent_words
from trainlab.core.errors import DataError

CORPUS = [
    "Salt and pepper on the table.",
    "Pepper, salt: the kitchen's usual pair.",
    "A cat sleeps; a dog barks at the cat.",
    "The dog and the cat play in the garden.",
    "Rain falls on the garden and on the table.",
    "The kitchen table holds salt, bread and butter.",
    "Bread and butter, a cat and a dog.",
]


def dense_tfidf_similarity(texts: list[str], vocabulary: list[str]) -> np.ndarray:
    """Word-word cosine similarity of TF-IDF columns, from the textbook formulas in numpy.

    tf: raw counts; idf = ln((1 + n) / (1 + df)) + 1 (smoothed); each document's row
    L2-normalized; then each word's column over the documents compared by cosine.
    """
    tokens = [re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", t.lower()) for t in texts]
    col = {w: j for j, w in enumerate(vocabulary)}
    tf = np.zeros((len(texts), len(vocabulary)))
    for i, words in enumerate(tokens):
        for w in words:
            if w in col:
                tf[i, col[w]] += 1
    df = (tf > 0).sum(axis=0)
    idf = np.log((1 + len(texts)) / (1 + df)) + 1
    x = tf * idf
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / np.where(norms > 0, norms, 1)
    return cosine_similarity(x.T)


def test_the_similarities_are_a_dense_tfidf_cosine():
    aug = WordTfidfReplace(min_count=1, k=50, stop_words=()).fit(CORPUS)
    vocabulary = aug.vocabulary
    sims = dense_tfidf_similarity(CORPUS, vocabulary)
    for i, word in enumerate(vocabulary):
        ours = dict(aug.neighbours(word))
        expected = {
            vocabulary[j]: sims[i, j] for j in range(len(vocabulary)) if j != i and sims[i, j] > 0
        }
        assert sorted(ours) == sorted(expected)
        assert [ours[w] for w in sorted(ours)] == pytest.approx(
            [expected[w] for w in sorted(ours)], abs=1e-9
        )
        values = [s for _, s in aug.neighbours(word)]
        assert values == sorted(values, reverse=True)


def test_top_k_and_min_similarity_cut_the_oracle_list():
    aug = WordTfidfReplace(min_count=1, k=3, min_similarity=0.2, stop_words=()).fit(CORPUS)
    sims = dense_tfidf_similarity(CORPUS, aug.vocabulary)
    for i, word in enumerate(aug.vocabulary):
        row = np.delete(sims[i], i)
        expected = np.sort(row[(row > 0) & (row >= 0.2)])[::-1][:3]
        assert [s for _, s in aug.neighbours(word)] == pytest.approx(expected.tolist(), abs=1e-9)


def test_words_that_always_occur_together_are_each_others_nearest():
    rng = np.random.default_rng(0)
    filler = [f"{a}{b}" for a in "bcdfg" for b in "aeiou"]  # ba, be, ...: no stop words
    corpus = []
    for i in range(60):
        words = list(rng.choice(filler, size=6, replace=False))
        if i % 3 == 0:
            words += ["yin", "yang"]  # planted: always together, never apart
        corpus.append(" ".join(rng.permutation(words)))
    aug = WordTfidfReplace(k=3).fit(corpus)
    assert aug.neighbours("yin")[0] == ("yang", pytest.approx(1.0))
    assert aug.neighbours("yang")[0][0] == "yin"
    assert 0 < aug.neighbours("yin")[1][1] < 0.9  # a filler: in some of yin's texts only
    nearest = WordTfidfReplace(k=1).fit(corpus)
    assert nearest(["Yin!", "yang"], np.random.default_rng(0)) == ["Yang!", "yin"]


def test_the_vocabulary_is_the_most_frequent_words_seen_min_count_times():
    texts = ["b a b c", "a b d", "e"]
    assert frequent_words(texts, 1, 3) == ["b", "a", "c"]
    assert frequent_words(texts, 2, 10) == ["b", "a"]
    aug = WordTfidfReplace(min_count=2, max_words=2).fit(CORPUS)
    counts = Counter(re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", " ".join(CORPUS).lower()))
    top = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[:2]
    assert aug.vocabulary == [w for w, _ in top] == ["the", "and"]
    assert "kitchen's" in WordTfidfReplace(min_count=1).fit(CORPUS).vocabulary


def test_replacement_keeps_case_spacing_and_stop_words():
    aug = WordTfidfReplace(min_count=1, rate=1.0).fit(CORPUS)
    text = "The CAT and the Dog, at the table."
    for seed in range(10):
        out = aug([text], np.random.default_rng(seed))[0]
        words = re.findall(r"\w+|\W+", out)
        assert words[0::2][:1] == ["The"] and words[1::2] == re.findall(r"\W+", text)
        assert [re.findall(r"\w+", out)[i] for i in (2, 3, 6)] == ["and", "the", "the"]
        cat = re.findall(r"\w+", out)[1]
        assert cat.isupper() and cat != "CAT"


def test_replay_p0_and_unfitted():
    aug = WordTfidfReplace(min_count=1, rate=0.5).fit(CORPUS)
    params = aug.sample_params(CORPUS, np.random.default_rng(3))
    assert aug.apply(CORPUS, params) == aug.apply(CORPUS, params) != CORPUS
    assert WordTfidfReplace(min_count=1, p=0.0).fit(CORPUS)(CORPUS) == CORPUS
    with pytest.raises(ValueError, match=r"^word-tfidf: not fitted; call fit\(texts\)"):
        WordTfidfReplace()(["salt"], np.random.default_rng(0))
    assert not WordTfidfReplace().fit([]).fitted  # no texts at all: nothing learnt, no error
    with pytest.raises(DataError, match="no word occurs min_count=2"):
        WordTfidfReplace().fit(["", "nothing twice"])
    with pytest.raises(ValueError, match="max_words"):
        WordTfidfReplace(max_words=0)


def test_spanish_and_the_registry_names():
    corpus = [
        "la sal y la pimienta en la mesa",
        "pimienta y sal en la cocina",
        "el perro y el gato en el jardín",
        "el gato duerme, el perro ladra",
    ]
    aug = TEXT_AUGMENTATIONS.get("tfidf")(language="es", min_count=1, rate=1.0, k=1).fit(corpus)
    assert TEXT_AUGMENTATIONS.get("bag-of-words") is WordTfidfReplace
    assert aug.neighbours("sal")[0][0] == "pimienta" and aug.neighbours("gato")[0][0] == "perro"
    assert aug(["La sal, el gato."], np.random.default_rng(0)) == ["La pimienta, el perro."]
