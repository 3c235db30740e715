"""Mixup and CutMix: the mixed inputs, the mixed targets, and λ."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.image.erase import box_mask
from trainlab.augment.mix import CutMix, Mixup, beta
from trainlab.augment.registry import AUGMENTATIONS


def one_hot(n: int, k: int) -> torch.Tensor:
    return torch.eye(k)[torch.arange(n) % k]


def test_mixup_inputs_and_targets_follow_the_formula():
    x = torch.rand(16, 3, 5, 5, generator=torch.Generator().manual_seed(0))
    y = one_hot(16, 4)
    aug = Mixup(alpha=0.4, p=0.75)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    lam, perm = params["lam"], params["perm"]
    assert torch.equal(perm.sort().values, torch.arange(16))
    assert ((lam >= 0) & (lam <= 1)).all()
    assert (lam[~params["apply"]] == 1).all()
    lx = lam.view(-1, 1, 1, 1)
    torch.testing.assert_close(aug.apply(x, params), lx * x + (1 - lx) * x[perm])
    y2 = aug.apply_targets(y, params)
    ly = lam.view(-1, 1)
    torch.testing.assert_close(y2, ly * y + (1 - ly) * y[perm])
    torch.testing.assert_close(y2.sum(dim=1), torch.ones(16))
    assert torch.equal(y2[~params["apply"]], y[~params["apply"]])


def test_mixup_works_on_signals_and_uint8():
    x = torch.rand(8, 2, 40)
    out = Mixup()(x, torch.Generator().manual_seed(2))
    assert out.shape == x.shape
    xb = torch.randint(0, 256, (8, 3, 4, 4), dtype=torch.uint8)
    aug = Mixup(alpha=1.0)
    params = aug.sample_params(xb, torch.Generator().manual_seed(3))
    lam = params["lam"].view(-1, 1, 1, 1)
    ref = (lam * xb.float() + (1 - lam) * xb[params["perm"]].float()).round()
    assert aug.apply(xb, params).dtype == torch.uint8
    assert (aug.apply(xb, params).int() - ref.int()).abs().max() <= 1


@pytest.mark.parametrize("alpha", [0.2, 1.0, 4.0])
def test_lambda_is_beta_distributed(alpha):
    lam = beta(20000, alpha, torch.Generator().manual_seed(4), torch.device("cpu")).double()
    assert float(lam.mean()) == pytest.approx(0.5, abs=0.01)
    var = 1 / (4 * (2 * alpha + 1))  # Var Beta(α, α)
    assert float(lam.var()) == pytest.approx(var, rel=0.05)


def test_lambda_is_reproducible_from_the_generator():
    x = torch.rand(10, 1, 4, 4)
    a = Mixup().sample_params(x, torch.Generator().manual_seed(5))
    b = Mixup().sample_params(x, torch.Generator().manual_seed(5))
    c = Mixup().sample_params(x, torch.Generator().manual_seed(6))
    assert torch.equal(a["lam"], b["lam"]) and torch.equal(a["perm"], b["perm"])
    assert not torch.equal(a["lam"], c["lam"])


def test_cutmix_lambda_is_exactly_the_kept_fraction():
    x = torch.rand(64, 3, 12, 20, generator=torch.Generator().manual_seed(7))
    y = one_hot(64, 5)
    aug = CutMix(alpha=1.0, p=0.8)
    params = aug.sample_params(x, torch.Generator().manual_seed(8))
    perm, lam, box = params["perm"], params["lam"], params["box"]
    out = aug.apply(x, params)
    region = box_mask(box, 12, 20)  # (N, 1, H, W)
    assert torch.equal(out, torch.where(region, x[perm], x))
    kept = (~region).sum(dim=(1, 2, 3)).to(torch.float32) / (12 * 20)
    assert torch.equal(lam, kept)
    assert (lam[~params["apply"]] == 1).all()
    assert (lam < 1).any() and lam.unique().numel() > 10
    top, left, h, w = box.T
    assert (
        (top >= 0).all() and (left >= 0).all() and (top + h <= 12).all() and (left + w <= 20).all()
    )
    y2 = aug.apply_targets(y, params)
    ly = lam.view(-1, 1)
    torch.testing.assert_close(y2, ly * y + (1 - ly) * y[perm])
    torch.testing.assert_close(y2.sum(dim=1), torch.ones(64))


def test_cutmix_keeps_uint8_values_exactly():
    x = torch.randint(0, 256, (6, 3, 8, 8), dtype=torch.uint8)
    aug = CutMix()
    params = aug.sample_params(x, torch.Generator().manual_seed(9))
    out = aug.apply(x, params)
    region = box_mask(params["box"], 8, 8)
    assert out.dtype == torch.uint8 and torch.equal(out, torch.where(region, x[params["perm"]], x))


@pytest.mark.parametrize("cls", [Mixup, CutMix])
def test_targets_must_be_soft_and_two_dimensional(cls):
    x = torch.rand(4, 1, 4, 4)
    aug = cls()
    params = aug.sample_params(x, torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match="targets"):
        aug.apply_targets(torch.arange(4), params)
    with pytest.raises(ValueError, match="targets"):
        aug.apply_targets(torch.eye(4, dtype=torch.long), params)


@pytest.mark.parametrize("cls", [Mixup, CutMix])
@pytest.mark.parametrize("bad", [0.0, -1.0, float("inf"), float("nan")])
def test_bad_alpha_names_the_parameter(cls, bad):
    with pytest.raises(ValueError, match="alpha"):
        cls(alpha=bad)


def test_registered_and_mixing_labels():
    assert AUGMENTATIONS.get("mixup") is Mixup and AUGMENTATIONS.get("cutmix") is CutMix
    assert Mixup.mixes_labels and CutMix.mixes_labels
    assert Mixup.ranks == (3, 4) and CutMix.ranks == (4,)
