"""The text-csv loader: CSV and JSON Lines, delimiters, splits, UTF-8, empty texts, columns."""

from __future__ import annotations

import codecs
import json
import warnings
from pathlib import Path

import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.text.text_csv import load_text_csv

ROWS = [
    ("¿Dónde está la niña?", "es", "train"),
    ("Where is the girl?", "en", "train"),
    ("Multi-line,\nquoted; text", "en", "test"),
    ("Año nuevo", "es", "TEST"),
]


def write_csv(path: Path, delimiter: str = ",", bom: bool = False) -> Path:
    lines = [delimiter.join(["id", "text", "label", "split"])]
    for i, (text, label, split) in enumerate(ROWS):
        lines.append(delimiter.join([str(i), '"' + text + '"', label, split]))
    data = ("\r\n".join(lines) + "\r\n").encode()
    path.write_bytes(codecs.BOM_UTF8 + data if bom else data)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_any_delimiter_auto_and_a_bom(tmp_path, delimiter):
    p = write_csv(tmp_path / "t.csv", delimiter, bom=True)
    b = validate_bundle(load_text_csv(path=p, split_column="split"))
    assert b.name == "text-csv" and b.modality == "text" and b.source == str(p)
    assert b.train.x.tolist() == ["¿Dónde está la niña?", "Where is the girl?"]
    assert b.classes == ["en", "es"] and b.train.y.tolist() == [1, 0]
    assert b.test is not None and b.test.x.tolist() == [ROWS[2][0], ROWS[3][0]]
    assert b.test.y.tolist() == [0, 1]


def test_without_split_every_row_is_training(tmp_path):
    p = write_csv(tmp_path / "t.csv")
    b = load_text_csv(path=p, delimiter=",")
    assert len(b.train) == 4 and b.test is None


def test_jsonl_with_the_same_options(tmp_path):
    p = tmp_path / "t.JSONL"
    rows = [{"body": " Hola ", "stars": 5}, {"body": "Meh", "stars": 1, "extra": [1]}, {}]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:2]) + "\n\n")
    b = validate_bundle(load_text_csv(path=p, text_column="body", label_column="stars"))
    assert b.train.x.tolist() == ["Hola", "Meh"] and b.classes == ["1", "5"]
    assert b.train.y.tolist() == [1, 0]


def test_labels_sort_by_value_when_whole_numbers(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("text,label\na,10\nb,2\nc,2\n")
    assert load_text_csv(path=p).classes == ["2", "10"]


def test_a_missing_column_names_the_columns_there_are(tmp_path):
    p = write_csv(tmp_path / "t.csv")
    with pytest.raises(DataError, match=r"no column 'sentiment'; the columns are: id, text, label"):
        load_text_csv(path=p, label_column="sentiment")
    j = tmp_path / "t.jsonl"
    j.write_text('{"text": "a", "label": "x"}\n{"text": "b", "tag": "y"}\n')
    with pytest.raises(
        DataError, match=r"t\.jsonl, line 2: no key 'label'; the keys are: text, tag"
    ):
        load_text_csv(path=j)


def test_the_wrong_delimiter_is_pointed_out(tmp_path):
    p = write_csv(tmp_path / "t.csv", ";")
    with pytest.raises(DataError, match=r"the header holds ';': set data\.options\.delimiter"):
        load_text_csv(path=p, delimiter=",")


def test_not_utf8_names_the_byte_offset(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"text,label\n" + "caf\xe9,fr\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"t\.csv: not UTF-8 text \(.* at byte 14, line 2\)"):
        load_text_csv(path=p)


def test_empty_text_fails_or_is_skipped(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('text,label\nfine,a\n"  ",a\nalso fine,\nok,b\n')
    with pytest.raises(DataError, match=r"t\.csv, line 3: empty 'text'$"):
        load_text_csv(path=p)
    with pytest.warns(UserWarning) as caught:
        b = load_text_csv(path=p, on_error="skip")
    assert [str(w.message).split(", ")[-1] for w in caught] == [
        "line 3: empty 'text'",
        "line 4: empty 'label'",
    ]
    assert all(str(w.message).startswith("text-csv: skipped ") for w in caught)
    assert b.train.x.tolist() == ["fine", "ok"]
    assert "skipped 2 rows with an empty text or label" in b.notes


def test_bad_rows_name_their_line(tmp_path):
    cases = {
        "a.csv": ("text,label\nx,y,z\n", r"a\.csv, line 2: 3 fields, expected 2"),
        "b.csv": ("text,label,split\nx,y,dev\n", r"b\.csv, line 2: 'split' is 'dev'; expected"),
        "c.jsonl": (
            '{"text": "a", "label": "x"}\n[1]\n',
            r"line 2: expected a JSON object",
        ),
        "d.jsonl": ('{"text": "a", "label": "x"}\n{"text": \n', r"d\.jsonl, line 2: not JSON"),
        "e.jsonl": (
            '{"text": 3, "label": "x"}\n',
            r"line 1: 'text' is 3; expected a string",
        ),
        "f.jsonl": ('{"text": "a", "label": true}\n', r"'label' is True; expected a string or"),
        "g.csv": ("", r"g\.csv: the file is empty"),
        "h.csv": ("text,label\nx,a\ny,b\n", r"h\.csv, line 3: class 'b' of the test split"),
    }
    for name, (content, message) in cases.items():
        p = tmp_path / name
        p.write_text(content)
        split = "split" if name == "b.csv" else None
        if name == "h.csv":
            p.write_text("text,label,split\nx,a,train\ny,b,test\n")
            split = "split"
        with pytest.raises(DataError, match=message):
            load_text_csv(path=p, split_column=split)


def test_bad_options_and_no_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_text_csv(path=tmp_path / "none.csv")
    with pytest.raises(ConfigError, match=r"data\.options\.delimiter"):
        load_text_csv(path=tmp_path / "none.csv", delimiter=";;")
    with pytest.raises(ConfigError, match=r"data\.options\.on_error"):
        load_text_csv(path=tmp_path / "none.csv", on_error="warn")
    with pytest.raises(ConfigError, match=r"data\.options\.label_column"):
        load_text_csv(path=tmp_path / "none.csv", label_column="text")


def test_only_empty_rows_is_an_error(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("text,label\n,a\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match="no usable rows"):
            load_text_csv(path=p, on_error="skip")
