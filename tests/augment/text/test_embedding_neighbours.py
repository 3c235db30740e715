"""WordEmbeddingReplace: gensim's most_similar as the oracle, vectors files, training, errors."""

from __future__ import annotations

import itertools
import string

import numpy as np
import pytest
from gensim.models import KeyedVectors

from trainlab.augment.text.embedding_neighbours import (
    VECTORS_FILE,
    WordEmbeddingReplace,
    load_word_vectors,
)
from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
from trainlab.core.errors import ConfigError, DataError

#: a tiny corpus: animals and vehicles in their own sentences, each word many times
CORPUS = [
    "the cat chased the dog and the dog chased the cat",
    "a cat and a dog ate with the cow",
    "the car passed the bus and the bus passed the truck",
    "a truck and a car and a bus on the road",
] * 10


def random_vectors(n: int = 300, dim: int = 12, seed: int = 0) -> KeyedVectors:
    """``n`` random vectors keyed by letter-only words (aa, ab, …; no stop word among them)."""
    keys = ["".join(p) for p in itertools.product("bcdfghjklmnpqrstvwxz", repeat=2)][:n]
    kv = KeyedVectors(dim)
    kv.add_vectors(keys, np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32))
    return kv


def test_the_table_is_gensims_most_similar():
    kv = random_vectors()
    aug = WordEmbeddingReplace(vectors=kv, k=7, stop_words=())
    for word in kv.index_to_key[::17]:
        ours = aug.neighbours(word)
        theirs = kv.most_similar(word, topn=7)
        positive = [(w, s) for w, s in theirs if s > 0]  # ours keeps positive similarities only
        assert [w for w, _ in ours] == [w for w, _ in positive]
        assert [s for _, s in ours] == pytest.approx([s for _, s in positive], abs=1e-5)


def test_min_similarity_and_k_cut_the_same_list():
    kv = random_vectors()
    aug = WordEmbeddingReplace(vectors=kv, k=20, min_similarity=0.4, stop_words=())
    for word in kv.index_to_key[:30]:
        expected = [w for w, s in kv.most_similar(word, topn=20) if s >= 0.4]
        assert [w for w, _ in aug.neighbours(word)] == expected


def test_a_text_or_binary_file_or_a_word2vec_folder_gives_the_same_table(tmp_path):
    kv = random_vectors(60, 6)
    kv.save_word2vec_format(str(tmp_path / "v.bin"), binary=True)
    folder = tmp_path / "run"
    folder.mkdir()
    kv.save_word2vec_format(str(folder / VECTORS_FILE), binary=False)
    tables = []
    for source in (kv, tmp_path / "v.bin", str(folder), folder / VECTORS_FILE):
        aug = WordEmbeddingReplace(vectors=source, k=3, stop_words=())
        assert aug.fitted
        tables.append([[w for w, _ in aug.neighbours(x)] for x in kv.index_to_key])
    assert tables[1:] == tables[:1] * 3
    assert "v.bin" in repr(WordEmbeddingReplace(vectors=tmp_path / "v.bin"))


def test_keys_are_lowercased_and_non_words_left_out(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("4 2\nCat 1 0\ncat 0 1\ndog 0.9 0.1\n, 1 0\n", encoding="utf-8")
    aug = WordEmbeddingReplace(vectors=path, rate=1.0)
    assert aug.vocabulary == ["cat", "dog"]  # Cat first: its row is cat's
    assert load_word_vectors(path)["Cat"].tolist() == [1.0, 0.0]
    assert aug(["CAT!"], np.random.default_rng(0)) == ["DOG!"]


def test_a_bad_vectors_path_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match=r"^vectors: no such file or folder .*nope"):
        WordEmbeddingReplace(vectors=tmp_path / "nope.txt")
    with pytest.raises(ConfigError, match="no such file or folder"):
        WordEmbeddingReplace(vectors=tmp_path)  # a folder without vectors.txt
    bad = tmp_path / "bad.txt"
    bad.write_text("these are not\nword vectors at all\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.txt.* is not a word2vec text or binary file"):
        WordEmbeddingReplace(vectors=bad)
    with pytest.raises(ValueError, match="vectors: expected a word2vec file"):
        WordEmbeddingReplace(vectors=3)
    # built from a recipe, the error names the augment entry
    from trainlab.augment.pipeline import build_augmentation

    with pytest.raises(
        ConfigError, match=r"^augment\[0\] \(word2vec\): vectors: no such file .*nope"
    ):
        build_augmentation(
            {"name": "word2vec", "vectors": str(tmp_path / "nope")},
            where="augment[0]",
            registry=TEXT_AUGMENTATIONS,
        )


