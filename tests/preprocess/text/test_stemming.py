"""Snowball stemming against snowballstemmer's own output."""

from __future__ import annotations

import pytest
import snowballstemmer

from trainlab.core.errors import ConfigError
from trainlab.preprocess.text import Stemmer, stemmer_languages, tokenize

ENGLISH = (
    "Generously connected relational nationalization hopefully running runners ran easily "
    "skies dying agreed feed conditional sensibility ponies caresses cats troubled"
)
SPANISH = (
    "Corriendo canciones cantaba niños pequeñísimos rápidamente atención nacionalización "
    "bebiéramos comeríamos felicidades montañas árboles pingüinos"
)


@pytest.mark.parametrize(("language", "text"), [("english", ENGLISH), ("spanish", SPANISH)])
def test_stems_equal_snowballstemmer(language: str, text: str) -> None:
    words = tokenize(text)
    ours = Stemmer(language)
    ref = snowballstemmer.stemmer(language)
    assert ours.stem_words(words) == ref.stemWords(words)
    assert ours.stem_words(words) == ref.stemWords(words)  # again, through the cache
    assert [ours(w) for w in words] == [ref.stemWord(w) for w in words]


def test_known_stems_and_codes() -> None:
    assert Stemmer("en").stem_words(["running", "ponies", "caresses"]) == ["run", "poni", "caress"]
    assert Stemmer("ES").stem_words(["canciones", "corriendo"]) == ["cancion", "corr"]
    assert Stemmer("es").language == "spanish"
    assert Stemmer("porter").stem("generalization") == "gener"


def test_every_snowball_language_builds() -> None:
    langs = stemmer_languages()
    assert {"english", "spanish", "french", "german"} <= set(langs)
    assert all(Stemmer(lang).language == lang for lang in langs)


def test_unsupported_language_lists_the_supported_ones() -> None:
    with pytest.raises(ConfigError, match=r"no stemmer for 'ja'.*english.*spanish"):
        Stemmer("ja")
