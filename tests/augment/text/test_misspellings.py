"""Misspellings: the built-in lists are real pairs, user lists are read strictly, case is kept."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.augment.text.misspellings import Misspell, builtin_list, read_misspellings
from trainlab.core.errors import DataError


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_built_in_lists_hold_about_a_hundred_distinct_pairs(language):
    table = read_misspellings(builtin_list(language))
    assert len(table) >= 100
    assert all(w not in wrong for w, wrong in table.items())


def test_known_pairs():
    assert "recieve" in read_misspellings(builtin_list("en"))["receive"]
    assert "tambien" in read_misspellings(builtin_list("es"))["también"]


def test_every_listed_word_is_replaced_at_rate_one_and_case_is_kept():
    out = Misspell(rate=1.0)(["BELIEVE it: Separate, until the end."], np.random.default_rng(0))
    assert out == ["BELEIVE it: Seperate, untill teh end."]


def test_the_rate_is_a_fraction_of_the_listed_words():
    text = " ".join(["receive"] * 100 + ["cat"] * 100)
    out = Misspell(rate=0.25)([text], np.random.default_rng(0))[0].split()
    assert out.count("recieve") == 25 and out.count("cat") == 100


def test_a_user_list_replaces_the_built_in_one(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("# mine\ncolour\tcolor\ncolour\tcoulour\n\n", encoding="utf-8")
    aug = Misspell(path=path, rate=1.0)
    assert read_misspellings(path) == {"colour": ("color", "coulour")}
    outs = {aug(["colour receive"], np.random.default_rng(s))[0] for s in range(20)}
    assert outs == {"color receive", "coulour receive"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colour color\n", r"mine.tsv:1: expected correct<TAB>misspelled, got 'colour color'"),
        ("a\tb\tc\n", r"mine.tsv:1: expected correct<TAB>misspelled"),
        ("# only a comment\n", r"mine.tsv: no correct<TAB>misspelled lines"),
    ],
)
def test_a_malformed_list_is_one_line_naming_file_and_line(tmp_path, content, message):
    path = tmp_path / "mine.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        Misspell(path=path)


def test_a_missing_or_non_utf8_list(tmp_path):
    with pytest.raises(DataError, match="no such misspelling list"):
        Misspell(path=tmp_path / "none.tsv")
    bad = tmp_path / "latin1.tsv"
    bad.write_bytes("año\tano\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin1.tsv: not UTF-8 \(byte 1\)"):
        Misspell(path=bad)
