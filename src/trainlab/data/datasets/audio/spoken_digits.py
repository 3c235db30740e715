"""Spoken digits: zero to nine in English and Spanish, synthesized offline with espeak-ng.

Every utterance is one word ("seven", "siete") said by one **voice** — an
espeak-ng language voice with one of its voice variants (``en-us+f3``,
``es-419+m2``) — at one speaking rate and pitch, read from espeak-ng's 16-bit
WAV output, mixed down to mono, resampled from 22,050 Hz to 16 kHz
(polyphase, :func:`scipy.signal.resample_poly`, its overshoot clipped to
[−1, 1]) and centred, cropped or
zero-padded to ``seconds``. Four targets per utterance: the ``digit`` (main),
its ``language``, its ``voice`` and the ``word`` (language × digit: ``en:seven``,
``es:siete``; the classes of few-shot word recognition). The data set's own test split is every
utterance of ``test_voices`` held-out voices per language, so no voice of the
test split is heard in training (the validation part comes from the training
voices).

Generation runs several espeak-ng processes at once (about 18 ms an
utterance); the arrays are cached in ``$XDG_CACHE_HOME/trainlab`` under a
name that holds every option, so later loads are instant.

Example:
    >>> from trainlab.data.datasets.audio.spoken_digits import voice_names
    >>> voice_names("es", 3)
    ['es+m1', 'es-419+m1', 'es+f1']
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import wave
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import numpy as np

from trainlab.core.cache_dir import user_cache_dir
from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import ArrayData, DataBundle, Target
from trainlab.data.datasets._cache import read_npz, write_npz

#: the spoken words, index = digit
WORDS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
}
#: espeak-ng's own language voices (no MBROLA voice: those need packages of their own)
BASE_VOICES = {"en": ("en-us", "en-gb", "en-gb-scotland", "en-029"), "es": ("es", "es-419")}
#: espeak-ng voice variants, taken in this order
VARIANTS = ("m1", "f1", "m2", "f2", "m3", "f3", "m4", "f4", "m5", "f5", "m6", "m7")
#: the rate espeak-ng writes, and the one the data set keeps
ESPEAK_RATE, RATE = 22_050, 16_000
_KEYS = ("x", "digit", "language", "voice", "held_out")

Language = Literal["en", "es"]


def voice_names(language: str, count: int) -> list[str]:
    """The first ``count`` voices of ``language``: each variant with every base voice in turn."""
    bases = BASE_VOICES[language]
    names = [f"{b}+{v}" for v in VARIANTS for b in bases]
    if count > len(names):
        raise ConfigError(
            f"data.options.voices: at most {len(names)} voices per language for {language!r}, "
            f"got {count}"
        )
    return names[:count]


def _speak(voice: str, word: str, rate: int, pitch: int) -> np.ndarray:
    """One utterance as float32 samples at :data:`ESPEAK_RATE`."""
    cmd = ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "--stdout", word]
    out = subprocess.run(cmd, capture_output=True, check=False, timeout=60)
    if out.returncode != 0 or not out.stdout:
        why = out.stderr.decode(errors="replace").strip().splitlines()
        raise DataError(f"espeak-ng could not say {word!r} as {voice!r}: {why[0] if why else ''}")
    with wave.open(io.BytesIO(out.stdout)) as w:
        if w.getsampwidth() != 2:
            raise DataError(f"espeak-ng wrote {8 * w.getsampwidth()}-bit samples, expected 16-bit")
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        samples = frames.reshape(-1, w.getnchannels()).mean(axis=1)
    return (samples / 32768.0).astype(np.float32)


def _fit_length(x: np.ndarray, length: int) -> np.ndarray:
    """``x`` centred in ``length`` samples: cropped around its middle, or zero-padded."""
    if len(x) >= length:
        start = (len(x) - length) // 2
        return x[start : start + length]
    out = np.zeros(length, np.float32)
    start = (length - len(x)) // 2
    out[start : start + len(x)] = x
    return out


def _utterances(languages, voices, test_voices, train: tuple, test: tuple):
    """(language, voice, rate, pitch, digit, word): held-out voices at ``test``'s rates, pitches."""
    for li, lang in enumerate(languages):
        names = voice_names(lang, voices)
        for vi, voice in enumerate(names):
            rates, pitches = test if vi >= len(names) - test_voices else train
            for rate in rates:
                for pitch in pitches:
                    for digit, word in enumerate(WORDS[lang]):
                        yield li, voice, rate, pitch, digit, word


