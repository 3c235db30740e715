"""The polarity data set: gensim's file, its format and encoding, 100 + 100 sentences."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.core.errors import DataError
from trainlab.data.datasets import validate_bundle
from trainlab.data.datasets.text.polarity import load_polarity, parse_polarity, polarity_file

utils = pytest.importorskip("gensim.test.utils", reason="gensim (the text extra) is not installed")


def test_the_file_is_gensims():
    assert str(polarity_file()) == utils.datapath("pang_lee_polarity.cor")


def test_two_balanced_classes_read_as_windows_1252():
    b = validate_bundle(load_polarity())
    assert b.name == "polarity" and b.modality == "text" and b.classes == ["neg", "pos"]
    assert len(b.train) == 200 and np.bincount(b.train.y).tolist() == [100, 100]
    raw = [line.split() for line in polarity_file().read_bytes().decode("cp1252").splitlines()]
    pairs = zip(b.train.x, b.train.y, strict=True)
    assert [[f"__label__{b.classes[y]}", *x.split()] for x, y in pairs] == raw
    assert any("—" in t for t in b.train.x) and any("clichés" in t for t in b.train.x)
    assert not any("__label__" in t for t in b.train.x)


def test_a_line_without_a_label_is_named():
    with pytest.raises(DataError, match=r"^p\.cor, line 2: expected '__label__<label> <sentence>'"):
        parse_polarity("__label__pos good .\nno label here\n", "p.cor")
