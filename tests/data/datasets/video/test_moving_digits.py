"""Moving digits: shapes, balance, the motion the label names, and determinism."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.image.digits import _mnist
from trainlab.data.datasets.video.moving_digits import STEPS, load_moving_digits


@pytest.fixture(scope="module")
def bundle():
    return load_dataset("moving-digits", {"n": 200})


def _centre(frame: np.ndarray) -> np.ndarray:
    """The centre of mass (row, column) of one (H, W) frame."""
    w = frame.astype(np.float64)
    rows, cols = np.indices(w.shape)
    return np.array([(rows * w).sum(), (cols * w).sum()]) / w.sum()


def test_shapes_types_and_targets(bundle) -> None:
    x = bundle.train.x
    assert x.shape == (200, 20, 1, 64, 64) and x.dtype == np.uint8
    assert bundle.modality == "video" and bundle.test is None
    assert bundle.classes == ["right", "left", "down", "up"]
    assert [t.name for t in bundle.targets] == ["direction", "digit"]
    assert bundle.train.extra["digit"].min() >= 0 and bundle.train.extra["digit"].max() <= 9
    assert len(np.unique(bundle.train.extra["digit"])) == 10


def test_directions_are_balanced(bundle) -> None:
    assert np.bincount(bundle.train.y, minlength=4).tolist() == [50, 50, 50, 50]
    odd = load_moving_digits(n=10, frames=8)
    assert sorted(np.bincount(odd.train.y, minlength=4).tolist()) == [2, 2, 3, 3]


def test_every_frame_shows_the_labelled_digit_whole(bundle) -> None:
    images, labels = _mnist()
    ink = images[:, 0].astype(np.int64).sum(axis=(1, 2))
    sums = bundle.train.x.astype(np.int64).sum(axis=(2, 3, 4))  # (N, F)
    digit = bundle.train.extra["digit"]
    # each clip's ink is one MNIST image of its digit label, in every frame (never cut off)
    for i in range(0, 200, 17):
        (match,) = np.nonzero((ink == sums[i, 0]) & (labels == digit[i]))
        assert len(match) >= 1
        assert np.all(sums[i] == sums[i, 0])


def test_the_centre_moves_speed_times_moving_in_the_labelled_direction(bundle) -> None:
    x, y = bundle.train.x[:, :, 0], bundle.train.y
    for i in range(200):
        shift = _centre(x[i, -1]) - _centre(x[i, 0])
        np.testing.assert_allclose(shift, STEPS[y[i]] * 4 * 6, atol=1e-9)


def test_the_digit_is_still_before_and_after_moving_frames_in_a_row(bundle) -> None:
    x = bundle.train.x[:, :, 0].astype(np.int16)
    changed = np.abs(np.diff(x, axis=1)).reshape(200, 19, -1).any(axis=2)  # (N, F-1)
    assert np.all(changed.sum(axis=1) == 6)
    first = changed.argmax(axis=1)
    for i in range(200):  # identical frames before the motion and after it
        assert changed[i, first[i] : first[i] + 6].all()
        assert np.array_equal(x[i, 0], x[i, first[i]])
        assert np.array_equal(x[i, -1], x[i, first[i] + 6])
    assert len(np.unique(first)) > 5  # the motion starts at different frames


def test_options_change_the_motion() -> None:
    b = load_moving_digits(n=8, frames=5, size=40, moving=2, speed=3, seed=4)
    assert b.train.x.shape == (8, 5, 1, 40, 40)
    for clip, label in zip(b.train.x[:, :, 0], b.train.y, strict=True):
        np.testing.assert_allclose(_centre(clip[-1]) - _centre(clip[0]), STEPS[label] * 6)


def test_deterministic_for_a_seed_and_different_across_seeds() -> None:
    a = load_moving_digits(n=40, seed=3)
    b = load_moving_digits(n=40, seed=3)
    c = load_moving_digits(n=40, seed=4)
    np.testing.assert_array_equal(a.train.x, b.train.x)
    np.testing.assert_array_equal(a.train.y, b.train.y)
    assert not np.array_equal(a.train.x, c.train.x)


def test_options_out_of_range() -> None:
    with pytest.raises(ConfigError, match="frames: expected at least moving"):
        load_moving_digits(n=4, frames=6, moving=6)
    with pytest.raises(ConfigError, match="size: expected at least 52"):
        load_moving_digits(n=4, size=50)
    with pytest.raises(ConfigError, match="speed"):
        load_moving_digits(n=4, speed=0)
    with pytest.raises(ConfigError, match=r"\bn\b"):
        load_moving_digits(n=0)
