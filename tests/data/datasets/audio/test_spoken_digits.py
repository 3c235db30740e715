"""Spoken digits synthesized with espeak-ng: shapes, targets, held-out voices, the cache."""

import shutil

import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.audio.spoken_digits import WORDS

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="needs espeak-ng (Debian: apt-get install espeak-ng)"
)
TINY = {"voices": 3, "test_voices": 1, "rates": [160], "pitches": [50]}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "trainlab"


def test_utterances_targets_and_held_out_voices(cache):
    b = load_dataset("spoken-digits", TINY)
    assert b.modality == "audio" and b.train.x.shape == (40, 1, 16000)
    assert b.test.x.shape == (20, 1, 16000) and b.train.x.dtype == np.float32
    assert [t.name for t in b.targets] == ["digit", "language", "voice", "word"]
    word = b.targets[3].classes
    assert len(word) == 20 and word[7] == "en:seven" and word[17] == "es:siete"
    languages = next(t.classes for t in b.targets if t.name == "language")
    for i in (0, len(b.train.y) - 1):
        lang = languages[b.train.extra["language"][i]]
        assert word[b.train.extra["word"][i]] == f"{lang}:{WORDS[lang][b.train.y[i]]}"
    assert sorted(set(b.train.y.tolist())) == list(range(10))
    train_voices, test_voices = set(b.train.extra["voice"]), set(b.test.extra["voice"])
    assert not train_voices & test_voices  # no test voice is heard in training
    assert set(b.test.extra["language"]) == {0, 1}  # one held-out voice per language
    peak = np.abs(b.train.x).max(axis=2)
    assert (peak > 0.05).all() and (peak <= 1.0).all()  # every clip holds speech


def test_the_cache_gives_the_same_arrays(cache):
    a = load_dataset("spoken-digits", TINY)
    assert len(list(cache.glob("spoken-digits-*.npz"))) == 1
    b = load_dataset("spoken-digits", TINY)
    assert np.array_equal(a.train.x, b.train.x) and np.array_equal(a.test.y, b.test.y)


def test_a_different_voice_sounds_different(cache):
    b = load_dataset("spoken-digits", TINY)
    v = b.train.extra["voice"]
    seven = b.train.x[(b.train.y == 7) & (b.train.extra["language"] == 0)]
    assert len(seven) == 2 and not np.allclose(seven[0], seven[1])
    assert len(set(v.tolist())) == 4


@pytest.mark.parametrize(
    "options, match",
    [
        ({"languages": ["fr"]}, "'en' or 'es'"),
        ({"voices": 2, "test_voices": 2}, "test_voices"),
        ({"voices": 99}, "at most"),
    ],
)
def test_bad_options_are_one_line(cache, options, match):
    with pytest.raises(ConfigError, match=match):
        load_dataset("spoken-digits", {**TINY, **options})


def test_held_out_voices_at_other_rates_and_in_noise(cache):
    clean = load_dataset("spoken-digits", TINY)
    shifted = load_dataset("spoken-digits", {**TINY, "test_rates": [260], "test_snr_db": 10})
    assert np.array_equal(shifted.train.x, clean.train.x)  # training clips unchanged
    # faster speech: more near-silent samples around each (shorter) word, before the noise
    fast = load_dataset("spoken-digits", {**TINY, "test_rates": [260]})
    loud = lambda x: (np.abs(x) > 0.01).mean()  # noqa: E731
    assert loud(fast.test.x) < loud(clean.test.x)
    # the noise: each test clip's SNR is 10 dB against the clean fast clip
    noise = shifted.test.x - fast.test.x
    snr = 10 * np.log10((fast.test.x**2).mean(-1) / (noise**2).mean(-1))
    assert np.allclose(snr, 10.0, atol=0.5)
    assert any("rates [260]" in n and "10 dB" in n for n in shifted.notes)
