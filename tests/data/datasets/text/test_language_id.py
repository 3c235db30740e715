"""The language-id data set: balanced, seeded, English then Spanish, sizes checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.text.fortunes import fortune_files
from trainlab.data.datasets.text.language_id import load_language_id, sample_entries

DEBIAN = Path("/usr/share/games/fortunes")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "fortunes"
    (root / "es").mkdir(parents=True)
    (root / "wisdom").write_text("\n%\n".join(f"Saying {i}." for i in range(10)))
    (root / "translate-me").write_text("Carpe diem.\n%\nMieux vaut tard que jamais!\n")
    (root / "es" / "vida.fortunes").write_text("\n%\n".join(f"Dicho {i}." for i in range(6)))
    (root / "es" / "varios.fortunes").write_text("OK.\n%\n" + "ñ" * 40 + "\n")
    (root / "wisdom2").write_text("OK.\n")  # in both languages: dropped
    monkeypatch.setenv("TRAINLAB_FORTUNES", str(root))
    return root


def test_balanced_seeded_and_in_file_order(folder):
    b = validate_bundle(load_language_id(per_language=4, max_chars=30))
    assert b.name == "language-id" and b.classes == ["en", "es"] and b.test is None
    assert b.train.y.tolist() == [0] * 4 + [1] * 4
    en, es = b.train.x[:4].tolist(), b.train.x[4:].tolist()
    assert all(t.startswith("Saying") for t in en) and all(t.startswith("Dicho") for t in es)
    assert en == sorted(en, key=lambda t: int(t.split()[1][:-1]))  # file order kept
    assert load_language_id(per_language=4, max_chars=30).train.x.tolist() == b.train.x.tolist()
    assert "dropped 1 entry found in both languages" in b.notes


def test_too_many_per_language_says_how_many_there_are(folder):
    with pytest.raises(ConfigError, match=r"more than the 6 Spanish entries .*at most 6"):
        load_language_id(per_language=7, max_chars=30)
    with pytest.raises(ConfigError, match=r"data\.options\.per_language"):
        load_language_id(per_language=0)


def test_a_missing_language_says_how_to_install(tmp_path, monkeypatch):
    (tmp_path / "wisdom").write_text("Hi.\n")
    monkeypatch.setenv("TRAINLAB_FORTUNES", str(tmp_path))
    with pytest.raises(DataError, match="apt-get install fortunes-es"):
        load_language_id(per_language=1)


def test_sample_entries_is_a_seeded_draw_without_replacement():
    entries = [f"e{i}" for i in range(100)]
    a, b = sample_entries(entries, 30, 13), sample_entries(entries, 30, 14)
    assert len(set(a)) == 30 and a == sorted(a, key=entries.index) and a != b
    assert a == sample_entries(entries, 30, 13)


@pytest.mark.skipif(
    not (fortune_files(DEBIAN) and fortune_files(DEBIAN / "es")),
    reason="Debian's fortunes or fortunes-es is missing (apt-get install fortunes fortunes-es)",
)
def test_the_debian_fortunes(monkeypatch):
    monkeypatch.delenv("TRAINLAB_FORTUNES", raising=False)
    b = validate_bundle(load_language_id())
    assert len(b.train) == 4000 and np.bincount(b.train.y).tolist() == [2000, 2000]
    assert max(map(len, b.train.x)) <= 300 and len(set(b.train.x.tolist())) == 4000
    spanish = np.array(["ñ" in t or "¿" in t or "ó" in t for t in b.train.x])
    assert spanish[b.train.y == 1].mean() > 0.2 > spanish[b.train.y == 0].mean()
