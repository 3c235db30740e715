"""RandomResizedCrop: torchvision's box draw, and crop-then-interpolate as the oracle."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from trainlab.augment.image.crop import RandomResizedCrop, crop_resize
from trainlab.augment.registry import AUGMENTATIONS


def oracle(x: torch.Tensor, box: list[int]) -> torch.Tensor:
    top, left, h, w = box
    crop = x[..., top : top + h, left : left + w]
    return F.interpolate(crop, size=x.shape[-2:], mode="bilinear", align_corners=False)


@pytest.mark.parametrize("box", [[2, 3, 10, 7], [0, 0, 1, 1], [5, 0, 11, 20], [0, 19, 16, 1]])
def test_one_fixed_box_equals_crop_then_interpolate(box):
    x = torch.rand(1, 3, 16, 20, generator=torch.Generator().manual_seed(0))
    out = crop_resize(x, torch.tensor([box]))
    torch.testing.assert_close(out, oracle(x, box), atol=1e-5, rtol=1e-5)


def test_per_sample_boxes_in_one_warp():
    x = torch.rand(3, 2, 12, 12, generator=torch.Generator().manual_seed(1))
    boxes = [[0, 0, 12, 12], [1, 2, 5, 9], [6, 6, 6, 6]]
    params = {"apply": torch.tensor([True, True, True]), "box": torch.tensor(boxes)}
    out = RandomResizedCrop().apply(x, params)
    for i, box in enumerate(boxes):
        torch.testing.assert_close(out[i : i + 1], oracle(x[i : i + 1], box), atol=1e-5, rtol=0)
    torch.testing.assert_close(out[0], x[0], atol=1e-6, rtol=0)  # the full box


def test_drawn_boxes_follow_torchvision_constraints():
    x = torch.zeros(500, 1, 32, 48)
    aug = RandomResizedCrop(scale=(0.2, 0.8), ratio=(0.5, 2.0))
    params = aug.sample_params(x, torch.Generator().manual_seed(2))
    top, left, h, w = params["box"].T
    assert params["box"].dtype == torch.long
    assert (h > 0).all() and (w > 0).all()
    assert (top >= 0).all() and (left >= 0).all()
    assert (top + h <= 32).all() and (left + w <= 48).all()
    area = (h * w).double() / (32 * 48)
    # rounding of the sides moves the area and the ratio a little
    assert area.min() >= 0.2 * 0.8 and area.max() <= 0.8 * 1.2
    ratio = w.double() / h.double()
    assert ratio.min() >= 0.5 * 0.8 and ratio.max() <= 2.0 * 1.25
    assert params["box"].unique(dim=0).shape[0] > 400  # per-sample boxes
    # the position is uniform: both ends of the free range are reached somewhere
    assert (top == 0).any() and (left == 0).any()


def test_sizes_are_rounded_as_torchvision():
    x = torch.zeros(64, 1, 30, 30)
    aug = RandomResizedCrop(scale=(0.5, 0.5), ratio=(1.0, 1.0))
    params = aug.sample_params(x, torch.Generator().manual_seed(3))
    side = round(math.sqrt(0.5 * 900))
    assert (params["box"][:, 2:] == side).all()


def test_fallback_is_the_central_crop_with_the_ratio_clipped():
    x = torch.zeros(4, 1, 20, 20)
    aug = RandomResizedCrop(scale=(1.0, 1.0), ratio=(2.0, 2.0))  # never fits
    params = aug.sample_params(x, torch.Generator().manual_seed(4))
    assert params["box"].tolist() == [[5, 0, 10, 20]] * 4


def test_uint8_equals_the_rounded_float_result():
    x = torch.randint(0, 256, (4, 3, 16, 16), dtype=torch.uint8, generator=torch.Generator())
    aug = RandomResizedCrop()
    params = aug.sample_params(x, torch.Generator().manual_seed(5))
    out = aug.apply(x, params)
    assert out.dtype == torch.uint8
    ref = aug.apply(x.float(), params).round().clamp(0, 255)
    assert (out.int() - ref.int()).abs().max() <= 1


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"scale": (0.0, 1.0)}, "scale"),
        ({"scale": (0.5, 1.5)}, "scale"),
        ({"scale": (0.9, 0.1)}, "scale"),
        ({"ratio": (0.0, 1.0)}, "ratio"),
        ({"ratio": "wide"}, "ratio"),
    ],
)
def test_bad_values_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        RandomResizedCrop(**kwargs)


def test_registered():
    assert AUGMENTATIONS.get("random-resized-crop") is RandomResizedCrop
