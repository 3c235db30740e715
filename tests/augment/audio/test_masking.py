"""FrequencyMask and TimeMask: SpecAugment's bands, exactly where the parameters say."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.audio.masking import FrequencyMask, TimeMask


def masked_oracle(x, start, width, axis, value):
    """A loop over samples and bands: the bands set to value (or to the example's mean)."""
    out = x.clone()
    for i in range(x.shape[0]):
        fill = x[i].mean() if value == "mean" else 0.0
        for s, w in zip(start[i].tolist(), width[i].tolist(), strict=True):
            if axis == -2:
                out[i, :, s : s + w, :] = fill
            else:
                out[i, :, :, s : s + w] = fill
    return out


@pytest.mark.parametrize("value", ["mean", "zero"])
@pytest.mark.parametrize("cls", [FrequencyMask, TimeMask])
def test_bands_are_filled_exactly_as_drawn(cls, value):
    x = torch.rand(12, 2, 20, 30, generator=torch.Generator().manual_seed(0)) + 1
    aug = cls(max_width=7, masks=3, value=value, p=0.7)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    out = aug.apply(x, params)
    expected = masked_oracle(x, params["start"], params["width"], cls.axis, value)
    torch.testing.assert_close(out, expected, atol=1e-6, rtol=0)
    assert (params["width"][~params["apply"]] == 0).all()


def test_widths_cover_zero_to_the_maximum_and_bands_fit():
    x = torch.zeros(2000, 1, 10, 50)
    params = FrequencyMask(max_width=4, masks=1).sample_params(x, torch.Generator().manual_seed(2))
    width, start = params["width"][:, 0], params["start"][:, 0]
    assert set(width.tolist()) == {0, 1, 2, 3, 4}  # f ~ U{0, …, F}
    assert (start >= 0).all() and (start + width <= 10).all()
    assert start[width == 4].unique().numel() == 7  # every place the band fits


def test_time_masks_are_no_wider_than_the_fraction_of_frames():
    x = torch.zeros(500, 1, 8, 40)
    params = TimeMask(max_width=30, masks=2, max_fraction=0.2).sample_params(x)
    assert int(params["width"].max()) == 8  # 0.2 · 40
    wide = FrequencyMask(max_width=99).sample_params(torch.zeros(200, 1, 6, 5))
    assert int(wide["width"].max()) == 6  # no wider than the rows there are


def test_bad_arguments_name_themselves():
    for kwargs, name in [
        ({"max_width": -1}, "max_width"),
        ({"masks": 1.5}, "masks"),
        ({"value": "max"}, "value"),
        ({"max_fraction": 1.5}, "max_fraction"),
    ]:
        with pytest.raises(ValueError, match=name):
            TimeMask(**kwargs)
