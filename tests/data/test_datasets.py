"""The registered loaders, option checking and result validation of load_dataset."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_wine

from trainlab.core.errors import ConfigError, DataError
from trainlab.data import ArrayData, DataBundle, Target
from trainlab.data.datasets import (
    dataset_descriptions,
    dataset_options,
    load_dataset,
    validate_bundle,
)
from trainlab.data.datasets.registry import DATASETS
from trainlab.data.datasets.signal import mnist1d

EXPECTED = {
    "digits",
    "fashion-mnist",
    "mnist1d",
    "wine",
    "breast-cancer",
    "diabetes",
    "linnerud",
    "csv",
    "image-folder",
}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """An empty XDG cache folder shared by this module's tests (mnist1d is generated once)."""
    path = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(path))
        yield path


# -- registry and descriptions ---------------------------------------------------------------
def test_every_loader_is_registered_with_a_description() -> None:
    assert set(DATASETS.names()) >= EXPECTED
    descriptions = dataset_descriptions()
    for name in EXPECTED:
        line = descriptions[name]
        assert line and "\n" not in line, name
    assert descriptions["digits"].startswith("Handwritten digits")


def test_every_loader_takes_keyword_only_options() -> None:
    import inspect

    for name, loader in DATASETS.items():
        for p in inspect.signature(loader).parameters.values():
            assert p.kind is inspect.Parameter.KEYWORD_ONLY, (name, p.name)
    assert dataset_options("csv") == {
        "path": inspect.Parameter.empty,
        "target": inspect.Parameter.empty,
        "columns": None,
        "delimiter": ",",
        "decimal": ".",
        "task": "auto",
        "missing": ("", "?", "NA", "N/A", "n/a", "null", "NULL", "None", "none"),
    }


# -- built-in data sets ----------------------------------------------------------------------
def test_digits_mnist() -> None:
    b = load_dataset("digits", {})
    assert b.modality == "image" and b.test is None
    assert b.train.x.shape == (5000, 1, 28, 28) and b.train.x.dtype == np.uint8
    assert b.classes == [str(d) for d in range(10)]
    assert np.bincount(b.train.y, minlength=10).tolist() == [500] * 10
    assert b.train.x.max() == 255 and b.train.x.min() == 0
    # a digit has ink in the middle and a blank border
    mean = b.train.x.astype(float).mean(axis=0)[0]
    assert mean[10:18, 10:18].mean() > 5 * mean[:2].mean()


def test_digits_sklearn_is_rescaled_to_uint8() -> None:
    b = load_dataset("digits", {"source": "sklearn"})
    ref = load_digits()
    assert b.train.x.shape == (1797, 1, 8, 8) and b.train.x.dtype == np.uint8
    expected = np.rint(ref.data * 255 / 16).reshape(-1, 1, 8, 8)
    np.testing.assert_array_equal(b.train.x, expected)
    np.testing.assert_array_equal(b.train.y, ref.target)


def test_digits_rejects_an_unknown_source() -> None:
    with pytest.raises(ConfigError, match=r"data\.options\.source.*'mnist' or 'sklearn'"):
        load_dataset("digits", {"source": "emnist"})


@pytest.mark.parametrize(
    ("name", "reference"), [("wine", load_wine), ("breast-cancer", load_breast_cancer)]
)
def test_sklearn_tabular(name: str, reference) -> None:
    ref = reference()
    b = load_dataset(name, {})
    assert b.name == name and b.modality == "tabular" and b.test is None
    assert b.train.x.dtype == np.float32 and b.train.x.shape == ref.data.shape
    np.testing.assert_allclose(b.train.x, ref.data, rtol=1e-6)
    np.testing.assert_array_equal(b.train.y, ref.target)
    assert b.classes == list(ref.target_names)
    assert b.feature_names == list(ref.feature_names)


def test_names_are_normalized() -> None:
    assert load_dataset(" Breast_Cancer ", {}).name == "breast-cancer"


