"""Gain: x · 10^(g/20) with g drawn per sample in [low, high] dB."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.audio.gain import Gain


def test_gain_in_db_is_the_power_ratio_and_bounded():
    x = torch.randn(32, 1, 500, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    aug = Gain(gain_db=(-12.0, 6.0), p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    out = aug.apply(x, params)
    measured = 10 * torch.log10(out.square().mean((1, 2)) / x.square().mean((1, 2)))
    torch.testing.assert_close(measured, params["gain_db"].double(), atol=1e-5, rtol=0)
    g = params["gain_db"][params["apply"]]
    assert g.min() >= -12 and g.max() <= 6 and g.unique().numel() == g.numel()
    assert (params["gain_db"][~params["apply"]] == 0).all()
    assert torch.equal(out[~params["apply"]], x[~params["apply"]])


def test_bad_range_names_gain_db():
    with pytest.raises(ValueError, match="gain_db"):
        Gain(gain_db=(6, -6))
