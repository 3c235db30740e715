"""Stop-word lists against the stop-words package."""

from __future__ import annotations

import pytest
import stop_words as package

from trainlab.core.errors import ConfigError
from trainlab.preprocess.text import stop_word_languages, stop_words


@pytest.mark.parametrize(("code", "name"), [("en", "english"), ("es", "spanish")])
def test_lists_are_the_package_lists(code: str, name: str) -> None:
    ours = stop_words(code)
    assert ours == stop_words(name) == stop_words(name.upper())
    assert ours == frozenset(package.get_stop_words(name))
    assert isinstance(ours, frozenset) and len(ours) > 300


def test_known_words() -> None:
    assert {"the", "and", "of", "is"} <= stop_words("en")
    assert {"el", "la", "de", "que", "y", "está"} <= stop_words("es")
    assert "fox" not in stop_words("en") and "zorro" not in stop_words("es")


def test_unsupported_language_lists_the_supported_ones() -> None:
    assert "esperanto" not in stop_word_languages()
    with pytest.raises(ConfigError, match=r"no stop-word list for 'eo'.*english.*spanish"):
        stop_words("eo")
    with pytest.raises(ConfigError, match="no stop-word list for 'klingon'"):
        stop_words("klingon")
