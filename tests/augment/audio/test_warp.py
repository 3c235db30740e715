"""TimeWarp: the piecewise-linear warp of SpecAugment; w = 0 is the identity, ends stay."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.augment.audio.warp import TimeWarp, time_warp, warp_positions


def warp_oracle(x: np.ndarray, w0: int, w: int) -> np.ndarray:
    """numpy: the time axis mapped through the polyline (0→0, w0+w→w0, τ−1→τ−1), interpolated."""
    frames = x.shape[-1]
    src = np.interp(np.arange(frames), [0, w0 + w, frames - 1], [0, w0, frames - 1])
    return np.stack([np.interp(src, np.arange(frames), row) for row in x])


@pytest.mark.parametrize(("w0", "w"), [(10, 3), (10, -4), (6, 5), (20, -5), (6, -5), (19, 5)])
def test_equals_the_polyline_oracle_and_the_column_lands_at_w0_plus_w(w0, w):
    x = torch.rand(1, 1, 7, 26, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    out = time_warp(x, torch.tensor([w0]), torch.tensor([w]))
    np.testing.assert_allclose(out[0, 0].numpy(), warp_oracle(x[0, 0].numpy(), w0, w), atol=1e-9)
    torch.testing.assert_close(out[..., w0 + w], x[..., w0])
    torch.testing.assert_close(out[..., [0, -1]], x[..., [0, -1]])  # ends fixed


def test_zero_warp_is_the_identity_and_positions_are_monotone():
    x = torch.rand(8, 2, 5, 30)
    params = {
        "apply": torch.ones(8, dtype=torch.bool),
        "center": torch.arange(8) + 10,
        "shift": torch.zeros(8, dtype=torch.long),
    }
    assert torch.equal(TimeWarp().apply(x, params), x)
    src = warp_positions(torch.tensor([5, 12]), torch.tensor([4, -5]), 20)
    assert (src.diff(dim=1) > 0).all()


def test_draws_stay_within_the_paper_ranges_and_shrink_on_short_clips():
    x = torch.zeros(1000, 1, 4, 30)
    params = TimeWarp(max_warp=5, p=0.5).sample_params(x, torch.Generator().manual_seed(1))
    c, w = params["center"], params["shift"]
    assert c.min() == 6 and c.max() == 23  # w0 in (W, τ − 1 − W)
    assert set(w[params["apply"]].tolist()) == set(range(-5, 6))
    assert (w[~params["apply"]] == 0).all()
    short = TimeWarp(max_warp=5).sample_params(torch.zeros(200, 1, 4, 7))
    assert short["shift"].abs().max() == 2  # W shrinks to (7 − 2) // 2


def test_bad_max_warp_names_itself():
    with pytest.raises(ValueError, match="max_warp"):
        TimeWarp(max_warp=-1)
