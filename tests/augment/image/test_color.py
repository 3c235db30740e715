"""ColorJitter against torchvision's ``adjust_*`` formulas, written out."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.image.color import ColorJitter, factor_range, grayscale
from trainlab.augment.registry import AUGMENTATIONS


# -- torchvision's functional tensor ops (v0.15+), written out ---------------------------------
def tv_blend(img1: torch.Tensor, img2: torch.Tensor, ratio: float, bound: float) -> torch.Tensor:
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, bound)


def tv_gray(img: torch.Tensor) -> torch.Tensor:
    r, g, b = img.unbind(dim=-3)
    return (0.2989 * r + 0.587 * g + 0.114 * b).unsqueeze(dim=-3)


def tv_brightness(img: torch.Tensor, f: float, bound: float = 1.0) -> torch.Tensor:
    return tv_blend(img, torch.zeros_like(img), f, bound)


def tv_contrast(img: torch.Tensor, f: float, bound: float = 1.0) -> torch.Tensor:
    gray = tv_gray(img) if img.shape[-3] == 3 else img
    mean = torch.mean(gray, dim=(-3, -2, -1), keepdim=True)
    return tv_blend(img, mean, f, bound)


def tv_saturation(img: torch.Tensor, f: float, bound: float = 1.0) -> torch.Tensor:
    if img.shape[-3] == 1:
        return img
    return tv_blend(img, tv_gray(img), f, bound)


TV_OPS = {0: tv_brightness, 1: tv_contrast, 2: tv_saturation}
NAMES = {0: "brightness", 1: "contrast", 2: "saturation"}


def draw(aug: ColorJitter, x: torch.Tensor, seed: int = 0):
    params = aug.sample_params(x, torch.Generator().manual_seed(seed))
    return params, aug.apply(x, params)


@pytest.mark.parametrize("op", [0, 1, 2])
def test_each_operation_matches_torchvision(op):
    x = torch.rand(6, 3, 9, 7, generator=torch.Generator().manual_seed(1))
    aug = ColorJitter(**{NAMES[op]: 0.8}, clamp=True)
    params, out = draw(aug, x)
    factors = params[NAMES[op]]
    assert factors.unique().numel() == 6  # one factor per sample
    for i in range(6):
        expected = TV_OPS[op](x[i], float(factors[i]))
        torch.testing.assert_close(out[i], expected, atol=1e-6, rtol=1e-5)


def test_all_three_in_the_drawn_order_match_torchvision():
    x = torch.rand(8, 3, 6, 6, generator=torch.Generator().manual_seed(2))
    aug = ColorJitter(brightness=0.5, contrast=0.5, saturation=0.5, clamp=True)
    params, out = draw(aug, x, seed=3)
    orders = {tuple(o) for o in params["order"].tolist()}
    assert len(orders) > 1  # the order is drawn per sample
    for i in range(8):
        img = x[i]
        for op in params["order"][i].tolist():
            img = TV_OPS[op](img, float(params[NAMES[op]][i]))
        torch.testing.assert_close(out[i], img, atol=1e-6, rtol=1e-5)


def test_uint8_is_computed_in_float_then_rounded_and_clipped():
    x = torch.randint(0, 256, (5, 3, 8, 8), dtype=torch.uint8, generator=torch.Generator())
    aug = ColorJitter(brightness=0.6, contrast=0.6, saturation=0.6)
    params, out = draw(aug, x)
    assert out.dtype == torch.uint8
    for i in range(5):
        img = x[i].float()
        for op in params["order"][i].tolist():
            img = TV_OPS[op](img, float(params[NAMES[op]][i]), bound=255.0)
        diff = (out[i].int() - img.round().int()).abs().max()
        assert diff <= 1  # float rounding of x.5 values only


def test_float_images_are_not_clipped_unless_asked():
    x = torch.full((2, 3, 4, 4), 0.8)
    params = {
        "apply": torch.tensor([True, True]),
        "brightness": torch.tensor([2.0, 2.0]),
        "contrast": torch.ones(2),
        "saturation": torch.ones(2),
        "order": torch.tensor([[0, 1, 2], [2, 1, 0]]),
    }
    torch.testing.assert_close(ColorJitter().apply(x, params), torch.full_like(x, 1.6))
    torch.testing.assert_close(ColorJitter(clamp=True).apply(x, params), torch.ones_like(x))


def test_single_channel_images_skip_saturation_and_use_their_mean_for_contrast():
    x = torch.rand(4, 1, 5, 5, generator=torch.Generator().manual_seed(4))
    params, out = draw(ColorJitter(saturation=0.9), x)
    torch.testing.assert_close(out, x)
    params, out = draw(ColorJitter(contrast=0.9, clamp=True), x)
    for i in range(4):
        expected = tv_contrast(x[i], float(params["contrast"][i]))
        torch.testing.assert_close(out[i], expected)


def test_grayscale_weights():
    img = torch.tensor([1.0, 0.0, 0.0]).view(1, 3, 1, 1)
    assert float(grayscale(img)) == pytest.approx(0.2989)
    assert grayscale(torch.rand(2, 1, 3, 3)).shape == (2, 1, 3, 3)


def test_factors_lie_in_torchvision_ranges():
    assert factor_range("brightness", 0.5) == (0.5, 1.5)
    assert factor_range("brightness", 2.0) == (0.0, 3.0)
    assert factor_range("contrast", (0.2, 1.8)) == (0.2, 1.8)
    x = torch.rand(200, 3, 2, 2)
    params, _ = draw(ColorJitter(brightness=0.3, contrast=(0.5, 0.6)), x)
    assert params["brightness"].min() >= 0.7 and params["brightness"].max() <= 1.3
    assert params["contrast"].min() >= 0.5 and params["contrast"].max() <= 0.6
    assert torch.equal(params["saturation"], torch.ones(200))


def test_defaults_are_the_identity():
    x = torch.randn(3, 3, 4, 4)
    assert torch.equal(ColorJitter()(x, torch.Generator().manual_seed(0)), x)


@pytest.mark.parametrize("name", ["brightness", "contrast", "saturation"])
@pytest.mark.parametrize("bad", [-0.1, (1.5, 0.5), (-1.0, 1.0), "much"])
def test_bad_factors_name_the_parameter(name, bad):
    with pytest.raises(ValueError, match=name):
        ColorJitter(**{name: bad})


def test_bad_clamp_and_registration():
    with pytest.raises(ValueError, match="clamp"):
        ColorJitter(clamp="yes")
    assert AUGMENTATIONS.get("color-jitter") is ColorJitter
