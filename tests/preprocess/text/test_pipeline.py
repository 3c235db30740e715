"""The text pipeline against scikit-learn's CountVectorizer and TfidfVectorizer.

The oracle gets the pipeline's own analyzer (``analyzer=pipe.tokens``), so
what is compared is the vocabulary, the counting, the idf weights and the
normalization; the analyzer itself is tested in the other files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.text import TextPipeline

TRAIN = [
    "The cat sat on the mat.",
    "The dog sat on the log, and the dog barked!",
    "A cat and a dog are friends; cats and dogs play.",
    "Running runners run: 3 runs in 2 days.",
    "El gato se sentó en la alfombra.",
    "El perro ladra, y el gato corre rápidamente.",
    "¿Dónde están los niños? Los niños juegan en el jardín.",
    "Las canciones de la montaña son muy bonitas.",
    "Don't panic — it's only a test, isn't it?",
    "Ñandúes y pingüinos: aves que no vuelan.",
]
OTHER = ["The zebra and the cat.", "Un ñandú nuevo, ¡y un gato!", "", "???"]
FORTUNES = Path("/usr/share/games/fortunes")

OPTIONS = [
    {},
    {"ngrams": (1, 2)},
    {"strip_accents": True, "strip_digits": True, "strip_punctuation": False},
    {"language": "es", "stop_words": True, "stem": True},
    {"language": "en", "stop_words": True, "stem": True, "ngrams": (1, 3), "lowercase": False},
]


def _reorder(ours: np.ndarray, pipe: TextPipeline, ref_vocab: dict[str, int]) -> np.ndarray:
    """The oracle's columns in our column order (the vocabularies must be the same set)."""
    assert set(ref_vocab) == set(pipe.feature_names)
    return np.asarray([ref_vocab[t] for t in pipe.feature_names])


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("binary", [False, True])
def test_counts_match_count_vectorizer(options: dict, binary: bool) -> None:
    pipe = TextPipeline(representation="binary" if binary else "counts", **options).fit(TRAIN)
    ref = CountVectorizer(analyzer=pipe.tokens, binary=binary).fit(TRAIN)
    cols = _reorder(pipe.transform(TRAIN), pipe, ref.vocabulary_)
    for texts in (TRAIN, OTHER):
        ours = pipe.transform(texts)
        assert ours.dtype == np.float32 and ours.shape == (len(texts), len(pipe.feature_names))
        np.testing.assert_array_equal(ours, ref.transform(texts).toarray()[:, cols])


@pytest.mark.parametrize("options", OPTIONS)
def test_tfidf_matches_tfidf_vectorizer(options: dict) -> None:
    pipe = TextPipeline(representation="tfidf", **options).fit(TRAIN)
    ref = TfidfVectorizer(analyzer=pipe.tokens, smooth_idf=True, sublinear_tf=False, norm="l2")
    ref.fit(TRAIN)
    cols = _reorder(pipe.transform(TRAIN), pipe, ref.vocabulary_)
    np.testing.assert_allclose(pipe.idf, ref.idf_[cols], rtol=1e-12)
    for texts in (TRAIN, OTHER):
        ours = pipe.transform(texts)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, ref.transform(texts).toarray()[:, cols], atol=1e-7)
    assert not pipe.transform(["???"]).any()  # nothing known: a zero row, not NaN


@pytest.mark.parametrize("representation", ["counts", "tfidf"])
def test_a_limited_vocabulary_matches_the_vectorizers_given_it(representation: str) -> None:
    pipe = TextPipeline(representation=representation, min_count=2, max_size=6).fit(TRAIN)
    assert len(pipe.feature_names) == 6
    cls = TfidfVectorizer if representation == "tfidf" else CountVectorizer
    ref = cls(analyzer=pipe.tokens, vocabulary=pipe.feature_names).fit(TRAIN)
    for texts in (TRAIN, OTHER):
        np.testing.assert_allclose(pipe.transform(texts), ref.transform(texts).toarray(), atol=1e-7)


@pytest.mark.skipif(not FORTUNES.is_dir(), reason="the fortunes package is not installed")
def test_tfidf_matches_on_fortunes() -> None:
    entries = FORTUNES.joinpath("science").read_text(encoding="utf-8").split("\n%\n")[:300]
    train, test = entries[:200], entries[200:]
    pipe = TextPipeline(stop_words=True, stem=True, ngrams=(1, 2), min_count=1).fit(train)
    ref = TfidfVectorizer(analyzer=pipe.tokens).fit(train)
    cols = _reorder(pipe.transform(train), pipe, ref.vocabulary_)
    np.testing.assert_allclose(
        pipe.transform(test), ref.transform(test).toarray()[:, cols], atol=1e-6
    )


