"""The audio-folder loader: classes from subfolders, four formats, train/ and test/, bad files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from trainlab.config.recipe import SplitConfig
from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.audio.audio_folder import index_audio_folder, load_audio_folder
from trainlab.data.split import split_bundle

RATE = 8000


@pytest.fixture
def folder(tmp_path: Path, audio) -> Path:
    """no: wav, FLAC (upper case), nested ogg; yes: mp3, stereo wav, 16 kHz wav; noise to ignore."""
    root = tmp_path / "words"
    audio.write(root / "no" / "a.wav", audio.tone(RATE, 0.2), RATE)
    audio.write(root / "no" / "b.FLAC", audio.tone(RATE, 0.05), RATE)
    audio.write(root / "no" / "deep" / "c.ogg", audio.tone(RATE, 0.3), RATE)
    audio.write(root / "yes" / "d.mp3", audio.tone(RATE, 0.25), RATE)
    audio.write(root / "yes" / "e.wav", audio.tone(RATE, 0.2, channels=2), RATE)
    audio.write(root / "yes" / "f.wav", audio.tone(16000, 0.2), 16000)
    # ignored: hidden files and folders, other suffixes, loose files at the top
    audio.write(root / "yes" / ".hidden.wav", audio.tone(RATE, 0.1), RATE)
    audio.write(root / ".cache" / "x.wav", audio.tone(RATE, 0.1), RATE)
    (root / "yes" / "notes.txt").write_text("not audio")
    audio.write(root / "loose.wav", audio.tone(RATE, 0.1), RATE)
    return root


def test_classes_files_and_shapes(folder):
    b = validate_bundle(load_audio_folder(path=folder, sample_rate=RATE, seconds=0.1))
    assert b.name == "audio-folder" and b.modality == "audio" and b.sample_rate == RATE
    assert b.classes == ["no", "yes"] and b.train.y.tolist() == [0, 0, 0, 1, 1, 1]
    assert b.train.x.shape == (6, 1, 800) and b.train.x.dtype == np.float32
    assert b.test is None and b.source == str(folder)
    peak = np.abs(b.train.x).max(axis=2)[:, 0]
    assert (peak > 0.2).all() and (peak <= 1.0).all()  # every format decoded to the tone
    assert "resampled 1 file to 8000 Hz" in b.notes
    assert "mixed 1 multi-channel file down to mono" in b.notes


def test_the_mp3_and_ogg_decode_close_to_the_tone(folder):
    b = load_audio_folder(path=folder, sample_rate=RATE, seconds=0.1, crop="start")
    wav, ogg, mp3 = b.train.x[0, 0], b.train.x[2, 0], b.train.x[3, 0]
    for lossy in (ogg, mp3):  # lossy codecs: the same tone, not the same samples
        spectrum = np.abs(np.fft.rfft(lossy))
        assert np.argmax(spectrum) == np.argmax(np.abs(np.fft.rfft(wav)))


def test_seconds_none_pads_to_the_longest_file(folder):
    b = load_audio_folder(path=folder, sample_rate=RATE, seconds=None, crop="start")
    assert b.train.x.shape == (6, 1, round(0.3 * RATE))  # the nested ogg is the longest
    short = b.train.x[1, 0]  # b.FLAC: 0.05 s, zero-padded at the end
    assert np.abs(short[400:]).max() == 0 and np.abs(short[:400]).max() > 0.2


def test_centre_pads_on_both_sides(tmp_path, audio):
    audio.write(tmp_path / "r" / "a" / "x.wav", np.full(200, 0.5, np.float32), RATE, "FLOAT")
    b = load_audio_folder(path=tmp_path / "r", sample_rate=RATE, seconds=0.1)
    x = b.train.x[0, 0]
    assert x[:300].max() == 0 and x[300:500].min() == 0.5 and x[500:].max() == 0


def test_train_and_test_folders_give_the_test_split(tmp_path, audio):
    root = tmp_path / "split"
    for split, cls, n in [("train", "a", 3), ("train", "b", 2), ("test", "b", 2)]:
        for i in range(n):
            audio.write(root / split / cls / f"{i}.wav", audio.tone(RATE, 0.1), RATE)
    b = load_audio_folder(path=root, sample_rate=RATE, seconds=0.1)
    assert b.classes == ["a", "b"] and b.train.y.tolist() == [0, 0, 0, 1, 1]
    assert b.test is not None and b.test.y.tolist() == [1, 1]
    s = split_bundle(b, SplitConfig(val=0.4, test=0.3), seed=0)
    assert len(s.test) == 2 and len(s.train) + len(s.val) == 5  # its own test split is kept
    ix = index_audio_folder(path=root)
    assert ix.bundle().test.x.tolist()[0].endswith("0.wav") and len(ix) == 7


def test_a_test_class_train_lacks_is_named(tmp_path, audio):
    audio.write(tmp_path / "r" / "train" / "a" / "x.wav", audio.tone(RATE, 0.1), RATE)
    audio.write(tmp_path / "r" / "test" / "z" / "x.wav", audio.tone(RATE, 0.1), RATE)
    with pytest.raises(DataError, match=r"test/z: class 'z' of the test split .* one of: a"):
        load_audio_folder(path=tmp_path / "r")


def test_train_test_beside_class_folders_is_refused(tmp_path, audio):
    for sub in ("train/a", "test/a", "extra"):
        audio.write(tmp_path / "r" / sub / "x.wav", audio.tone(RATE, 0.1), RATE)
    with pytest.raises(DataError, match=r"beside other folders \(extra\)"):
        load_audio_folder(path=tmp_path / "r")


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda r: None, "no such folder"),
        (lambda r: r.mkdir(), "no class subfolders"),
        (lambda r: (r / "a").mkdir(parents=True), "no audio files in the class subfolders"),
        (lambda r: (r / "test" / "a").mkdir(parents=True), "holds test/ but no train/"),
    ],
)
def test_folders_without_audio_are_one_line_errors(tmp_path, make, match):
    root = tmp_path / "r"
    make(root)
    with warnings.catch_warnings(), pytest.raises(DataError, match=match) as info:
        warnings.simplefilter("ignore")
        load_audio_folder(path=root)
    assert "\n" not in str(info.value) and str(root) in str(info.value)


def _bad(path: Path, kind: str, audio) -> Path:
    """One unusable file of ``kind`` at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "not audio":
        path.write_text("hello, this is text")
    elif kind == "corrupt header":
        audio.corrupt_header(path)
    elif kind == "no samples":
        audio.write(path, np.zeros((0, 1), np.float32), RATE)
    elif kind == "nan":
        audio.write(path, np.array([0.1, np.nan, 0.2], np.float32), RATE, "FLOAT")
    elif kind == "clipping":
        audio.write(path, np.array([0.1, 1.5, 0.2], np.float32), RATE, "FLOAT")
    return path


