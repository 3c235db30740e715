"""SpecAugment: warp, then frequency masks, then time masks, from one dict of parameters."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.audio.masking import FrequencyMask, TimeMask
from trainlab.augment.audio.specaugment import SpecAugment
from trainlab.augment.audio.warp import TimeWarp


def test_is_the_three_steps_in_the_papers_order():
    x = torch.rand(10, 1, 24, 50, generator=torch.Generator().manual_seed(0))
    aug = SpecAugment(freq_masks=2, freq_width=6, time_masks=1, time_width=10, warp=4, p=0.6)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    apply = params["apply"]

    def step(prefix: str) -> dict:
        own = {k.split(".", 1)[1]: v for k, v in params.items() if k.startswith(prefix)}
        return {"apply": apply, **own}

    expected = TimeWarp(4).apply(x, step("warp."))
    expected = FrequencyMask(6, 2).apply(expected, step("freq."))
    expected = TimeMask(10, 1).apply(expected, step("time."))
    assert torch.equal(aug.apply(x, params), expected)
    assert torch.equal(aug.apply(x, params)[~apply], x[~apply])
    assert (params["warp.shift"][~apply] == 0).all() and (params["time.width"][~apply] == 0).all()


def test_warp_zero_switches_the_warp_off():
    x = torch.rand(6, 1, 16, 30)
    aug = SpecAugment(freq_masks=0, time_masks=0, warp=0)
    params = aug.sample_params(x, torch.Generator().manual_seed(2))
    assert not any(key.startswith("warp.") for key in params)
    assert torch.equal(aug.apply(x, params), x)


def test_bad_arguments_name_their_own_argument():
    for kwargs, name in [
        ({"freq_width": -1}, "freq_width"),
        ({"time_masks": 0.5}, "time_masks"),
        ({"max_fraction": 2.0}, "max_fraction"),
        ({"warp": -3}, "warp"),
    ]:
        with pytest.raises(ValueError, match=f"^{name}:"):
            SpecAugment(**kwargs)