def test_sequences_are_padded_truncated_and_unknown_is_one() -> None:
    pipe = TextPipeline(representation="sequence", max_length=5).fit(["b a b c", "b a d"])
    vocab = pipe.vocabulary
    assert vocab.tokens == ["<pad>", "<unk>", "b", "a", "c", "d"]
    out = pipe.transform(["a zebra b", "b b b b b b b d", ""])
    assert out.dtype == np.int64 and out.shape == (3, 5)
    assert out.tolist() == [[3, 1, 2, 0, 0], [2, 2, 2, 2, 2], [0, 0, 0, 0, 0]]
    assert vocab.decode(out[0][:3]) == ["a", "<unk>", "b"]


def test_stop_words_match_after_accent_stripping() -> None:
    plain = TextPipeline("es", stop_words=True)
    stripped = TextPipeline("es", stop_words=True, strip_accents=True)
    text = "Él también está aquí, pero ella está con la canción"
    assert plain.tokens(text) == ["canción"]
    assert stripped.tokens(text) == ["cancion"]
    # the list has "también" only; stripped, it also removes the text's "tambien"
    assert plain.tokens("tambien") == ["tambien"] and stripped.tokens("tambien") == []
    assert TextPipeline("en", stop_words=True, lowercase=False).tokens("The Cat") == ["Cat"]


@pytest.mark.parametrize("representation", ["tfidf", "counts", "binary", "sequence"])
def test_state_round_trips_through_json(representation: str) -> None:
    options = {"language": "es", "stop_words": True, "stem": True, "strip_accents": True}
    pipe = TextPipeline(representation=representation, ngrams=(1, 2), max_length=7, **options)
    pipe.fit(TRAIN)
    state = json.loads(json.dumps(pipe.state_dict()))
    again = TextPipeline.from_state_dict(state)
    assert again.config() == pipe.config()
    np.testing.assert_array_equal(again.transform(TRAIN + OTHER), pipe.transform(TRAIN + OTHER))
    assert (state["idf"] is None) == (representation != "tfidf")


def test_state_keeps_the_stop_words_it_was_fitted_with() -> None:
    pipe = TextPipeline(stop_words=True, representation="counts").fit(["the cat", "the dog"])
    state = pipe.state_dict()
    state["stop_word_list"] = ["cat"]  # as if a newer list had changed
    assert TextPipeline.from_state_dict(state).tokens("the cat") == ["the"]


def test_input_forms() -> None:
    pipe = TextPipeline(representation="counts").fit(np.array(TRAIN, dtype=object))
    np.testing.assert_array_equal(pipe.transform(tuple(OTHER)), pipe.transform(OTHER))
    assert pipe.fit_transform(TRAIN).shape == (len(TRAIN), len(pipe.feature_names))


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([], r"got no training texts \(N = 0\)"),
        (["fine", 3], "text 1 is a int, expected a str"),
        (["ok", None], "text 1 is a NoneType"),
        ("a single string", "expected a sequence of texts, got one str"),
        (["the", "a of"], "left no token"),
    ],
)
def test_bad_training_texts(texts, message: str) -> None:
    with pytest.raises(DataError, match=message):
        TextPipeline(stop_words=True).fit(texts)


def test_transform_before_fit_and_bad_state() -> None:
    with pytest.raises(DataError, match="not fitted"):
        TextPipeline().transform(["x"])
    with pytest.raises(ConfigError, match="text pipeline state"):
        TextPipeline.from_state_dict({"vocabulary": {}})
    state = TextPipeline().fit(["a b"]).state_dict()
    state["idf"] = [1.0]
    with pytest.raises(ConfigError, match="one idf weight per token"):
        TextPipeline.from_state_dict(state)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"language": "ja", "stem": True}, "no stemmer for 'ja'"),
        ({"language": "eo", "stop_words": True}, "no stop-word list for 'eo'"),
        ({"representation": "onehot"}, "representation: expected one of tfidf, counts"),
        ({"ngrams": (2, 1)}, "ngrams: expected integers"),
        ({"ngrams": (1, 2, 3)}, r"ngrams: expected \(n_min, n_max\)"),
        ({"max_length": 0}, "max_length"),
        ({"min_count": 0}, "min_count"),
        ({"max_size": -1}, "max_size"),
        ({"stem": "yes"}, "stem: expected true or false"),
        ({"language": None}, "language"),
    ],
)
def test_bad_options(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TextPipeline(**kwargs)
