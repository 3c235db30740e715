"""Letter edits: only letters change, the rate is respected, the alphabet is the language's."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from trainlab.augment.text.characters import (
    ALPHABETS,
    CharDelete,
    CharInsert,
    CharSubstitute,
    CharSwap,
)

LONG = " ".join(["Cat, dog; and 12 birds!"] * 50)
LETTERS = sum(c.isalpha() for c in LONG)


def _non_letters(text: str) -> str:
    return "".join(c for c in text if not c.isalpha())


@pytest.mark.parametrize("cls", [CharInsert, CharSubstitute, CharDelete, CharSwap])
def test_spaces_digits_and_punctuation_are_untouched(cls):
    out = cls(rate=0.5)([LONG], np.random.default_rng(0))[0]
    assert _non_letters(out) == _non_letters(LONG)


def test_insert_and_delete_change_the_rate_of_letters():
    rate = 0.1
    k = round(rate * LETTERS)
    assert len(CharInsert(rate=rate)([LONG], np.random.default_rng(0))[0]) == len(LONG) + k
    assert len(CharDelete(rate=rate)([LONG], np.random.default_rng(0))[0]) == len(LONG) - k


def test_substitute_changes_exactly_the_rate_of_letters_and_keeps_case():
    out = CharSubstitute(rate=0.2)([LONG], np.random.default_rng(1))[0]
    assert len(out) == len(LONG)
    diffs = [(a, b) for a, b in zip(LONG, out, strict=True) if a != b]
    assert len(diffs) == round(0.2 * LETTERS)
    assert all(a.isupper() == b.isupper() for a, b in diffs)


def test_spanish_substitutions_draw_from_the_spanish_alphabet():
    text = "a" * 3000
    out = CharSubstitute(rate=1.0, language="es")([text], np.random.default_rng(0))[0]
    assert set(out) == set(ALPHABETS["es"]) - {"a"}  # ñ, á, é, í, ó, ú, ü all appear
    en = CharSubstitute(rate=1.0, language="en")([text], np.random.default_rng(0))[0]
    assert set(en) <= set("bcdefghijklmnopqrstuvwxyz")


def test_swap_keeps_each_words_letters_and_changes_the_rate():
    out = CharSwap(rate=0.1)([LONG], np.random.default_rng(2))[0]
    for a, b in zip(LONG.split(), out.split(), strict=True):
        assert Counter(a) == Counter(b)
    moved = sum(a != b for a, b in zip(LONG, out, strict=True))
    pairs = sum(LONG[i].isalpha() and LONG[i + 1].isalpha() for i in range(len(LONG) - 1))
    assert 0 < moved <= 2 * round(0.1 * pairs)


def test_a_text_without_letters_is_left_alone():
    for cls in (CharInsert, CharSubstitute, CharDelete, CharSwap):
        assert cls(rate=1.0)(["12, 34!"], np.random.default_rng(0)) == ["12, 34!"]


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match=r"^rate: "):
        CharInsert(rate=2)
    with pytest.raises(ValueError, match=r"^language: expected one of 'en', 'es', got 'fr'"):
        CharInsert(language="fr")