def _add_noise(x: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """``x`` (N, 1, L) plus white Gaussian noise at ``snr_db`` per clip (seeded, clipped to ±1)."""
    rng = np.random.default_rng(seed)
    power = np.mean(x**2, axis=-1, keepdims=True)
    noise = rng.standard_normal(x.shape).astype(np.float32)
    out = x + noise * np.sqrt(power / 10.0 ** (snr_db / 10.0)).astype(np.float32)
    return np.clip(out, -1.0, 1.0).astype(np.float32)


def _generate(
    languages, voices, test_voices, train: tuple, test: tuple, seconds, test_snr_db
) -> dict[str, np.ndarray]:
    from scipy.signal import resample_poly

    if shutil.which("espeak-ng") is None:
        raise DataError(
            "spoken-digits: espeak-ng is not installed (Debian: apt-get install espeak-ng)"
        )
    items = list(_utterances(languages, voices, test_voices, train, test))
    length = round(seconds * RATE)

    def one(item) -> np.ndarray:
        _, voice, rate, pitch, _, word = item
        wav = resample_poly(_speak(voice, word, rate, pitch), 320, 441)  # 22,050 → 16,000 Hz
        return _fit_length(np.clip(wav, -1.0, 1.0).astype(np.float32), length)

    with ThreadPoolExecutor(max_workers=4) as pool:
        x = np.stack(list(pool.map(one, items)))[:, None, :]
    names = [f"{languages[li]}:{v}" for li, v, *_ in items]
    held = {f"{lang}:{v}" for lang in languages for v in voice_names(lang, voices)[-test_voices:]}
    all_voices = sorted(set(names), key=names.index)
    held_out = np.array([n in held for n in names])
    if test_snr_db is not None:
        x[held_out] = _add_noise(x[held_out], test_snr_db, seed=0)
    return {
        "x": x,
        "digit": np.array([it[4] for it in items], np.int64),
        "language": np.array([it[0] for it in items], np.int64),
        "voice": np.array([all_voices.index(n) for n in names], np.int64),
        "held_out": held_out,
        "voices": np.array(all_voices),
    }


def _cache_name(**options) -> str:
    key = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:12]
    return f"spoken-digits-{key}.npz"


#: the options of a test split unlike the training one
_SHIFT = ("test_rates", "test_pitches", "test_snr_db")


def _options(
    languages, voices, rates, pitches, seconds, test_voices, test_rates, test_pitches, test_snr_db
) -> dict:
    """The options checked (``ConfigError`` naming the first bad one), test rates filled in."""
    if not languages or any(lang not in WORDS for lang in languages):
        raise ConfigError(f"data.options.languages: expected en and/or es, got {languages!r}")
    if not 1 <= test_voices < voices:
        raise ConfigError(
            f"data.options.test_voices: expected 1 to voices − 1 ({voices - 1}), got {test_voices}"
        )
    test_rates = list(rates) if test_rates is None else list(test_rates)
    test_pitches = list(pitches) if test_pitches is None else list(test_pitches)
    if not rates or not pitches or not test_rates or not test_pitches or seconds <= 0:
        raise ConfigError("data.options: rates and pitches need a value each, seconds > 0")
    shifted = (test_rates, test_pitches, test_snr_db) != (list(rates), list(pitches), None)
    return {
        "languages": list(languages),
        "voices": voices,
        "rates": list(rates),
        "pitches": list(pitches),
        "seconds": seconds,
        "test_voices": test_voices,
        "test_rates": test_rates,
        "test_pitches": test_pitches,
        "test_snr_db": test_snr_db,
        "shifted": shifted,
    }


