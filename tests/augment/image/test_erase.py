"""RandomErasing and Cutout fill exactly the drawn box."""

from __future__ import annotations

import math

import pytest
import torch

from trainlab.augment.image.erase import Cutout, RandomErasing, box_mask
from trainlab.augment.registry import AUGMENTATIONS


def expected_fill(x: torch.Tensor, params: dict, fill) -> torch.Tensor:
    """The oracle: a loop over samples writing each box by slicing."""
    out = x.clone()
    fill = torch.as_tensor(fill, dtype=x.dtype)
    for i, (top, left, h, w) in enumerate(params["box"].tolist()):
        if params["apply"][i]:
            region = out[i, :, top : top + h, left : left + w]
            region[...] = fill if fill.ndim == 0 else fill[i, :, top : top + h, left : left + w]
    return out


def test_box_mask():
    mask = box_mask(torch.tensor([[1, 2, 2, 3], [0, 0, 0, 0]]), 4, 6)
    assert mask.shape == (2, 1, 4, 6)
    assert mask[0].sum() == 6 and mask[0, 0, 1:3, 2:5].all()
    assert not mask[1].any()


def test_erasing_fills_exactly_the_drawn_box():
    x = torch.rand(32, 3, 20, 24, generator=torch.Generator().manual_seed(0)) + 1
    aug = RandomErasing(value=-0.5, p=0.7)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    out = aug.apply(x, params)
    assert torch.equal(out, expected_fill(x, params, -0.5))
    erased = (out == -0.5).sum(dim=(1, 2, 3))
    applied = params["apply"]
    boxes = params["box"]
    assert torch.equal(erased[applied], 3 * boxes[applied, 2] * boxes[applied, 3])
    assert (erased[~applied] == 0).all()


def test_erasing_boxes_follow_torchvision_constraints():
    x = torch.zeros(400, 1, 30, 40)
    aug = RandomErasing(scale=(0.05, 0.3), ratio=(0.5, 2.0), p=1.0)
    top, left, h, w = aug.sample_params(x, torch.Generator().manual_seed(2))["box"].T
    assert (h < 30).all() and (w < 40).all()
    assert (top >= 0).all() and (left >= 0).all()
    assert (top + h <= 30).all() and (left + w <= 40).all()
    area = (h * w).double() / 1200
    assert area.min() >= 0.05 * 0.7 and area.max() <= 0.3 * 1.3
    ratio = h.double() / w.double()  # torchvision's ratio is height / width here
    assert ratio.min() >= 0.5 * 0.7 and ratio.max() <= 2.0 * 1.4
    side = round(math.sqrt(0.05 * 1200))
    assert side > 0


def test_erasing_leaves_a_sample_alone_when_no_try_fits():
    x = torch.ones(5, 1, 8, 8)
    aug = RandomErasing(scale=(1.0, 1.0), ratio=(1.0, 1.0), p=1.0)  # h = H is never < H
    assert torch.equal(aug(x, torch.Generator().manual_seed(0)), x)


def test_random_value_fills_with_the_drawn_noise():
    x = torch.ones(8, 3, 16, 16)
    aug = RandomErasing(value="random", p=1.0)
    params = aug.sample_params(x, torch.Generator().manual_seed(3))
    assert params["noise"].shape == x.shape
    assert torch.equal(aug.apply(x, params), expected_fill(x, params, params["noise"]))
    xb = torch.zeros(8, 3, 16, 16, dtype=torch.uint8)
    params = aug.sample_params(xb, torch.Generator().manual_seed(3))
    assert params["noise"].dtype == torch.uint8 and int(params["noise"].max()) > 200


def test_uint8_value_is_rounded_and_clipped():
    x = torch.zeros(4, 3, 10, 10, dtype=torch.uint8)
    out = RandomErasing(value=300.0, p=1.0)(x, torch.Generator().manual_seed(4))
    assert out.dtype == torch.uint8 and set(out.unique().tolist()) <= {0, 255}
    assert (out == 255).any()


def test_cutout_is_a_clipped_square_of_the_given_side():
    x = torch.rand(200, 2, 20, 30, generator=torch.Generator().manual_seed(5)) + 1
    aug = Cutout(size=0.3, value=0.0)
    params = aug.sample_params(x, torch.Generator().manual_seed(6))
    out = aug.apply(x, params)
    assert torch.equal(out, expected_fill(x, params, 0.0))
    top, left, h, w = params["box"].T
    side = 6  # round(0.3 · min(20, 30))
    assert (h <= side).all() and (w <= side).all() and (h > 0).all() and (w > 0).all()
    inside = (top > 0) & (top + h < 20) & (left > 0) & (left + w < 30)
    assert inside.any() and (h[inside] == side).all() and (w[inside] == side).all()
    clipped = (top == 0) | (left == 0) | (top + h == 20) | (left + w == 30)
    assert (h[clipped] * w[clipped] < side * side).any()  # squares hang over the border


def test_cutout_uint8_and_value():
    x = torch.full((3, 1, 8, 8), 7, dtype=torch.uint8)
    out = Cutout(size=0.5, value=128)(x, torch.Generator().manual_seed(7))
    assert out.dtype == torch.uint8 and set(out.unique().tolist()) == {7, 128}


@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (RandomErasing, {"scale": (-0.1, 0.3)}, "scale"),
        (RandomErasing, {"scale": (0.1, 1.3)}, "scale"),
        (RandomErasing, {"ratio": (0.0, 2.0)}, "ratio"),
        (RandomErasing, {"value": "noise"}, "value"),
        (RandomErasing, {"value": None}, "value"),
        (Cutout, {"size": 0.0}, "size"),
        (Cutout, {"size": 1.5}, "size"),
        (Cutout, {"value": "random"}, "value"),
    ],
)
def test_bad_values_name_the_parameter(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(**kwargs)


def test_registered():
    assert AUGMENTATIONS.get("random-erasing") is RandomErasing
    assert AUGMENTATIONS.get("cutout") is Cutout
