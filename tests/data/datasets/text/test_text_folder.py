"""The text-folder loader: classes from subfolders, train/ and test/, UTF-8, empty files."""

from __future__ import annotations

import codecs
import warnings
from pathlib import Path

import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.text.text_folder import list_texts, load_text_folder


def put(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "mail"
    put(root / "spam" / "1.txt", "  ¡Gana dinero ya!\n")
    put(root / "spam" / "deep" / "2.TXT", codecs.BOM_UTF8 + "Win £1000\r\nnow".encode())
    put(root / "ham" / "a.txt", "Lunch at noon?")
    # ignored: hidden files and folders, other suffixes, loose files at the top
    put(root / "ham" / ".draft.txt", "hidden")
    put(root / "ham" / "notes.md", "not a text file")
    put(root / ".cache" / "x.txt", "hidden folder")
    put(root / "loose.txt", "not in a class")
    return root


def test_classes_files_and_texts(folder):
    b = validate_bundle(load_text_folder(path=folder))
    assert b.name == "text-folder" and b.modality == "text" and b.source == str(folder)
    assert b.classes == ["ham", "spam"] and b.train.y.tolist() == [0, 1, 1]
    assert b.train.x.tolist() == ["Lunch at noon?", "¡Gana dinero ya!", "Win £1000\r\nnow"]
    assert b.test is None and b.notes == []


def test_train_and_test_layout(tmp_path):
    put(tmp_path / "train" / "a" / "1.txt", "uno")
    put(tmp_path / "train" / "b" / "1.txt", "dos")
    put(tmp_path / "test" / "b" / "1.txt", "tres")
    b = validate_bundle(load_text_folder(path=tmp_path))
    assert b.classes == ["a", "b"] and b.train.x.tolist() == ["uno", "dos"]
    assert b.test is not None and b.test.x.tolist() == ["tres"] and b.test.y.tolist() == [1]


def test_a_test_class_unknown_to_train(tmp_path):
    put(tmp_path / "train" / "a" / "1.txt", "uno")
    put(tmp_path / "test" / "c" / "1.txt", "tres")
    with pytest.raises(DataError, match=r"1\.txt: class 'c' of the test split is not a class"):
        load_text_folder(path=tmp_path)


def test_not_utf8_fails_naming_the_file_and_byte(folder):
    bad = put(folder / "ham" / "b.txt", b"Caf" + "é".encode("cp1252"))
    with pytest.raises(DataError, match=rf"^{bad}: not UTF-8 text \(.* at byte 3, line 1\)"):
        load_text_folder(path=folder)


def test_unusable_files_are_skipped_with_a_warning(folder):
    put(folder / "ham" / "b.txt", b"\xff\xfeh\x00i\x00")  # UTF-16
    put(folder / "ham" / "c.txt", " \n\t ")
    put(folder / "eggs" / "only.txt", "")
    with pytest.warns(UserWarning) as caught:
        b = load_text_folder(path=folder, on_error="skip")
    messages = [str(w.message) for w in caught]
    assert any("b.txt: not UTF-8 text" in m for m in messages)
    assert any("c.txt: empty text" in m for m in messages)
    assert any("class 'eggs' has no usable text file" in m for m in messages)
    assert b.classes == ["ham", "spam"] and len(b.train) == 3
    assert "skipped 3 unusable text files" in b.notes
    assert "class 'eggs' dropped: no usable text file" in b.notes


def test_an_empty_file_fails_by_default(folder):
    put(folder / "ham" / "c.txt", "\n\n")
    with pytest.raises(DataError, match=r"c\.txt: empty text"):
        load_text_folder(path=folder)


def test_a_class_folder_without_text_files_is_not_a_class(folder):
    put(folder / "eggs" / "readme.md", "nothing")
    with pytest.warns(UserWarning, match="holds no .txt file; it is not a class"):
        b = load_text_folder(path=folder)
    assert b.classes == ["ham", "spam"]


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ({}, "no such folder"),
        ({"loose.txt": "x"}, "no class subfolders"),
        ({"a/notes.md": "x"}, r"no \.txt files"),
        ({"test/a/1.txt": "x"}, "holds test/ but no train/"),
        ({"train/a/1.txt": "x", "other/a/1.txt": "y"}, "beside other folders"),
    ],
)
def test_bad_layouts(tmp_path, layout, message):
    root = tmp_path / "root"
    for name, text in layout.items():
        put(root / name, text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match=message):
            load_text_folder(path=root)


def test_on_error_is_checked(folder):
    with pytest.raises(ConfigError, match=r"data\.options\.on_error"):
        load_text_folder(path=folder, on_error="ignore")


def test_list_texts_is_sorted_and_recursive(folder):
    assert [p.name for p in list_texts(folder / "spam")] == ["1.txt", "2.TXT"]
