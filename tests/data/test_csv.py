"""The csv loader: parsing, labels, and an error naming file, line and column for each mistake."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets import load_dataset


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def load(path: str, target: str = "label", **options) -> object:
    return load_dataset("csv", {"path": path, "target": target, **options})


def test_numeric_features_and_string_labels(tmp_path: Path) -> None:
    p = write(tmp_path, "a,label,b\n1,dog,2.5\n-3e2, cat ,4\n\n5,dog,0\n")
    b = load(p)
    assert b.name == "csv" and b.modality == "tabular" and b.test is None
    assert b.feature_names == ["a", "b"]
    assert b.train.x.dtype == np.float32
    np.testing.assert_array_equal(b.train.x, [[1, 2.5], [-300, 4], [5, 0]])
    assert b.classes == ["cat", "dog"]
    assert b.train.y.tolist() == [1, 0, 1]
    assert b.source == p


def test_numeric_labels_sort_numerically(tmp_path: Path) -> None:
    p = write(tmp_path, "x,label\n1,10\n2,2\n3,1.0\n4,1\n5,-0.5\n")
    b = load(p, task="classification")  # -0.5 is no integer: auto would learn values
    assert b.classes == ["-0.5", "1", "2", "10"]  # 1 and 1.0 are one class
    assert b.train.y.tolist() == [3, 2, 1, 1, 0]


def test_mixed_labels_sort_as_strings(tmp_path: Path) -> None:
    b = load(write(tmp_path, "x,label\n1,10\n2,b\n3,2\n"))
    assert b.classes == ["10", "2", "b"]


def test_columns_option_selects_and_orders_features(tmp_path: Path) -> None:
    p = write(tmp_path, "a,b,c,label\n1,2,3,x\n4,5,6,y\n")
    b = load(p, columns=["c", "a"])
    assert b.feature_names == ["c", "a"]
    np.testing.assert_array_equal(b.train.x, [[3, 1], [6, 4]])
    # an excluded column may hold anything
    p2 = write(tmp_path, "id,a,label\nabc,1,x\n,2,y\n", "ids.csv")
    assert load(p2, columns=["a"]).train.x.tolist() == [[1.0], [2.0]]


def test_delimiter_quotes_and_byte_order_mark(tmp_path: Path) -> None:
    p = write(tmp_path, 'a;label\n1.5;"x;y"\n2;z\n', encoding="utf-8-sig")
    b = load(p, delimiter=";")
    assert b.feature_names == ["a"] and b.classes == ["x;y", "z"]
    t = write(tmp_path, "a\tb\tlabel\n1\t2\tq\n", "data.tsv")
    assert load(t, delimiter="\t").train.x.tolist() == [[1.0, 2.0]]


def test_matches_numpy_on_random_data(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5)) * 1e3
    y = rng.integers(0, 4, 200)
    lines = ["f0,f1,f2,f3,f4,target"] + [
        ",".join(repr(float(v)) for v in row) + f",{t}" for row, t in zip(x, y, strict=True)
    ]
    b = load(write(tmp_path, "\n".join(lines) + "\n"), target="target")
    np.testing.assert_array_equal(b.train.x, x.astype(np.float32))
    np.testing.assert_array_equal(b.train.y, y)
    assert b.classes == ["0", "1", "2", "3"]


def test_non_numeric_cell_names_file_line_and_column(tmp_path: Path) -> None:
    p = write(tmp_path, "a,b,label\n1,2,x\n3,four,y\n")
    with pytest.raises(DataError) as exc:
        load(p)
    assert str(exc.value) == (
        f"{p} line 3, column 'b': not a number: 'four' (1 other cell of the column is a "
        "number; list 'four' in data.options.missing if it marks a missing cell)"
    )


def test_missing_target_lists_the_columns(tmp_path: Path) -> None:
    p = write(tmp_path, "a,b,class\n1,2,x\n")
    with pytest.raises(DataError, match=r"no target column 'label'; the columns are: a, b, class"):
        load(p)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("nan", "not a finite number"), ("-inf", "not a finite number"), ("", "empty cell")],
)
def test_missing_or_non_finite_cells(tmp_path: Path, cell: str, expected: str) -> None:
    p = write(tmp_path, f"a,b,label\n1,2,x\n3,4,y\n5,{cell},x\n")
    # an empty cell marks a missing value unless the missing markers leave it out
    with pytest.raises(DataError, match=rf"line 4, column 'b': .*{expected}"):
        load(p, missing=["NA"])


def test_value_too_large_for_float32(tmp_path: Path) -> None:
    p = write(tmp_path, "a,label\n1,x\n1e300,y\n")
    with pytest.raises(DataError, match=r"line 3, column 'a': .*float32"):
        load(p)


def test_empty_target_cell(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"line 2, column 'label': empty target"):
        load(write(tmp_path, "a,label\n1,\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("a,label\n", "no data rows"),
        ("a,label\n\n\n", "no data rows"),
        ("a,label\n1,x,3\n", "line 2: 3 fields, expected 2"),
        ("a,a,label\n1,2,x\n", "column 'a' appears twice"),
        ("label\nx\n", "no feature columns"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    p = write(tmp_path, text)
    with pytest.raises(DataError, match=expected) as exc:
        load(p)
    assert p in str(exc.value)


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load(str(tmp_path / "absent.csv"))
    p = write(tmp_path, "a,b,label\n1,2,x\n")
    with pytest.raises(DataError, match=r"no column 'c'; the columns are: a, b, label"):
        load(p, columns=["a", "c"])
    with pytest.raises(ConfigError, match="target column 'label' cannot be a feature"):
        load(p, columns=["a", "label"])
    with pytest.raises(ConfigError, match=r"data\.options\.delimiter"):
        load(p, delimiter=";;")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("a,label\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        load(str(path))


# -- targets: several, classification or regression ---------------------------------------------
def test_several_targets_the_first_is_the_main_one(tmp_path: Path) -> None:
    p = write(tmp_path, "a,kind,size\n1,x,0.5\n2,y,1.5\n3,x,2.5\n")
    b = load(p, target=["kind", "size"])
    assert b.feature_names == ["a"] and b.train.x.dtype == np.float32
    assert b.main_target.name == "kind" and b.classes == ["x", "y"]
    assert [(t.name, t.kind) for t in b.extra_targets] == [("size", "regression")]
    assert b.train.extra["size"].dtype == np.float32
    assert b.train.extra["size"].tolist() == [0.5, 1.5, 2.5]
    # a task per target column, the others automatic
    m = load(p, target=["size", "kind"], task={"size": "classification"})
    assert m.classes == ["0.5", "1.5", "2.5"] and m.extra_targets[0].classes == ("x", "y")
    with pytest.raises(ConfigError, match=r"task: 'a' is not a target column \(the targets are"):
        load(p, target=["kind", "size"], task={"a": "regression"})
    with pytest.raises(DataError, match="no target column 'weight'"):
        load(p, target=["kind", "weight"])
    with pytest.raises(ConfigError, match="target column 'size' cannot be a feature"):
        load(p, target=["kind", "size"], columns=["a", "size"])
    with pytest.raises(ConfigError, match="listed twice"):
        load(p, target=["kind", "kind"])


@pytest.mark.parametrize(
    ("rows", "n", "kind", "note"),
    [
        # 30 distinct integers in 40 rows: values, stated
        ([i % 30 for i in range(40)], 40, "regression", "30 distinct numeric values in 40 rows"),
        # 25 distinct integers in 100 rows: classes, stated as many
        ([i % 25 for i in range(100)], 100, "classification", "learned as 25 classes"),
        # few integers: classes, nothing to state
        ([i % 3 for i in range(50)], 50, "classification", None),
    ],
)
def test_automatic_task_of_integer_targets(
    tmp_path: Path, rows: list[int], n: int, kind: str, note: str | None
) -> None:
    p = write(tmp_path, "a,y\n" + "".join(f"{i},{v}\n" for i, v in enumerate(rows)))
    b = load(p, target="y")
    assert b.task_kind == kind and len(b.train) == n
    if note is None:
        assert b.notes == []
    else:
        assert len(b.notes) == 1 and note in b.notes[0] and "data.options.task: " in b.notes[0]


def test_regression_target_refuses_text_and_non_finite_values(tmp_path: Path) -> None:
    p = write(tmp_path, "a,y\n1,0.5\n2,heavy\n")
    with pytest.raises(DataError) as exc:
        load(p, target="y", task="regression")
    assert str(exc.value) == (
        f"{p} line 3, column 'y': not a number: 'heavy' (a regression target holds numbers; "
        "data.options.task: classification learns classes)"
    )
    assert load(p, target="y").classes == ["0.5", "heavy"]  # auto: text is classes
    for cell in ("nan", "inf", "-Infinity"):
        q = write(tmp_path, f"a,y\n1,0.5\n2,{cell}\n", "bad.csv")
        for task in ("auto", "regression", "classification"):
            with pytest.raises(DataError, match=rf"line 3, column 'y': the target '{cell}' is NaN"):
                load(q, target="y", task=task)
    q = write(tmp_path, "a,y\n1,0.5\n2,NA\n", "na.csv")
    with pytest.raises(DataError, match=r"line 3, column 'y': missing target cell 'NA'"):
        load(q, target="y")
    with pytest.raises(DataError, match=r"line 2, column 'y': the target '1e39' does not fit"):
        load(write(tmp_path, "a,y\n1,1e39\n", "big.csv"), target="y", task="regression")


# -- features: text, missing cells, locales ------------------------------------------------------
def test_text_and_missing_cells_make_an_object_table(tmp_path: Path) -> None:
    p = write(tmp_path, "n,colour,label\n1.5,red,x\n?,blue,y\nNA,,x\n2,3,y\n4,red,x\n")
    b = load(p)
    x = b.train.x
    assert x.dtype == object and x.shape == (5, 2)
    assert x[:, 0].tolist() == [1.5, None, None, 2.0, 4.0]
    assert x[:, 1].tolist() == ["red", "blue", None, "3", "red"]  # a number among text is text
    assert b.notes == [
        "text columns, encoded as categories (preprocess.categorical): colour (3 values)",
        "missing cells (filled or refused by preprocess.impute): n 2, colour 1",
    ]
    # markers of one's own: '?' is then a category, and NA stays missing only if listed
    c = load(p, missing=["", "NA", "?"])
    assert c.train.x[1, 0] is None
    with pytest.raises(DataError, match=r"line 3, column 'n': not a number: '\?'"):
        load(p, missing=["NA", ""])


def test_a_column_of_missing_cells_is_refused(tmp_path: Path) -> None:
    p = write(tmp_path, "a,b,label\n1,,x\n2,NA,y\n")
    with pytest.raises(DataError, match="column 'b' has only missing cells; leave it out"):
        load(p)


def test_decimal_comma_and_delimiter_options(tmp_path: Path) -> None:
    p = write(tmp_path, "a;b;label\n1,5;-2;x\n1e3;0,25;y\n")
    b = load(p, delimiter=";", decimal=",")
    assert b.train.x.dtype == np.float32 and b.train.x.tolist() == [[1.5, -2.0], [1000.0, 0.25]]
    assert load(p, delimiter="auto", decimal=",").train.x.tolist() == b.train.x.tolist()
    # 2.5 is not a number with a decimal comma (a '.' would be a thousands separator there)
    q = write(tmp_path, "a;b;label\n1,5;2.5;x\n3;2.5;y\n", "dots.csv")
    with pytest.raises(DataError, match=r"'2\.5' is not a number with data.options.decimal ','"):
        load(q, delimiter=";", decimal=",")
    with pytest.raises(ConfigError, match=r"decimal: ',' needs another delimiter than ','"):
        load(p, decimal=",")
    with pytest.raises(ConfigError, match=r"data\.options\.decimal"):
        load(p, delimiter=";", decimal=";")
    # the default delimiter on a ';' file: the header is one column, and the error says why
    with pytest.raises(DataError, match=r"the header holds ';': set data.options.delimiter"):
        load(p)


def test_auto_delimiter_ignores_quoted_text(tmp_path: Path) -> None:
    p = write(tmp_path, '"a;b;c"\tlabel\n1\tx\n2\ty\n')
    b = load(p, delimiter="auto")
    assert b.feature_names == ["a;b;c"] and b.train.x.tolist() == [[1.0], [2.0]]
    one = write(tmp_path, "label\nx\n", "one.csv")  # no delimiter at all: ','
    with pytest.raises(DataError, match="no feature columns"):
        load(one, delimiter="auto")
