"""The fortunes topic data set: entries, cleaning, drops, the folder search, the real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.text import fortunes
from trainlab.data.datasets.text.fortunes import (
    clean_fortune,
    fortune_files,
    load_fortunes,
    split_fortunes,
)

DEBIAN = Path("/usr/share/games/fortunes")
needs_en = pytest.mark.skipif(
    not fortune_files(DEBIAN),
    reason="Debian's fortunes is not installed (apt-get install fortunes)",
)
needs_es = pytest.mark.skipif(
    not fortune_files(DEBIAN / "es"),
    reason="Debian's fortunes-es is not installed (apt-get install fortunes-es)",
)


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """Three English categories and two Spanish ones, with the noise the real files have."""
    root = tmp_path / "fortunes"
    (root / "es" / "off").mkdir(parents=True)
    (root / "off").mkdir()
    (root / "cats").write_text("Meow.\n%\nPurr\n  purr.\n%\n%\n  \n%\nMeow.\n%\nShared.\n%\n")
    (root / "dogs").write_text("Woof.\n%\nBark!\n%\nShared.\n%\n" + "x" * 50 + "\n")
    (root / "fish").write_text("Blub.\n")
    (root / "cats.dat").write_bytes(b"\x00\x02\xff")  # strfile's index: not data
    (root / "cats.u8").symlink_to(root / "cats")  # a link to a file: not data
    (root / "off" / "rude").write_text("Offensive.\n%\n")
    (root / "es" / "vida.fortunes").write_text("La vida es sueño.\n%\nAño tras año.\n%\n")
    (root / "es" / "varios.fortunes").write_text("Uno.\n%\nDos.\n")
    (root / "es" / "varios.fortunes-pre").write_text("Tres.\n")
    (root / "es" / "off" / "machos.fortunes").write_text("Ofensivo.\n")
    monkeypatch.setenv("TRAINLAB_FORTUNES", str(root))
    return root


def test_entries_split_on_percent_lines():
    assert split_fortunes("a\n%\nb\n% \nc\n%%\nd") == ["a", "b", "c\n%%\nd"]
    assert split_fortunes("\n%\n\n%\n") == []


def test_backspaces_are_applied_and_controls_dropped():
    assert clean_fortune("_\bI *____\b\b\b\bonly*") == "I *only*"
    assert clean_fortune("tolls\x07.\x1b\tok\n\bx") == "tolls.\tok\nx"  # a line start is kept


def test_categories_are_the_files_not_the_indexes_links_or_off(folder):
    assert list(fortune_files(folder)) == ["cats", "dogs", "fish"]
    assert list(fortune_files(folder / "es")) == ["varios", "varios-pre", "vida"]


def test_load_drops_and_says_so(folder):
    b = validate_bundle(load_fortunes(min_class_size=2, max_chars=20))
    assert b.name == "fortunes" and b.modality == "text" and b.test is None
    assert b.classes == ["cats", "dogs"] and b.source == str(folder)
    assert b.train.x.tolist() == ["Meow.", "Purr\n  purr.", "Woof.", "Bark!"]
    assert b.train.y.tolist() == [0, 0, 1, 1]
    assert b.notes == [
        "dropped 1 entry longer than 20 characters",
        "dropped 1 repeated entry within a category",
        "dropped 1 entry found in several categories (2 copies)",
        "dropped 1 class with fewer than 2 entries: fish (1)",
    ]


def test_spanish_and_chosen_categories(folder):
    b = load_fortunes(language="es", min_class_size=1, categories=["vida"])
    assert b.classes == ["vida"] and b.train.x.tolist() == ["La vida es sueño.", "Año tras año."]
    assert b.source == str(folder / "es")


def test_bad_options(folder):
    with pytest.raises(ConfigError, match=r"data\.options\.language: expected 'en' or 'es'"):
        load_fortunes(language="fr")
    with pytest.raises(
        ConfigError, match=r"no category 'birds'.*expected some of: cats, dogs, fish"
    ):
        load_fortunes(categories=["birds"])
    with pytest.raises(ConfigError, match=r"data\.options\.min_class_size"):
        load_fortunes(min_class_size=0)
    with pytest.raises(ConfigError, match=r"data\.options\.max_chars"):
        load_fortunes(max_chars=0)
    with pytest.raises(DataError, match=r"no category of .* has 100 entries .*min_class_size"):
        load_fortunes()


def test_missing_files_say_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINLAB_FORTUNES", str(tmp_path))
    with pytest.raises(DataError, match=r"no Spanish fortune files .*apt-get install fortunes-es"):
        load_fortunes(language="es")
    monkeypatch.delenv("TRAINLAB_FORTUNES")
    monkeypatch.setattr(fortunes, "FORTUNE_DIRS", (str(tmp_path / "none"),))
    with pytest.raises(DataError, match=r"no English fortune files .*apt-get install fortunes "):
        load_fortunes()


def test_a_file_not_utf8_is_named(folder):
    (folder / "dogs").write_bytes(b"Guau.\n%\n" + "Ñu.".encode("latin-1"))
    with pytest.raises(DataError, match=r"dogs: not UTF-8 text \(.* at byte 8, line 3\)"):
        load_fortunes(min_class_size=1)


@needs_en
def test_the_debian_english_fortunes(monkeypatch):
    monkeypatch.delenv("TRAINLAB_FORTUNES", raising=False)
    b = validate_bundle(load_fortunes())
    assert 25 <= b.num_classes <= 43 and 10_000 <= len(b.train) <= 16_000
    assert b.classes == sorted(b.classes) and {"computers", "science"} <= set(b.classes)
    assert np.bincount(b.train.y).min() >= 100
    assert max(map(len, b.train.x)) <= 1000 and all(t == t.strip() and t for t in b.train.x)
    assert not any("\b" in t or "\x07" in t or t == "%" for t in b.train.x)
    assert len(set(b.train.x.tolist())) == len(b.train)  # no duplicates: no leak across splits
    assert load_fortunes().train.x.tolist() == b.train.x.tolist()  # deterministic


@needs_es
def test_the_debian_spanish_fortunes(monkeypatch):
    monkeypatch.delenv("TRAINLAB_FORTUNES", raising=False)
    b = validate_bundle(load_fortunes(language="es"))
    assert 12 <= b.num_classes <= 24 and {"refranes", "amistad"} <= set(b.classes)
    assert "machosno" not in b.classes  # the off/ collections are not read
    assert any("ñ" in t for t in b.train.x) and any("á" in t for t in b.train.x)
