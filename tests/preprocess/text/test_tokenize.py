"""Tokenization and n-grams against scikit-learn's accent stripping and word n-grams."""

from __future__ import annotations

import unicodedata

import pytest
from sklearn.feature_extraction.text import CountVectorizer, strip_accents_unicode

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.text import ngrams, remove_accents, tokenize

SPANISH = "¿Dónde está el pingüino? ¡El niño comió piñas en Logroño!"


def test_unicode_letters_stay_inside_words() -> None:
    assert tokenize(SPANISH) == [
        "dónde", "está", "el", "pingüino", "el", "niño", "comió", "piñas", "en", "logroño"
    ]  # fmt: skip
    assert tokenize("Straße, Αθήνα, Москва") == ["straße", "αθήνα", "москва"]


def test_decomposed_input_gives_the_same_tokens() -> None:
    nfd = unicodedata.normalize("NFD", SPANISH)
    assert nfd != SPANISH
    assert tokenize(nfd) == tokenize(SPANISH)


def test_strip_accents_matches_sklearn() -> None:
    for text in (SPANISH, "Ça va? Crème brûlée, Ångström, ﬁ"):
        assert remove_accents(text) == strip_accents_unicode(text)
    assert tokenize(SPANISH, strip_accents=True)[:4] == ["donde", "esta", "el", "pinguino"]


def test_punctuation_is_dropped_or_kept_as_tokens() -> None:
    text = "Wait... what?! A_B (yes) don’t"
    assert tokenize(text) == ["wait", "what", "a", "b", "yes", "don't"]
    assert tokenize(text, strip_punctuation=False) == [
        "wait", "...", "what", "?!", "a", "_", "b", "(", "yes", ")", "don't"
    ]  # fmt: skip


def test_digits_and_case() -> None:
    assert tokenize("MP3 costs 1.000 €", strip_digits=True) == ["mp", "costs"]
    assert tokenize("MP3 costs 1.000 €") == ["mp3", "costs", "1", "000"]
    assert tokenize("Hola Mundo", lowercase=False) == ["Hola", "Mundo"]
    assert tokenize("٣ apples", strip_digits=True) == ["apples"]  # Arabic-Indic three


def test_not_a_str_is_a_data_error() -> None:
    with pytest.raises(DataError, match="expected a str, got bytes"):
        tokenize(b"bytes")


@pytest.mark.parametrize("n_range", [(1, 1), (1, 3), (2, 2), (2, 4)])
def test_ngrams_match_sklearn(n_range: tuple[int, int]) -> None:
    tokens = tokenize("the quick brown fox jumps over the lazy dog")
    ref = CountVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=n_range
    ).build_analyzer()(" ".join(tokens))
    assert ngrams(tokens, *n_range) == ref


def test_ngrams_of_short_texts_and_bad_ranges() -> None:
    assert ngrams(["one"], 2, 3) == []
    assert ngrams([], 1, 2) == []
    for bad in [(0, 1), (2, 1), (1.0, 2)]:
        with pytest.raises(ConfigError, match="ngrams: expected integers"):
            ngrams(["a"], *bad)
