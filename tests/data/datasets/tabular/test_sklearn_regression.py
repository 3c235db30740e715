"""scikit-learn's bundled regression sets: diabetes (one target) and linnerud (three)."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_diabetes, load_linnerud

from trainlab.data import Target
from trainlab.data.datasets import dataset_descriptions, load_dataset


def test_diabetes_is_one_regression_target() -> None:
    ref = load_diabetes()
    b = load_dataset("diabetes", {})
    assert b.name == "diabetes" and b.modality == "tabular" and b.test is None
    assert b.train.x.shape == (442, 10) and b.train.x.dtype == np.float32
    np.testing.assert_allclose(b.train.x, ref.data, rtol=1e-6)
    assert b.train.y.dtype == np.float32
    np.testing.assert_array_equal(b.train.y, ref.target.astype(np.float32))
    assert b.classes == [] and b.task_kind == "regression"
    assert b.main_target == Target("progression", "regression") and b.extra_targets == []
    assert b.feature_names == list(ref.feature_names)


def test_linnerud_has_weight_first_and_two_extra_targets() -> None:
    ref = load_linnerud()
    b = load_dataset("linnerud", {})
    assert b.train.x.shape == (20, 3) and b.feature_names == ["Chins", "Situps", "Jumps"]
    np.testing.assert_array_equal(b.train.x, ref.data.astype(np.float32))
    assert [t.name for t in b.targets] == ["weight", "waist", "pulse"]
    assert all(t.kind == "regression" for t in b.targets) and b.classes == []
    np.testing.assert_array_equal(b.train.y, ref.target[:, 0].astype(np.float32))
    np.testing.assert_array_equal(b.train.extra["waist"], ref.target[:, 1].astype(np.float32))
    np.testing.assert_array_equal(b.train.extra["pulse"], ref.target[:, 2].astype(np.float32))
    # the extra targets follow a subset
    assert b.train.subset([19]).extra["pulse"].tolist() == [float(ref.target[19, 2])]


def test_descriptions_say_regression() -> None:
    d = dataset_descriptions()
    assert "regression" in d["diabetes"] and "weight, waist, pulse" in d["linnerud"]
