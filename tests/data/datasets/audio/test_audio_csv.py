"""The audio-csv loader: a manifest of (path, label), its split column, and every bad manifest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.audio.audio_csv import load_audio_csv

RATE = 8000


@pytest.fixture
def clips(tmp_path: Path, audio) -> Path:
    """A folder with clips/ of four formats and one 22,050 Hz stereo clip; manifests go in it."""
    for name in ("a.wav", "b.flac", "c.ogg", "d.mp3"):
        audio.write(tmp_path / "clips" / name, audio.tone(RATE, 0.1), RATE)
    audio.write(tmp_path / "clips" / "e.wav", audio.tone(22050, 0.1, channels=2), 22050)
    return tmp_path


def manifest(folder: Path, text: str, name: str = "list.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_relative_to_the_manifest_and_sorted_classes(clips):
    absolute = clips / "clips" / "d.mp3"
    text = f"path,label\nclips/a.wav,up\nclips/b.flac,down\nclips/c.ogg,up\n{absolute},left\n"
    b = validate_bundle(load_audio_csv(path=manifest(clips, text), sample_rate=RATE, seconds=0.1))
    assert b.name == "audio-csv" and b.modality == "audio" and b.sample_rate == RATE
    assert b.classes == ["down", "left", "up"] and b.train.y.tolist() == [2, 0, 2, 1]
    assert b.train.x.shape == (4, 1, 800) and b.test is None
    assert (np.abs(b.train.x).max(axis=2) > 0.2).all()


def test_other_columns_a_bom_and_a_split_column(clips):
    text = (
        "\ufefffile,ignored,word,part\n"
        "clips/a.wav,x,yes,train\nclips/b.flac,x,no,TRAIN\nclips/e.wav,x,no,test\n"
    )
    b = load_audio_csv(
        path=manifest(clips, text),
        path_column="file",
        label_column="word",
        split_column="part",
        sample_rate=RATE,
        seconds=0.1,
    )
    assert b.classes == ["no", "yes"] and b.train.y.tolist() == [1, 0]
    assert b.test is not None and b.test.y.tolist() == [0] and b.test.x.shape == (1, 1, 800)
    assert "resampled 1 file to 8000 Hz" in b.notes
    assert "mixed 1 multi-channel file down to mono" in b.notes


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "empty manifest; expected a header row with the columns 'path', 'label'"),
        ("path,label\n", "lists no audio files"),
        ("file,label\nclips/a.wav,up\n", "no column 'path'; the header has 'file', 'label'"),
        ("path,kind\nclips/a.wav,up\n", "no column 'label'; the header has 'path', 'kind'"),
        (
            "path,label\nclips/a.wav,up\nclips/zz.wav,up\n",
            r"line 3: audio file .*zz\.wav not found",
        ),
        ("path,label\nclips/a.wav,\n", "line 2: empty 'label' cell"),
        ("path,label\n,up\n", "line 2: empty 'path' cell"),
    ],
)
def test_bad_manifests_are_one_line_errors_naming_the_file(clips, text, match):
    path = manifest(clips, text)
    with pytest.raises(DataError, match=match) as info:
        load_audio_csv(path=path, sample_rate=RATE)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_a_bad_split_value_names_its_line(clips):
    path = manifest(clips, "path,label,split\nclips/a.wav,up,train\nclips/b.flac,up,val\n")
    with pytest.raises(DataError, match=r"line 3: 'split' is 'val'; expected 'train' or 'test'"):
        load_audio_csv(path=path, split_column="split", sample_rate=RATE)
    only_test = manifest(clips, "path,label,split\nclips/a.wav,up,test\n", "t.csv")
    with pytest.raises(DataError, match="no audio files in the train split"):
        load_audio_csv(path=only_test, split_column="split", sample_rate=RATE)


def test_no_manifest_is_named(tmp_path):
    with pytest.raises(DataError, match=r"nothing\.csv: no such file"):
        load_audio_csv(path=tmp_path / "nothing.csv")


def test_skip_leaves_out_missing_and_unusable_files(clips, audio):
    (clips / "clips" / "bad.wav").write_text("not audio")
    text = "path,label\nclips/a.wav,up\nclips/gone.wav,up\nclips/bad.wav,down\nclips/c.ogg,down\n"
    path = manifest(clips, text)
    with pytest.raises(DataError, match=r"line 3: audio file .*gone\.wav not found"):
        load_audio_csv(path=path, sample_rate=RATE)
    bad_only = manifest(clips, "path,label\nclips/a.wav,up\nclips/bad.wav,up\n", "bad.csv")
    with pytest.raises(DataError, match=r"line 3: audio file .*bad\.wav: not readable"):
        load_audio_csv(path=bad_only, sample_rate=RATE)
    with pytest.warns(UserWarning) as record:
        b = load_audio_csv(path=path, sample_rate=RATE, on_error="skip")
    messages = [str(w.message) for w in record]
    assert any("line 3: audio file" in m and "gone.wav not found" in m for m in messages)
    assert any("line 4: audio file" in m and "bad.wav: not readable" in m for m in messages)
    assert len(b.train) == 2 and b.classes == ["down", "up"]
    assert "skipped 1 unreadable audio file" in b.notes
    assert "skipped 1 row naming a missing file" in b.notes
