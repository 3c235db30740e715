"""TimeShift and TimeScale along the time axis of (N, C, L) signals."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.augment.registry import AUGMENTATIONS
from trainlab.augment.signal.time import TimeScale, TimeShift, time_scale, time_shift


def shifted_copy(x: torch.Tensor, s: int) -> torch.Tensor:
    """The oracle: zeros, then the signal moved right by s (left for s < 0)."""
    out = torch.zeros_like(x)
    if s >= 0:
        out[..., s:] = x[..., : x.shape[-1] - s]
    else:
        out[..., :s] = x[..., -s:]
    return out


@pytest.mark.parametrize("s", [0, 1, 3, -2, -7, 10, -12])
def test_integer_shift_with_zeros_equals_a_shifted_copy(s):
    x = torch.rand(1, 2, 10, generator=torch.Generator().manual_seed(0)) + 1
    assert torch.equal(time_shift(x, torch.tensor([s]), "zeros"), shifted_copy(x, s))


@pytest.mark.parametrize("s", [2, -3])
def test_border_and_circular_padding(s):
    x = torch.rand(1, 1, 8, generator=torch.Generator().manual_seed(1))
    assert torch.equal(time_shift(x, torch.tensor([s]), "circular"), torch.roll(x, s, dims=-1))
    out = time_shift(x, torch.tensor([s]), "border")
    idx = (torch.arange(8) - s).clamp(0, 7)
    assert torch.equal(out, x[..., idx])


def test_shifts_are_per_sample_and_bounded():
    x = torch.rand(64, 1, 40)
    aug = TimeShift(max_shift=0.1, p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(2))
    shift = params["shift"]
    assert shift.dtype == torch.long and shift.abs().max() <= 4 and shift.unique().numel() > 5
    assert (shift[~params["apply"]] == 0).all()
    out = aug.apply(x, params)
    for i in range(64):
        assert torch.equal(out[i], shifted_copy(x[i : i + 1], int(shift[i]))[0])


def interp_oracle(x: np.ndarray, f: float, padding: str) -> np.ndarray:
    """Linear resampling about the centre with numpy: x'(t) = x(c + (t − c) / f)."""
    length = x.shape[-1]
    c = (length - 1) / 2
    pos = c + (np.arange(length) - c) / f
    if padding == "border":
        return np.interp(pos, np.arange(length), x)
    padded = np.concatenate([[0.0], x, [0.0]])
    return np.interp(pos, np.arange(-1, length + 1), padded, left=0.0, right=0.0)


@pytest.mark.parametrize("padding", ["zeros", "border"])
@pytest.mark.parametrize("f", [0.7, 0.9, 1.0, 1.13, 1.6])
def test_time_scale_is_linear_resampling_about_the_centre(f, padding):
    x = torch.rand(1, 1, 40, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    out = time_scale(x, torch.tensor([f], dtype=torch.float64), padding)
    expected = interp_oracle(x[0, 0].numpy(), f, padding)
    np.testing.assert_allclose(out[0, 0].numpy(), expected, atol=1e-9)


def test_time_scale_draws_factors_per_sample():
    x = torch.rand(32, 3, 40, dtype=torch.float64)
    aug = TimeScale(scale=(0.8, 1.2), p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(4))
    factor = params["factor"]
    assert factor.min() >= 0.8 and factor.max() <= 1.2
    assert (factor[~params["apply"]] == 1).all() and factor.unique().numel() > 5
    out = aug.apply(x, params)
    for i in range(0, 32, 7):
        for ch in range(3):
            expected = interp_oracle(x[i, ch].numpy(), float(factor[i]), "zeros")
            if params["apply"][i]:
                np.testing.assert_allclose(out[i, ch].numpy(), expected, atol=1e-6)
            else:
                assert torch.equal(out[i, ch], x[i, ch])


def test_signals_only():
    with pytest.raises(ValueError, match="N, C, L"):
        TimeShift()(torch.rand(2, 1, 4, 4))
    with pytest.raises(ValueError, match="N, C, L"):
        TimeScale()(torch.rand(2, 1, 4, 4))


@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (TimeShift, {"max_shift": -0.1}, "max_shift"),
        (TimeShift, {"max_shift": 1.5}, "max_shift"),
        (TimeShift, {"padding": "reflect"}, "padding"),
        (TimeScale, {"scale": (0.0, 1.0)}, "scale"),
        (TimeScale, {"scale": (1.2, 0.8)}, "scale"),
        (TimeScale, {"padding": "circular"}, "padding"),
    ],
)
def test_bad_values_name_the_parameter(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(**kwargs)


def test_registered():
    assert AUGMENTATIONS.get("time-shift") is TimeShift
    assert AUGMENTATIONS.get("time-scale") is TimeScale
    assert TimeShift.ranks == (3,) and TimeScale.ranks == (3,)