def test_fit_trains_reproducible_vectors_on_the_texts():
    make = lambda: WordEmbeddingReplace(vector_size=8, epochs=3, k=3, seed=1)  # noqa: E731
    a, b = make(), make()
    assert not a.fit([]).fitted  # no texts (arguments checked before the data): still unfitted
    assert a.fit(CORPUS) is a and a.fitted
    b.fit(CORPUS)
    assert set(a.vocabulary) >= {"cat", "dog", "car", "bus", "truck", "cow", "road"}
    assert {w: a.neighbours(w) for w in a.vocabulary} == {w: b.neighbours(w) for w in b.vocabulary}
    texts = ["The cat chased the truck on the road."] * 4
    out = a(texts, np.random.default_rng(0))
    assert out == b(texts, np.random.default_rng(0)) and out != texts
    cbow = WordEmbeddingReplace(architecture="cbow", vector_size=8, epochs=3, k=3).fit(CORPUS)
    assert cbow.neighbours("cat") != a.neighbours("cat")


def test_fit_keeps_given_vectors_and_refuses_a_corpus_too_small():
    kv = random_vectors(20, 4)
    aug = WordEmbeddingReplace(vectors=kv)
    assert aug.fit(["something else entirely"]).vocabulary == list(kv.index_to_key)
    with pytest.raises(DataError, match=r"no word occurs min_count=2 times or more in the 1"):
        WordEmbeddingReplace().fit(["each word once"])


def test_unfitted_is_a_clear_error_and_p0_needs_nothing():
    with pytest.raises(ValueError, match=r"call fit\(texts\) or give vectors"):
        WordEmbeddingReplace()(["a cat"], np.random.default_rng(0))
    assert WordEmbeddingReplace(p=0.0)(["a cat"], np.random.default_rng(0)) == ["a cat"]


def test_arguments_are_checked():
    for kwargs, match in [
        ({"architecture": "glove"}, "architecture"),
        ({"vector_size": 0}, "vector_size"),
        ({"k": 0}, "^k:"),
        ({"rate": 2}, "rate"),
        ({"language": "de"}, "language"),
    ]:
        with pytest.raises(ValueError, match=match):
            WordEmbeddingReplace(**kwargs)


def test_spanish():
    corpus = [
        "el gato persigue al perro y el perro persigue al gato",
        "un coche adelanta al autobús y el autobús adelanta al camión",
    ] * 10
    aug = WordEmbeddingReplace(language="es", rate=1.0, vector_size=8, epochs=3).fit(corpus)
    assert {"el", "al", "y", "un"} <= aug.stop_words
    out = aug(["El gato y el perro."], np.random.default_rng(0))[0]
    assert out.startswith("El ") and " y el " in out and out != "El gato y el perro."
    assert all(n not in aug.stop_words for w in aug.vocabulary for n, _ in aug.neighbours(w))


def test_the_letters_are_what_a_word_is():
    aug = WordEmbeddingReplace(vectors=random_vectors(40, 4), rate=1.0, stop_words=())
    assert all(set(w) <= set(string.ascii_lowercase) for w in aug.vocabulary)
    text = "bc-bd 42 bf_bg"  # a hyphenated word is one word; digits and _ split words
    out = aug([text], np.random.default_rng(0))[0]
    first, digits, third = out.split()
    assert (first, digits) == ("bc-bd", "42") and "_" in third and third != "bf_bg"
