"""Synonym replacement: WordNet synonyms, stop words kept, English only."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.augment.text.synonyms import WORD, Synonym, english_stop_words
from trainlab.augment.text.wordnet import WordNet, find_wordnet
from trainlab.core.errors import ConfigError, DataError


def test_spanish_is_refused_in_one_line():
    with pytest.raises(ConfigError, match=r"^synonym: language 'es' has no synonym source"):
        Synonym(language="es")


def test_the_built_in_stop_words():
    assert {"the", "a", "in", "is", "of"} <= english_stop_words()


try:
    find_wordnet()
except DataError:
    WORDNET = False
else:
    WORDNET = True
needs_wordnet = pytest.mark.skipif(not WORDNET, reason="apt-get install wordnet-base")


@needs_wordnet
def test_replacements_are_synonyms_and_stop_words_stay():
    wn = WordNet()
    text = "The car is in the garage"
    for seed in range(10):
        out = Synonym(rate=1.0)([text], np.random.default_rng(seed))[0]
        assert out.startswith("The ") and " is in the " in out
        assert out.split(" is in the ")[0][4:].lower() in {s.lower() for s in wn.synonyms("car")}


@needs_wordnet
def test_the_rate_is_a_fraction_of_the_replaceable_words():
    text = " ".join(["automobile"] * 40)  # none of its synonyms holds the word itself
    out = Synonym(rate=0.25)([text], np.random.default_rng(0))[0]
    assert len([m for m in WORD.finditer(out) if m.group() == "automobile"]) == 30


@needs_wordnet
def test_user_stop_words_protect_words():
    out = Synonym(rate=1.0, stop_words={"car"})(["car"], np.random.default_rng(0))
    assert out == ["car"]
