"""Normalizers against scikit-learn's scalers and manual numpy statistics."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.preprocessing import Normalizer as SkNormalizer

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess import Normalizer, NotFittedError, build_normalizer
from trainlab.preprocess.normalize import (
    NORMALIZERS,
    IdentityNormalizer,
    MinMaxNormalizer,
    StandardNormalizer,
    UnitNormNormalizer,
)

NAMES = ["standard", "minmax", "unit-norm", "none"]


@pytest.fixture
def tabular() -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.normal(
        loc=[0.0, 5.0, -3.0, 100.0, 0.0], scale=[1.0, 3.0, 0.1, 20.0, 1.0], size=(200, 5)
    )
    x[:, 2] = 7.25  # a constant column
    return x


@pytest.fixture
def images() -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.integers(0, 256, size=(16, 3, 6, 5), dtype=np.uint8)


def test_registry_names() -> None:
    assert NORMALIZERS.names() == sorted(NAMES)
    assert isinstance(build_normalizer("z_score", per="feature"), StandardNormalizer)
    with pytest.raises(ConfigError, match="minmax"):
        build_normalizer("robust", per="feature")
    with pytest.raises(ConfigError, match="per"):
        build_normalizer("standard", per="pixel")


@pytest.mark.parametrize("per", ["feature", "channel"])
def test_standard_matches_sklearn(tabular: np.ndarray, per: str) -> None:
    ours = build_normalizer("standard", per=per).fit(tabular)
    ref = StandardScaler().fit(tabular)
    out = ours.transform(tabular)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref.transform(tabular), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.stats["mean"], ref.mean_, rtol=1e-12)
    np.testing.assert_allclose(ours.stats["scale"], ref.scale_, rtol=1e-12)
    assert ours.stats["scale"][2] == 1.0  # constant column → σ = 1, like sklearn
    np.testing.assert_array_equal(out[:, 2], 0.0)
    np.testing.assert_allclose(ours.inverse_transform(out), tabular, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("per", ["feature", "channel"])
def test_minmax_matches_sklearn(tabular: np.ndarray, per: str) -> None:
    ours = build_normalizer("minmax", per=per).fit(tabular)
    ref = MinMaxScaler().fit(tabular)
    out = ours.transform(tabular)
    np.testing.assert_allclose(out, ref.transform(tabular), rtol=1e-5, atol=1e-6)
    assert out.min() == 0.0 and out.max() == pytest.approx(1.0)
    assert ours.stats["range"][2] == 1.0  # constant column → range 1, like sklearn
    np.testing.assert_array_equal(out[:, 2], 0.0)
    np.testing.assert_allclose(ours.inverse_transform(out), tabular, rtol=1e-5, atol=1e-4)


def test_unit_norm_matches_sklearn(tabular: np.ndarray) -> None:
    x = tabular.copy()
    x[3] = 0.0  # a zero sample stays zero
    ours = build_normalizer("unit-norm", per="channel")
    out = ours.transform(x)  # stateless: no fit needed
    np.testing.assert_allclose(out, SkNormalizer(norm="l2").fit_transform(x), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(out[3], 0.0)
    np.testing.assert_allclose(np.linalg.norm(np.delete(out, 3, axis=0), axis=1), 1.0, rtol=1e-5)
    with pytest.raises(NotImplementedError):
        ours.inverse_transform(out)


def test_unit_norm_image_uses_all_values(images: np.ndarray) -> None:
    out = UnitNormNormalizer().fit_transform(images)
    flat = images.reshape(len(images), -1).astype(np.float64)
    expected = flat / np.linalg.norm(flat, axis=1, keepdims=True)
    np.testing.assert_allclose(out.reshape(len(images), -1), expected, rtol=1e-5)


def test_none_is_identity(images: np.ndarray) -> None:
    norm = IdentityNormalizer(per="global")
    out = norm.transform(images)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, images.astype(np.float32))


@pytest.mark.parametrize(
    ("per", "axes", "shape"),
    [
        ("channel", (0, 2, 3), (3, 1, 1)),
        ("feature", (0,), (3, 6, 5)),
        ("global", (0, 1, 2, 3), (1, 1, 1)),
    ],
)
def test_image_statistics_match_numpy(
    images: np.ndarray, per: str, axes: tuple[int, ...], shape: tuple[int, ...]
) -> None:
    x = images.astype(np.float64)
    mean = x.mean(axis=axes, keepdims=True)
    std = x.std(axis=axes, keepdims=True)
    lo, hi = x.min(axis=axes, keepdims=True), x.max(axis=axes, keepdims=True)

    std_norm = StandardNormalizer(per=per).fit(images)
    assert std_norm.stats_shape == shape
    np.testing.assert_allclose(std_norm.stats["mean"], mean[0], rtol=1e-12)
    np.testing.assert_allclose(std_norm.stats["scale"], std[0], rtol=1e-12)
    np.testing.assert_allclose(std_norm.transform(images), (x - mean) / std, rtol=1e-5, atol=1e-6)

    mm = MinMaxNormalizer(per=per).fit(images)
    np.testing.assert_allclose(mm.transform(images), (x - lo) / (hi - lo), rtol=1e-5, atol=1e-6)


def test_signal_per_channel() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 4, 30)) * np.array([1.0, 2.0, 3.0, 4.0])[:, None] + 10.0
    norm = StandardNormalizer(per="channel").fit(x)
    assert norm.stats_shape == (4, 1)
    out = norm.transform(x)
    np.testing.assert_allclose(out.mean(axis=(0, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(0, 2)), 1.0, rtol=1e-5)


def test_channel_equals_feature_on_tabular(tabular: np.ndarray) -> None:
    a = StandardNormalizer(per="channel").fit(tabular)
    b = StandardNormalizer(per="feature").fit(tabular)
    np.testing.assert_array_equal(a.transform(tabular), b.transform(tabular))


def test_global_is_one_scalar(tabular: np.ndarray) -> None:
    norm = StandardNormalizer(per="global").fit(tabular)
    assert norm.stats_shape == (1,)
    assert norm.stats["mean"][0] == pytest.approx(tabular.mean())
    assert norm.stats["scale"][0] == pytest.approx(tabular.std())


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("per", ["feature", "channel", "global"])
def test_state_dict_round_trip(images: np.ndarray, name: str, per: str) -> None:
    norm = build_normalizer(name, per=per).fit(images)
    state = json.loads(json.dumps(norm.state_dict()))  # JSON-serializable
    assert state["name"] == name and state["per"] == per
    again = Normalizer.from_state_dict(state)
    assert type(again) is type(norm)
    assert again == norm
    assert again.fitted
    np.testing.assert_array_equal(again.transform(images), norm.transform(images))


def test_state_dict_shape_and_errors(images: np.ndarray) -> None:
    state = StandardNormalizer(per="channel").fit(images).state_dict()
    assert state["shape"] == [3, 1, 1]
    assert len(state["stats"]["mean"]) == 3
    assert all(isinstance(v, float) for v in state["stats"]["scale"])
    with pytest.raises(ConfigError, match="minmax"):
        MinMaxNormalizer.from_state_dict(state)
    bad = dict(state, shape=[4, 1, 1])
    with pytest.raises(ConfigError, match="shape"):
        Normalizer.from_state_dict(bad)
    with pytest.raises(ConfigError):
        Normalizer.from_state_dict({"name": "standard"})


def test_equality_depends_on_statistics(images: np.ndarray) -> None:
    a = StandardNormalizer().fit(images)
    b = StandardNormalizer().fit(images[:8])
    assert a != b
    assert a == StandardNormalizer().fit(images.copy())
    assert a != MinMaxNormalizer().fit(images)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("per", ["feature", "channel", "global"])
def test_torch_path_equals_numpy(images: np.ndarray, name: str, per: str) -> None:
    norm = build_normalizer(name, per=per).fit(images)
    expected = norm.transform(images)
    for batch in (torch.from_numpy(images), torch.from_numpy(images.astype(np.float32))):
        out = norm.transform_tensor(batch)
        assert out.dtype == torch.float32 and out.shape == batch.shape
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
    # float64 batches stay float64
    out64 = norm.transform_tensor(torch.from_numpy(images.astype(np.float64)))
    assert out64.dtype == torch.float64
    np.testing.assert_allclose(out64.numpy(), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["standard", "minmax"])
def test_transform_before_fit_errors(images: np.ndarray, name: str) -> None:
    norm = build_normalizer(name, per="channel")
    assert not norm.fitted
    with pytest.raises(NotFittedError, match="fit"):
        norm.transform(images)
    with pytest.raises(NotFittedError, match="fit"):
        norm.transform_tensor(torch.from_numpy(images))
    with pytest.raises(NotFittedError):
        norm.state_dict()


def test_train_statistics_only(tabular: np.ndarray) -> None:
    train, other = tabular[:100], tabular[100:] * 3.0 + 50.0
    norm = StandardNormalizer(per="feature").fit(train)
    fitted = {k: v.copy() for k, v in norm.stats.items()}
    out = norm.transform(other)
    for k, v in norm.stats.items():  # transform learns nothing
        np.testing.assert_array_equal(v, fitted[k])
    ref = StandardScaler().fit(train)
    np.testing.assert_allclose(out, ref.transform(other), rtol=1e-5, atol=1e-5)
    assert abs(out[:, 0].mean()) > 1.0  # far from 0: the other data's own mean was not used

    mm = MinMaxNormalizer(per="feature").fit(train)
    np.testing.assert_allclose(
        mm.transform(other), MinMaxScaler().fit(train).transform(other), rtol=1e-5, atol=1e-5
    )


def test_shape_mismatch_and_bad_input(images: np.ndarray) -> None:
    norm = StandardNormalizer(per="feature").fit(images)
    with pytest.raises(DataError, match="shape"):
        norm.transform(images[:, :, :4])
    with pytest.raises(DataError, match="shape"):
        norm.transform_tensor(torch.zeros(2, 3, 6, 4))
    # per channel accepts other spatial sizes (the statistics broadcast)
    ch = StandardNormalizer(per="channel").fit(images)
    assert ch.transform(images[:, :, :4, :2]).shape == (16, 3, 4, 2)
    with pytest.raises(DataError):
        StandardNormalizer().fit(np.arange(5.0))
    with pytest.raises(DataError, match="empty"):
        StandardNormalizer().fit(np.zeros((0, 3)))


def test_uint8_fit_computes_in_float64() -> None:
    # 255 · 1e5 overflows uint8/float16 sums; the mean must still be exact
    x = np.full((100_000, 1), 255, dtype=np.uint8)
    x[0, 0] = 0
    norm = StandardNormalizer(per="feature").fit(x)
    assert norm.stats["mean"][0] == pytest.approx(255 * 99_999 / 100_000, rel=1e-12)
