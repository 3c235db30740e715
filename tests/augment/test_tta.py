"""Test-time augmentation views and averaged probabilities."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.tta import shift_zero, tta_probabilities, tta_views


def linear_model(k: int, features: int):
    weight = torch.randn(features, k, generator=torch.Generator().manual_seed(0))
    return lambda b: b.flatten(1) @ weight


def test_no_views_is_the_plain_softmax():
    x = torch.randn(5, 3, 4, 4)
    model = linear_model(7, 48)
    views = tta_views(x)
    assert len(views) == 1 and views[0] is x
    probs = tta_probabilities(model, x, flip=False, shift=0)
    torch.testing.assert_close(probs, torch.softmax(model(x), dim=-1))


def test_image_views_flip_and_zero_filled_shifts():
    x = torch.arange(1.0, 13.0).view(1, 1, 3, 4)
    views = tta_views(x, flip=True, shift=1)
    assert len(views) == 6
    assert torch.equal(views[1], x.flip(-1))
    down, up, right, left = views[2:]
    assert torch.equal(down[0, 0, 0], torch.zeros(4)) and torch.equal(down[0, 0, 1:], x[0, 0, :2])
    assert torch.equal(up[0, 0, -1], torch.zeros(4)) and torch.equal(up[0, 0, :2], x[0, 0, 1:])
    assert torch.equal(right[..., 0], torch.zeros(1, 1, 3))
    assert torch.equal(right[..., 1:], x[..., :3])
    assert torch.equal(left[..., -1], torch.zeros(1, 1, 3))
    assert torch.equal(left[..., :3], x[..., 1:])
    for v in views:
        assert v.shape == x.shape and v.dtype == x.dtype


def test_signal_views_shift_along_time_and_never_flip():
    x = torch.arange(1.0, 6.0).view(1, 1, 5)
    views = tta_views(x, flip=True, shift=2)
    assert [v.flatten().tolist() for v in views] == [
        [1.0, 2.0, 3.0, 4.0, 5.0],
        [0.0, 0.0, 1.0, 2.0, 3.0],
        [3.0, 4.0, 5.0, 0.0, 0.0],
    ]


def test_probabilities_are_the_mean_softmax_over_views():
    x = torch.randn(6, 2, 5, 5)
    model = linear_model(3, 50)
    views = tta_views(x, flip=True, shift=2)
    expected = torch.stack([torch.softmax(model(v), dim=-1) for v in views]).mean(dim=0)
    got = tta_probabilities(model, x, flip=True, shift=2)
    torch.testing.assert_close(got, expected)
    torch.testing.assert_close(got.sum(dim=1), torch.ones(6))


def test_input_is_not_changed_and_uint8_views_keep_their_dtype():
    x = torch.randint(1, 256, (2, 3, 6, 6), dtype=torch.uint8)
    before = x.clone()
    views = tta_views(x, flip=True, shift=3)
    assert torch.equal(x, before)
    assert all(v.dtype == torch.uint8 for v in views)


def test_shift_larger_than_the_size_gives_zeros():
    x = torch.ones(1, 1, 3)
    assert torch.equal(shift_zero(x, 5, 2), torch.zeros_like(x))
    assert torch.equal(shift_zero(x, -5, 2), torch.zeros_like(x))


def test_low_precision_logits_average_in_float32():
    x = torch.randn(3, 1, 8)
    probs = tta_probabilities(lambda b: b.flatten(1).half(), x, shift=1)
    assert probs.dtype == torch.float32


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_shift(bad):
    with pytest.raises(ValueError, match="shift"):
        tta_views(torch.zeros(1, 1, 4), shift=bad)


def test_other_ranks_allow_no_views():
    x = torch.randn(4, 10)
    assert tta_views(x) == [x]
    with pytest.raises(ValueError, match="N, C"):
        tta_views(x, flip=True)
    with pytest.raises(ValueError, match="N, C"):
        tta_views(x, shift=1)
