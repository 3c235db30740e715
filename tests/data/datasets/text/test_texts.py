"""The text loaders' shared parts: strict UTF-8 with the byte offset, class order, the bundle."""

from __future__ import annotations

import codecs

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.text._texts import (
    TextItem,
    check_on_error,
    class_names,
    decode_utf8,
    read_text,
    text_bundle,
)


@pytest.mark.parametrize(
    ("data", "offset", "line"),
    [
        ("olé\n".encode() + b"ma\xf1ana", 7, 2),  # Latin-1 ñ
        (codecs.BOM_UTF8 + b"ab\xff", 5, 1),  # counted in the file, the BOM included
        ("ñ".encode() + b"\xc3", 2, 1),  # cut in the middle of a character
        ("€".encode("utf-16"), 0, 1),  # UTF-16 with its own BOM
    ],
)
def test_not_utf8_names_the_byte_offset_and_line(data, offset, line):
    with pytest.raises(
        DataError, match=rf"^f\.txt: not UTF-8 text \(.* at byte {offset}, line {line}\)"
    ):
        decode_utf8(data, "f.txt")
    assert (
        data[offset:].decode("utf-8", errors="replace")[0] == "\ufffd"
    )  # the offset is the bad byte


def test_a_bom_is_dropped_and_accents_survive(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(codecs.BOM_UTF8 + "¿Año? ñandú ü".encode())
    assert read_text(p) == "¿Año? ñandú ü"


def test_read_text_of_a_missing_file():
    with pytest.raises(DataError, match="cannot read"):
        read_text(__import__("pathlib").Path("/nonexistent/x.txt"))


def test_class_names_numeric_when_all_whole_numbers():
    assert class_names(["10", "9", "-1"]) == ["-1", "9", "10"]
    assert class_names(["10", "9", "x"]) == ["10", "9", "x"]


def test_on_error_is_checked():
    check_on_error("skip")
    with pytest.raises(ConfigError, match=r"data\.options\.on_error"):
        check_on_error("warn")


def test_bundle_is_str_objects_and_validates():
    items = [TextItem("b", "y"), TextItem("a", "x"), TextItem("c", "y", "test")]
    b = validate_bundle(text_bundle(items, dataset="toy", source="s"))
    assert b.train.x.dtype == object and b.train.x.shape == (2,)
    assert all(type(t) is str for t in b.train.x)
    assert b.train.y.dtype == np.int64 and b.train.y.tolist() == [1, 0]
    assert b.test is not None and b.test.y.tolist() == [1] and b.classes == ["x", "y"]


def test_a_test_class_unknown_to_training_is_an_error():
    items = [TextItem("a", "x"), TextItem("b", "z", "test", "f.csv, line 3")]
    with pytest.raises(DataError, match=r"^f\.csv, line 3: class 'z' of the test split"):
        text_bundle(items, dataset="toy", source="s")
