"""Back-translation: a fake engine, the cache, the Apertium batching (one real call)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import numpy as np
import pytest

from trainlab.augment.text.translation import (
    ApertiumTranslator,
    BackTranslate,
    CachedTranslator,
    TranslationCache,
    Translator,
)
from trainlab.core.errors import ConfigError, DataError


def test_a_round_trip_goes_through_the_pivot_in_one_batch_each_way(fake_translator, tmp_path):
    aug = BackTranslate(translator=fake_translator, cache=False)
    texts = ["a cat", "a dog", "a bird"]
    params = {"apply": np.array([True, False, True]), "seed": np.zeros(3, dtype=np.uint64)}
    assert aug.apply(texts, params) == ["a cat ~", "a dog", "a bird ~"]
    assert fake_translator.calls == [
        (["a cat", "a bird"], "en", "es"),
        (["a cat <es>", "a bird <es>"], "es", "en"),
    ]


def test_spanish_goes_through_english(fake_translator):
    BackTranslate(language="es", translator=fake_translator, cache=False)(["hola"])
    assert [c[1:] for c in fake_translator.calls] == [("es", "en"), ("en", "es")]


def test_the_seed_is_unused(fake_translator):
    aug = BackTranslate(translator=fake_translator, cache=False)
    outs = {aug(["same text"], np.random.default_rng(s))[0] for s in range(5)}
    assert outs == {"same text ~"}


def test_the_cache_answers_the_second_call(fake_translator, tmp_path):
    path = tmp_path / "t.sqlite"
    aug = BackTranslate(translator=fake_translator, cache_path=path)
    first = aug(["a cat", "a dog", "a cat"], np.random.default_rng(0))
    assert len(fake_translator.calls) == 2
    assert fake_translator.calls[0][0] == ["a cat", "a dog"]  # each text asked once
    again = BackTranslate(translator=fake_translator, cache_path=path)  # a new process's view
    assert again(["a dog", "a cat"], np.random.default_rng(1)) == first[1::-1]
    assert len(fake_translator.calls) == 2
    rows = sqlite3.connect(path).execute("SELECT engine, source, target FROM translations")
    assert set(rows.fetchall()) == {("fake", "en", "es"), ("fake", "es", "en")}


def test_the_cache_keys_by_engine_and_direction(tmp_path):
    cache = TranslationCache(tmp_path / "t.sqlite")
    cache.put("a", "en", "es", {"x": "1"})
    cache.put("b", "en", "es", {"x": "2"})
    cache.put("a", "es", "en", {"x": "3"})
    keys = [("a", "en", "es"), ("b", "en", "es"), ("a", "es", "en")]
    assert [cache.get(*k, ["x"]) for k in keys] == [{"x": "1"}, {"x": "2"}, {"x": "3"}]
    assert cache.get("c", "en", "es", ["x"]) == {}


def test_an_unwritable_cache_is_skipped(fake_translator, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    engine = CachedTranslator(fake_translator, TranslationCache(blocker / "t.sqlite"))
    assert engine.translate(["a"], "en", "es") == ["a <es>"]


def test_an_engine_that_loses_texts_is_an_error(tmp_path):
    class Lossy:
        def translate(self, texts, source, target):
            return texts[:-1]

    engine = CachedTranslator(Lossy(), TranslationCache(tmp_path / "t.sqlite"))
    with pytest.raises(DataError, match="2 texts in, 1 translations out"):
        engine.translate(["a", "b"], "en", "es")


def test_the_protocol_and_bad_engines(fake_translator):
    assert isinstance(fake_translator, Translator) and isinstance(ApertiumTranslator(), Translator)
    with pytest.raises(ValueError, match=r"^translator: expected an object with translate"):
        BackTranslate(translator=object())
    with pytest.raises(ValueError, match=r"^language: "):
        BackTranslate(language="fr", translator=fake_translator)
    with pytest.raises(ConfigError, match="no pair en → fr"):
        ApertiumTranslator().translate(["x"], "en", "fr")


def test_a_missing_apertium_says_how_to_install(monkeypatch):
    engine = ApertiumTranslator(command="no-such-apertium-binary")
    install = r"; install it with `apt-get install apertium-eng-spa`"
    with pytest.raises(DataError, match="not found" + install):
        engine.translate(["Hello"], "en", "es")
    with pytest.raises(DataError, match="not found" + install):
        engine.check("en", "es")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(DataError, match="'apertium' not found" + install):
        BackTranslate()  # before any text is translated


def test_a_missing_language_pair_is_named(tmp_path):
    fake = tmp_path / "apertium"
    fake.write_text("#!/bin/sh\necho '  eng-cat'\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(DataError, match="no eng-spa pair installed; install it with"):
        ApertiumTranslator(command=str(fake)).check("en", "es")


def test_batching_aligns_paragraphs_with_texts(monkeypatch):
    """Texts go one a paragraph; multi-line and empty texts keep their places."""
    seen = {}

    def fake_run(cmd, *, input, **kwargs):
        seen["cmd"], seen["input"] = cmd, input
        out = "\n\n".join(f" <{p}>" for p in input.rstrip("\n").split("\n\n")) + "\n"
        return subprocess.CompletedProcess(cmd, 0, stdout=out, stderr="")

    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "run", fake_run)
    engine = ApertiumTranslator(batch_size=2)
    out = engine.translate(["one\ntwo", "", "three", "four"], "es", "en")
    assert out == ["<one two>", "", "<three>", "<four>"]
    assert seen["cmd"][1:] == ["-u", "spa-eng"] and seen["input"] == "four\n"


HAS_APERTIUM = shutil.which("apertium") is not None


@pytest.mark.skipif(
    not HAS_APERTIUM, reason="apertium is not installed (apt-get install apertium-eng-spa)"
)
def test_one_real_apertium_batch_matches_single_calls():
    engine = ApertiumTranslator()
    texts = ["The dog eats the apple.", "I have a red car", "Where is the house?"]
    batch = engine.translate(texts, "en", "es")
    assert batch == [engine.translate([t], "en", "es")[0] for t in texts]
    assert batch[0] == "El perro come la manzana."
    back = BackTranslate(cache=False)(["The dog eats the apple."], np.random.default_rng(0))
    assert back == ["The dog eats the apple."]