# -- mnist1d ---------------------------------------------------------------------------------
def test_mnist1d_generates_caches_and_matches_the_package(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mnist1d.data import get_dataset_args, make_dataset

    state = np.random.get_state()
    py_state = random.getstate()
    b = load_dataset("mnist1d", {})
    # the loader does not disturb the global random states
    assert np.array_equal(np.random.get_state()[1], state[1])
    assert random.getstate() == py_state
    assert (cache_dir / "trainlab" / "mnist1d-seed42.npz").is_file()
    assert b.modality == "signal" and b.classes == [str(d) for d in range(10)]
    assert b.train.x.shape == (4000, 1, 40) and b.test.x.shape == (1000, 1, 40)
    assert b.train.x.dtype == np.float32
    ref = make_dataset(get_dataset_args())
    np.testing.assert_allclose(b.train.x[:, 0], ref["x"], rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(b.test.y, ref["y_test"])

    # the second load comes from the cache, not from the generator
    def fail(seed: int) -> dict:
        raise AssertionError("regenerated although cached")

    monkeypatch.setattr(mnist1d, "_generate", fail)
    again = load_dataset("mnist1d", {})
    np.testing.assert_array_equal(again.train.x, b.train.x)
    np.testing.assert_array_equal(again.test.y, b.test.y)


def test_mnist1d_seed_and_damaged_cache(cache_dir: Path) -> None:
    path = cache_dir / "trainlab" / "mnist1d-seed7.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not an npz file")  # damaged: regenerated and rewritten
    b = load_dataset("mnist1d", {"seed": 7})
    default = load_dataset("mnist1d", {})
    assert not np.allclose(b.train.x, default.train.x)
    with np.load(path) as npz:
        np.testing.assert_array_equal(npz["y"], b.train.y)
    # no temporary files are left behind
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "mnist1d-seed42.npz",
        "mnist1d-seed7.npz",
    ]
    with pytest.raises(ConfigError, match=r"data\.options\.seed"):
        load_dataset("mnist1d", {"seed": -1})


# -- option checking -------------------------------------------------------------------------
def test_unknown_option_lists_the_expected_ones() -> None:
    with pytest.raises(ConfigError) as exc:
        load_dataset("csv", {"path": "a.csv", "target": "y", "sep": ";"})
    assert str(exc.value) == (
        "data.options: unknown option 'sep' for dataset 'csv'; "
        "expected one of: path, target, columns, delimiter, decimal, task, missing"
    )
    with pytest.raises(ConfigError, match="'wine'; it takes no options"):
        load_dataset("wine", {"path": "x"})


def test_missing_required_options_are_named() -> None:
    with pytest.raises(ConfigError, match=r"dataset 'csv' needs options 'path', 'target'"):
        load_dataset("csv", {})
    with pytest.raises(ConfigError, match=r"needs option 'target'"):
        load_dataset("csv", {"path": "a.csv"})


def test_option_types_are_checked() -> None:
    with pytest.raises(ConfigError, match=r"data\.options\.source"):
        load_dataset("digits", {"source": 3})
    with pytest.raises(ConfigError, match=r"data\.options\.verify.*got 'maybe'"):
        load_dataset("fashion-mnist", {"verify": "maybe"})
    with pytest.raises(ConfigError, match=r"data\.options\.columns"):
        load_dataset("csv", {"path": "a.csv", "target": "y", "columns": 5})


def test_unknown_dataset_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown dataset 'cifar'.*digits"):
        load_dataset("cifar", {})


# -- validation ------------------------------------------------------------------------------
def _bundle(x, y, classes=("a", "b"), test=None) -> DataBundle:
    return DataBundle("toy", "tabular", ArrayData(x, y), list(classes), test=test)


def test_validation_rejects_empty_data() -> None:
    with pytest.raises(DataError, match="dataset 'toy' has no examples"):
        validate_bundle(_bundle(np.zeros((0, 3), np.float32), []))


