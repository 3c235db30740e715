"""The WordNet 3.0 reader against known synsets (skipped without wordnet-base)."""

from __future__ import annotations

import pytest

from trainlab.augment.text.wordnet import WordNet, find_wordnet
from trainlab.core.errors import DataError

try:
    ROOT = find_wordnet()
except DataError:
    pytest.skip("WordNet is not installed (apt-get install wordnet-base)", allow_module_level=True)


@pytest.fixture(scope="module")
def wn() -> WordNet:
    return WordNet(ROOT)


def test_car_first_sense_is_the_automobile(wn):
    first = wn.synsets("car", "noun")[0]
    assert first.offset == 2958343
    assert first.words == ("car", "auto", "automobile", "machine", "motorcar")
    assert len(wn.synsets("car", "noun")) == 5


def test_known_synonym_sets(wn):
    assert {"auto", "automobile", "machine", "motorcar"} <= set(wn.synonyms("car"))
    assert {"glad", "felicitous"} <= set(wn.synonyms("happy", "adj"))
    assert {"rapidly", "speedily"} <= set(wn.synonyms("quickly", "adv"))
    assert "car" not in wn.synonyms("car")


def test_satellite_adjectives_lose_their_markers(wn):
    words = {w for s in wn.synsets("handy", "adj") for w in s.words}
    assert "ready to hand" in words and not any("(" in w for w in words)


def test_morphy_reduces_inflections(wn):
    assert wn.lemmas("geese", "noun") == ["goose"]
    assert wn.lemmas("cars", "noun") == ["car"]
    assert "run" in wn.lemmas("running", "verb")
    assert wn.synsets("Cars", "noun")[0] == wn.synsets("car", "noun")[0]


def test_a_word_wordnet_lacks_has_no_synonyms(wn):
    assert wn.synonyms("qwzxv") == [] and wn.synsets("qwzxv") == []


def test_a_missing_database_says_how_to_install(tmp_path):
    with pytest.raises(DataError, match="apt-get install wordnet-base"):
        WordNet(tmp_path)
