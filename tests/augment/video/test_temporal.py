"""Temporal clip augmentations against loop oracles; arguments and registration."""

from __future__ import annotations

import math

import pytest
import torch

from trainlab.augment.pipeline import build_augmentation
from trainlab.augment.registry import AUGMENTATIONS
from trainlab.augment.video.temporal import ClipSpeed, FrameDrop, Reverse, TemporalJitter


def clips(n: int = 32, t: int = 7, dtype=torch.float32) -> torch.Tensor:
    x = torch.rand(n, t, 2, 3, 4, generator=torch.Generator().manual_seed(0))
    return (x * 255).to(torch.uint8) if dtype == torch.uint8 else x.to(dtype)


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def looped(x: torch.Tensor, source) -> torch.Tensor:
    """The oracle: out[i, t] = x[i, source(i, t)], clip by clip, frame by frame."""
    out = torch.empty_like(x)
    for i in range(x.shape[0]):
        for t in range(x.shape[1]):
            out[i, t] = x[i, source(i, t)]
    return out


@pytest.mark.parametrize("dtype", [torch.float32, torch.uint8])
def test_temporal_jitter_shifts_the_window_and_repeats_the_edges(dtype):
    x = clips(dtype=dtype)
    aug = TemporalJitter(max_shift=3, p=0.8)
    params = aug.sample_params(x, gen(1))
    shift, on, t = params["shift"], params["apply"], x.shape[1]
    assert set(shift[on].tolist()) == set(range(-3, 4)) and not shift[~on].any()
    expected = looped(x, lambda i, k: min(max(k + int(shift[i]), 0), t - 1))
    assert torch.equal(aug.apply(x, params), expected)
    assert torch.equal(TemporalJitter(max_shift=0)(x, gen()), x)


@pytest.mark.parametrize("dtype", [torch.float32, torch.uint8])
def test_frame_drop_shows_the_previous_kept_frame(dtype):
    x = clips(dtype=dtype)
    aug = FrameDrop(rate=0.4, p=0.9)
    params = aug.sample_params(x, gen(2))
    drop = params["drop"]
    assert not drop[:, 0].any() and not drop[~params["apply"]].any()

    def last_kept(i, k):
        while drop[i, k]:
            k -= 1
        return k

    assert torch.equal(aug.apply(x, params), looped(x, last_kept))
    many = FrameDrop(rate=0.25).sample_params(clips(n=2000, t=9), gen(3))["drop"][:, 1:]
    assert abs(many.float().mean().item() - 0.25) < 0.01
    assert torch.equal(FrameDrop(rate=0.0)(x, gen()), x)
    assert torch.equal(FrameDrop(rate=1.0)(x, gen()), x[:, :1].expand_as(x))


@pytest.mark.parametrize("dtype", [torch.float32, torch.uint8])
def test_clip_speed_resamples_about_the_centre(dtype):
    x = clips(dtype=dtype)
    aug = ClipSpeed(factor=(0.5, 2.0), p=0.8)
    params = aug.sample_params(x, gen(4))
    factor, t = params["factor"], x.shape[1]
    assert torch.equal(factor[~params["apply"]], torch.ones_like(factor[~params["apply"]]))
    assert float(factor.min()) >= 0.5 and float(factor.max()) <= 2.0
    centre = (t - 1) / 2

    def source(i, k):
        return min(max(math.floor(centre + float(factor[i]) * (k - centre) + 0.5), 0), t - 1)

    assert torch.equal(aug.apply(x, params), looped(x, source))
    five = torch.arange(5.0).view(1, 5, 1, 1, 1)
    assert ClipSpeed(factor=0.5)(five).flatten().tolist() == [1.0, 2.0, 2.0, 3.0, 3.0]
    assert ClipSpeed(factor=2.0)(five).flatten().tolist() == [0.0, 0.0, 2.0, 4.0, 4.0]
    assert torch.equal(ClipSpeed(factor=1.0)(x), x)


def test_reverse_runs_time_backwards_per_clip():
    x = clips()
    aug = Reverse()
    params = aug.sample_params(x, gen(5))
    on = params["apply"].view(-1, 1, 1, 1, 1)
    assert 0 < int(params["apply"].sum()) < x.shape[0]  # p = 0.5 by default
    assert torch.equal(aug.apply(x, params), torch.where(on, x.flip(1), x))


def test_arguments_are_checked_with_their_names():
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="max_shift"):
            TemporalJitter(max_shift=bad)
    with pytest.raises(ValueError, match="rate"):
        FrameDrop(rate=1.5)
    for bad in (0.0, (-1.0, 2.0), (2.0, 1.0), (1.0, float("inf"))):
        with pytest.raises(ValueError, match="factor"):
            ClipSpeed(factor=bad)
    with pytest.raises(ValueError, match=r"Reverse: expected a batch of clips \(N, T, C, H, W\)"):
        Reverse()(torch.rand(2, 3, 4, 4))


def test_registered_by_name_and_built_from_recipes():
    expected = {
        "temporal-jitter": TemporalJitter,
        "frame-drop": FrameDrop,
        "clip-speed": ClipSpeed,
        "reverse": Reverse,
    }
    for name, cls in expected.items():
        assert AUGMENTATIONS.get(name) is cls
    aug = build_augmentation({"name": "clip-speed", "factor": [0.9, 1.1], "p": 0.5})
    assert aug.factor == (0.9, 1.1) and aug.p == 0.5


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_on_the_gpu_the_same_draw_gives_the_same_clips():
    x = clips()
    for aug in (TemporalJitter(), FrameDrop(rate=0.3), ClipSpeed(), Reverse()):
        params = aug.sample_params(x, gen(6))
        on_gpu = {k: v.cuda() for k, v in params.items()}
        assert torch.equal(aug.apply(x.cuda(), on_gpu).cpu(), aug.apply(x, params))
