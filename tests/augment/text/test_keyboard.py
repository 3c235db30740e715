"""Keyboard typos: real neighbours on the US and Spanish layouts, the dead acute key, the rate."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.augment.text.keyboard import ACUTE, Keyboard, neighbours, typos

#: neighbours read off the physical keyboards (letters only)
US = {
    "q": "wa", "a": "qwsz", "s": "weadzx", "g": "tyfhvb", "j": "uihknm",
    "p": "ol", "m": "njk", "z": "asx", "e": "wrsd",
}  # fmt: skip
SPAIN = {"ñ": "pl", "l": "opkñ", "p": "olñ", "a": "qwsz", "m": "njk"}


@pytest.mark.parametrize(("layout", "table"), [("qwerty-en", US), ("qwerty-es", SPAIN)])
def test_neighbours_are_the_keys_that_touch(layout, table):
    for key, expected in table.items():
        assert set(neighbours(layout)[key]) == set(expected), key


@pytest.mark.parametrize("layout", ["qwerty-en", "qwerty-es"])
def test_touching_is_symmetric_and_covers_the_alphabet(layout):
    table = neighbours(layout)
    assert set("abcdefghijklmnopqrstuvwxyz") <= set(table)
    for key, near in table.items():
        assert all(key in table[n] for n in near), key


def test_the_spanish_dead_key_accents_vowels_and_is_missed_on_accented_ones():
    table = typos("qwerty-es")
    for plain, accented in ACUTE.items():
        assert accented in table[plain]
        assert plain in table[accented]
    assert "á" not in typos("qwerty-en")["a"] and "á" not in typos("qwerty-en")


@pytest.mark.parametrize("layout", ["qwerty-en", "qwerty-es"])
def test_every_typo_is_a_neighbour_and_the_rate_is_kept(layout):
    text = " ".join(["Mañana, el Árbol está lejos."] * 40)
    out = Keyboard(layout=layout, rate=0.2)([text], np.random.default_rng(0))[0]
    table = typos(layout)
    diffs = [(a, b) for a, b in zip(text, out, strict=True) if a != b]
    eligible = sum(c.lower() in table for c in text)
    assert len(diffs) == round(0.2 * eligible)
    for a, b in diffs:
        assert b.lower() in table[a.lower()] and a.isupper() == b.isupper()


def test_unknown_layout_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"^layout: expected one of 'qwerty-en', 'qwerty-es'"):
        Keyboard(layout="azerty")


def test_letters_whose_lowercase_is_longer_keep_their_places():
    from trainlab.augment.text.draws import TextDraws
    from trainlab.augment.text.keyboard import keyboard_typos

    for seed in range(10):  # "İ".lower() is two code points; the edit must not shift
        out = keyboard_typos("İİİİ ab", 1.0, "qwerty-en", TextDraws(seed))
        assert out[:5] == "İİİİ " and len(out) == 7 and out[5:] != "ab"