def test_validation_counts_non_finite_values_and_names_the_first() -> None:
    x = np.zeros((6, 3), np.float32)
    x[4, 1] = np.nan
    x[5, 0] = np.inf
    x[5, 2] = -np.inf
    with pytest.raises(DataError, match=r"3 feature values are NaN or infinite .*train example 4"):
        validate_bundle(_bundle(x, [0, 1, 0, 1, 0, 1]))
    images = [np.zeros((1, 2, 2)), np.zeros((1, 3, 3)), np.full((1, 2, 2), np.nan)]
    test = ArrayData(images, [0, 1, 1])
    ok = np.zeros((2, 1), np.float32)
    with pytest.raises(DataError, match=r"4 feature values .*test example 2"):
        validate_bundle(_bundle(ok, [0, 1], test=test))
    # integer images cannot hold NaN and pass
    validate_bundle(_bundle(np.zeros((2, 1, 2, 2), np.uint8), [0, 1]))


def test_validation_rejects_labels_out_of_range() -> None:
    with pytest.raises(DataError, match=r"train example 2 has label 2, outside 0\.\.1"):
        validate_bundle(_bundle(np.zeros((3, 1)), [0, 1, 2]))
    with pytest.raises(DataError, match="label -1"):
        validate_bundle(_bundle(np.zeros((3, 1)), [0, -1, 1]))


def test_load_dataset_validates_what_a_loader_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*, n: int = 3) -> DataBundle:
        x = np.ones((n, 2), np.float32)
        x[1, 1] = np.nan
        return DataBundle("broken", "tabular", ArrayData(x, np.zeros(n)), ["only"])

    monkeypatch.setitem(DATASETS._items, "broken", broken)
    with pytest.raises(DataError, match=r"dataset 'broken': 1 feature value is NaN"):
        load_dataset("broken", {"n": "4"})  # "4" is converted to the int the hint asks for


def test_validation_of_regression_and_extra_targets() -> None:
    x = np.zeros((3, 1), np.float32)
    reg = Target("w", "regression")
    ok = DataBundle("toy", "tabular", ArrayData(x, [0.5, 1.0, 2.0]), [], target=reg)
    assert validate_bundle(ok) is ok  # no classes needed
    bad = DataBundle("toy", "tabular", ArrayData(x, [0.5, np.nan, np.inf]), [], target=reg)
    with pytest.raises(DataError, match=r"train example 1 has a NaN or infinite value \(2 such"):
        validate_bundle(bad)
    ints = DataBundle("toy", "tabular", ArrayData(x, [1, 2, 3]), [], target=reg)
    with pytest.raises(DataError, match="regression target 'w' holds int64 values"):
        validate_bundle(ints)
    with pytest.raises(DataError, match="a regression target has no classes"):
        validate_bundle(DataBundle("toy", "tabular", ok.train, ["a"], target=reg))
    # extra targets: labels in range of their own classes, values finite, present in every split
    parity = Target("parity", "classification", ("even", "odd"))
    extra = {"parity": np.array([0, 1, 2]), "w": np.array([0.1, 0.2, 0.3])}
    b = DataBundle(
        "toy", "tabular", ArrayData(x, [0, 1, 0], extra), ["a", "b"], extra_targets=[parity, reg]
    )
    with pytest.raises(
        DataError, match=r"example 2 has label 2 for target 'parity', outside 0\.\.1"
    ):
        validate_bundle(b)
    b.train.extra["parity"][2] = 1
    b.train.extra["w"][0] = np.inf
    with pytest.raises(DataError, match="example 0 has a NaN or infinite value for target 'w'"):
        validate_bundle(b)
    b.train.extra["w"][0] = 0.0
    assert validate_bundle(b) is b
    b.test = ArrayData(x, [0, 1, 0], {"parity": np.array([0, 0, 1])})
    with pytest.raises(DataError, match="its test split has no target 'w'"):
        validate_bundle(b)


def test_validation_of_object_tables_checks_numbers_only() -> None:
    x = np.array([[1.0, "red"], [None, "blue"], [2.0, None]], dtype=object)
    assert validate_bundle(_bundle(x, [0, 1, 0])).train.x is x
    x[0, 0] = float("inf")
    with pytest.raises(DataError, match=r"1 feature value is NaN or infinite .*train example 0"):
        validate_bundle(_bundle(x, [0, 1, 0]))