def load_spoken_digits(
    *,
    languages: list[Language] = ["en", "es"],  # noqa: B006 - read only, shown by `datasets`
    voices: int = 12,
    rates: list[int] = [140, 180],  # noqa: B006
    pitches: list[int] = [35, 65],  # noqa: B006
    seconds: float = 1.0,
    test_voices: int = 3,
    test_rates: list[int] | None = None,
    test_pitches: list[int] | None = None,
    test_snr_db: float | None = None,
) -> DataBundle:
    """Spoken digits 0–9 in English and Spanish, many voices (espeak-ng, offline, 16 kHz).

    Args:
        languages: ``en``, ``es`` or both.
        voices: voices per language (a base voice with a variant each).
        rates: speaking rates, words per minute.
        pitches: pitches, 0–99.
        seconds: the clip length every utterance is cropped or padded to.
        test_voices: voices per language held out as the test split.
        test_rates: the held-out voices' speaking rates (None: ``rates``): a test of
            robustness to speaking rates never heard in training.
        test_pitches: the held-out voices' pitches (None: ``pitches``).
        test_snr_db: white noise added to the held-out voices' clips at this
            signal-to-noise ratio in dB (None: clean), seeded, the same every load.

    Returns:
        An audio bundle: ``x`` float32 ``(N, 1, seconds·16000)``; targets ``digit``
        (main), ``language``, ``voice`` and ``word``; the held-out voices' utterances as its
        own test split.

    Raises:
        ConfigError: an option out of range.
        DataError: espeak-ng is missing or fails.
    """
    options = _options(
        languages,
        voices,
        rates,
        pitches,
        seconds,
        test_voices,
        test_rates,
        test_pitches,
        test_snr_db,
    )
    test_rates, test_pitches = options["test_rates"], options["test_pitches"]
    key = {k: v for k, v in options.items() if k not in _SHIFT or options["shifted"]}
    key.pop("shifted")  # the cache names of the default data stay as they were
    path = user_cache_dir() / _cache_name(**key)
    arrays = read_npz(path, (*_KEYS, "voices"))
    if arrays is None:
        train, test = (list(rates), list(pitches)), (test_rates, test_pitches)
        arrays = _generate(list(languages), voices, test_voices, train, test, seconds, test_snr_db)
        write_npz(path, arrays)
    notes = [f"test split: {test_voices} held-out voices per language, never heard in training"]
    if options["shifted"]:
        notes.append(
            f"held-out voices at rates {test_rates} and pitches {test_pitches}"
            + (f", in white noise at {test_snr_db:g} dB SNR" if test_snr_db is not None else "")
            + f" (training: rates {list(rates)}, pitches {list(pitches)})"
        )
    return _bundle(arrays, list(languages), notes)


def _bundle(arrays: dict[str, np.ndarray], languages: list[str], notes: list[str]) -> DataBundle:
    held = arrays["held_out"].astype(bool)

    def part(mask: np.ndarray) -> ArrayData:
        language = arrays["language"][mask]
        word = (language * 10 + arrays["digit"][mask]).astype(arrays["digit"].dtype)
        extra = {"language": language, "voice": arrays["voice"][mask], "word": word}
        return ArrayData(arrays["x"][mask], arrays["digit"][mask], extra)

    digits = tuple(str(d) for d in range(10))
    words = tuple(f"{lang}:{w}" for lang in languages for w in WORDS[lang])
    return DataBundle(
        name="spoken-digits",
        modality="audio",
        train=part(~held),
        test=part(held),
        classes=list(digits),
        source=f"espeak-ng, {RATE} Hz",
        notes=notes,
        target=Target("digit", "classification", digits),
        sample_rate=RATE,
        extra_targets=[
            Target("language", "classification", tuple(languages)),
            Target("voice", "classification", tuple(str(v) for v in arrays["voices"])),
            Target("word", "classification", words),
        ],
    )