BAD = {
    "empty": "is empty",
    "not audio": "not readable as WAV, FLAC, OGG or MP3",
    "corrupt header": "corrupt header or not audio",
    "no samples": "holds no samples",
    "nan": "holds NaN or infinite samples",
    "clipping": "beyond full scale",
}


@pytest.mark.parametrize("kind", list(BAD))
def test_every_unusable_file_fails_naming_it(tmp_path, audio, kind):
    root = tmp_path / "r"
    audio.write(root / "a" / "good.wav", audio.tone(RATE, 0.1), RATE)
    _bad(root / "a" / "bad.wav", kind, audio)
    with pytest.raises(DataError, match=BAD[kind]) as info:
        load_audio_folder(path=root, sample_rate=RATE)
    message = str(info.value)
    assert "\n" not in message and str(root / "a" / "bad.wav") in message


@pytest.mark.parametrize("kind", list(BAD))
def test_skip_warns_naming_the_file_and_the_reason(tmp_path, audio, kind):
    root = tmp_path / "r"
    audio.write(root / "a" / "good.wav", audio.tone(RATE, 0.1), RATE)
    _bad(root / "a" / "bad.wav", kind, audio)
    with pytest.warns(UserWarning, match=BAD[kind]) as record:
        b = load_audio_folder(path=root, sample_rate=RATE, on_error="skip")
    assert any(str(root / "a" / "bad.wav") in str(w.message) for w in record)
    assert len(b.train) == 1 and "skipped 1 unreadable audio file" in b.notes


def test_a_class_left_without_readable_files_is_dropped(tmp_path, audio):
    root = tmp_path / "r"
    audio.write(root / "a" / "good.wav", audio.tone(RATE, 0.1), RATE)
    _bad(root / "b" / "x.wav", "not audio", audio)
    _bad(root / "b" / "y.wav", "empty", audio)
    with pytest.warns(UserWarning) as record:
        b = load_audio_folder(path=root, sample_rate=RATE, on_error="skip")
    assert "class 'b' has no readable audio file" in str(record[-1].message)
    assert b.classes == ["a"] and "skipped 2 unreadable audio files" in b.notes


def test_every_file_unreadable_is_an_error_even_when_skipping(tmp_path, audio):
    _bad(tmp_path / "r" / "a" / "x.wav", "not audio", audio)
    with warnings.catch_warnings(), pytest.raises(DataError, match="no readable audio files"):
        warnings.simplefilter("ignore")
        load_audio_folder(path=tmp_path / "r", on_error="skip")


def test_channels_kept_must_agree(tmp_path, audio):
    root = tmp_path / "r"
    audio.write(root / "a" / "1.wav", audio.tone(RATE, 0.1, channels=2), RATE)
    audio.write(root / "a" / "2.wav", audio.tone(RATE, 0.1, channels=2), RATE)
    b = load_audio_folder(path=root, sample_rate=RATE, seconds=0.1, mono=False)
    assert b.train.x.shape == (2, 2, 800)
    np.testing.assert_allclose(b.train.x[:, 1], b.train.x[:, 0] / 2, atol=1e-4)
    audio.write(root / "b" / "3.wav", audio.tone(RATE, 0.1, channels=1), RATE)
    with pytest.raises(DataError, match=r"3\.wav: 1 channel; expected 2 as in .*1\.wav"):
        load_audio_folder(path=root, sample_rate=RATE, mono=False)


def test_another_rate_can_be_refused_or_skipped(folder):
    with pytest.raises(DataError, match=r"f\.wav: sample rate 16000 Hz; expected 8000 Hz"):
        load_audio_folder(path=folder, sample_rate=RATE, resample=False)
    with pytest.warns(UserWarning, match="sample rate 16000 Hz"):
        b = load_audio_folder(path=folder, sample_rate=RATE, resample=False, on_error="skip")
    assert len(b.train) == 5


def test_bad_options_are_config_errors(folder):
    with pytest.raises(ConfigError, match=r"data\.options\.on_error: expected 'fail' or 'skip'"):
        load_audio_folder(path=folder, on_error="ignore")
    with pytest.raises(ConfigError, match=r"data\.options\.crop"):
        load_audio_folder(path=folder, crop="end")
