"""Tests of trainlab.preprocess.text.word2vec: planted structure, seeds, files, evaluation."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from trainlab.core.errors import DataError
from trainlab.preprocess.text.vocabulary import Vocabulary
from trainlab.preprocess.text.word2vec import (
    Word2VecConfig,
    embedding_matrix,
    evaluate_vectors,
    nearest_neighbours,
    read_vectors,
    train_word2vec,
    write_vectors,
)

GROUPS = {
    "animals": ["cat", "dog", "horse", "cow", "sheep", "goat"],
    "tools": ["hammer", "saw", "drill", "wrench", "chisel", "pliers"],
}


def _planted_corpus(n: int = 2000, length: int = 8, seed: int = 1) -> list[list[str]]:
    """Sentences drawn from one group each: words co-occur only with their own group."""
    rng = random.Random(seed)
    groups = list(GROUPS.values())
    return [rng.choices(groups[i % 2], k=length) for i in range(n)]


def _small_config(**kwargs) -> Word2VecConfig:
    return Word2VecConfig(**{"vector_size": 16, "window": 3, "epochs": 5, **kwargs})


@pytest.mark.parametrize("architecture", ["cbow", "skip-gram"])
def test_planted_groups_are_each_others_neighbours(architecture):
    config = _small_config(architecture=architecture, epochs=10)
    vectors = train_word2vec(_planted_corpus(), config)
    for members in GROUPS.values():
        table = nearest_neighbours(vectors, members, k=len(members) - 1)
        for word in members:
            assert {n for n, _ in table[word]} == set(members) - {word}, (architecture, word)


def test_same_seed_same_vectors_and_another_seed_differs():
    corpus = _planted_corpus(200)
    a = train_word2vec(corpus, _small_config(seed=3))
    b = train_word2vec(iter(corpus), _small_config(seed=3))  # a one-shot iterator works too
    c = train_word2vec(corpus, _small_config(seed=4))
    assert a.index_to_key == b.index_to_key
    np.testing.assert_array_equal(a.vectors, b.vectors)
    assert not np.allclose(a.vectors, c.vectors)


def test_min_count_drops_rare_words_and_no_word_left_is_a_data_error():
    vectors = train_word2vec([["a", "a", "b"]] * 3 + [["rare"]], _small_config(min_count=2))
    assert "rare" not in vectors.key_to_index and "a" in vectors.key_to_index
    with pytest.raises(DataError, match="min_count=5"):
        train_word2vec([["a", "b"]] * 2, _small_config(min_count=5))
    with pytest.raises(DataError):
        train_word2vec([], _small_config())


def test_nearest_neighbours_skips_unknown_words_and_sorts_by_similarity():
    vectors = train_word2vec(_planted_corpus(100), _small_config())
    table = nearest_neighbours(vectors, ["cat", "unicorn"], k=3)
    assert list(table) == ["cat"]
    sims = [s for _, s in table["cat"]]
    assert len(sims) == 3 and sims == sorted(sims, reverse=True)
    assert sims[0] == pytest.approx(float(vectors.similarity("cat", table["cat"][0][0])), abs=1e-6)
    with pytest.raises(ValueError, match="k"):
        nearest_neighbours(vectors, ["cat"], k=0)


def test_write_read_round_trip(tmp_path):
    vectors = train_word2vec(_planted_corpus(100), _small_config())
    path = write_vectors(vectors, tmp_path / "sub" / "vectors.txt")
    assert path.read_text(encoding="utf-8").splitlines()[0] == f"{len(vectors)} 16"
    assert [p.name for p in path.parent.iterdir()] == ["vectors.txt"]  # no temporary file left
    back = read_vectors(path)
    assert back.index_to_key == vectors.index_to_key
    np.testing.assert_allclose(back.vectors, vectors.vectors, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "content", [b"", b"2 3\ncat 1 2\n", b"\xff\xfe garbage\n", b"x y\ncat 1 2 3\n"]
)
def test_read_bad_file_is_one_line_data_error(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DataError, match=r"bad\.txt") as info:
        read_vectors(path)
    assert "\n" not in str(info.value)
    with pytest.raises(DataError, match="no such"):
        read_vectors(tmp_path / "missing.txt")


def test_embedding_matrix_follows_vocabulary_order():
    corpus = _planted_corpus(100)
    vectors = train_word2vec(corpus, _small_config())
    vocab = Vocabulary.fit([*corpus, ["zebra", "zebra"]], min_count=1)
    matrix = embedding_matrix(vectors, vocab.tokens, 16)
    assert matrix.shape == (len(vocab), 16) and matrix.dtype == np.float32
    assert np.all(matrix[0] == 0)  # padding
    for word in ["cat", "drill"]:
        np.testing.assert_array_equal(matrix[vocab[word]], vectors[word])
    unknown = matrix[[vocab["<unk>"], vocab["zebra"]]]
    assert np.all(unknown != 0) and np.all(np.abs(unknown) < 10 * vectors.vectors.std())
    np.testing.assert_array_equal(matrix, embedding_matrix(vectors, vocab.tokens, 16))
    with pytest.raises(ValueError, match="dim"):
        embedding_matrix(vectors, vocab.tokens, 8)


def test_evaluate_vectors_on_lee_corpus():
    from gensim.test.utils import datapath

    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        corpus = [line.lower().split() for line in f]
    vectors = train_word2vec(corpus, Word2VecConfig(vector_size=32, epochs=3, min_count=3))
    scores = evaluate_vectors(vectors)
    for name in ["wordsim353", "simlex999"]:
        assert -1.0 <= scores[f"{name}_spearman"] <= 1.0
        assert 0.0 < scores[f"{name}_oov"] < 1.0  # Lee covers some pairs, not all
    assert 0.0 <= scores["analogy_accuracy"] <= 1.0
    assert 0.0 < scores["analogy_oov"] < 1.0
    assert all(math.isfinite(v) for v in scores.values())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("architecture", "glove"),
        ("vector_size", 0),
        ("window", 0),
        ("min_count", 0),
        ("epochs", 0),
        ("negative", 0),
        ("seed", -1),
        ("epochs", 2.5),
        ("window", True),
    ],
)
def test_bad_config_values_name_the_field(field, value):
    with pytest.raises(ValueError, match=f"word2vec.{field}") as info:
        Word2VecConfig(**{field: value})
    assert "\n" not in str(info.value)
