"""Every audio augmentation honours the contract of ``trainlab.augment._base``.

The checks of tests/augment/test_conformance.py on the audio classes, with
the batches it uses (waveforms (8, 2, 40); spectrograms (8, 3, 12, 16), uint8
too), and a folder of recordings for BackgroundNoise.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import soundfile
import torch

from trainlab.augment._base import Augmentation
from trainlab.augment.audio import (
    AddNoise,
    BackgroundNoise,
    FrequencyMask,
    Gain,
    PitchShift,
    SpecAugment,
    SpeedChange,
    TimeMask,
    TimeWarp,
)

#: class → arguments that make it visibly random (the folder is added by the fixture)
STRONG: dict[type, dict] = {
    AddNoise: {"snr_db": (0.0, 20.0), "color": "pink"},
    BackgroundNoise: {"snr_db": (0.0, 20.0)},
    Gain: {"gain_db": (-12.0, 12.0)},
    SpeedChange: {"factor": (0.7, 1.3)},
    PitchShift: {"semitones": 4.0, "n_fft": 32, "hop_length": 8},
    FrequencyMask: {"max_width": 6, "masks": 2, "value": "zero"},
    TimeMask: {"max_width": 8, "masks": 2, "value": "zero"},
    TimeWarp: {"max_warp": 5},
    SpecAugment: {"freq_width": 6, "time_width": 8, "warp": 5},
}
CLASSES = list(STRONG)
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("noise")
    rng = np.random.default_rng(0)
    soundfile.write(path / "a.wav", 0.3 * rng.standard_normal(70), 16000)
    soundfile.write(path / "b.flac", 0.2 * rng.standard_normal(900), 16000)
    return str(path)


def make(cls, folder: str, **overrides) -> Augmentation:
    kwargs = dict(STRONG[cls])
    if cls is BackgroundNoise:
        kwargs["folder"] = folder
    kwargs.update(overrides)
    return cls(**kwargs)


def batch(rank: int, dtype=torch.float32, device="cpu", n: int = 8) -> torch.Tensor:
    g = torch.Generator().manual_seed(123)
    shape = (n, 3, 12, 16) if rank == 4 else (n, 2, 40)
    if dtype == torch.uint8:
        return torch.randint(0, 256, shape, generator=g, dtype=torch.uint8).to(device)
    return torch.rand(shape, generator=g).to(dtype).to(device)


def cases(cls, device="cpu"):
    for rank in cls.ranks:
        for dtype in [torch.float32, torch.float64] + ([torch.uint8] if rank == 4 else []):
            yield batch(rank, dtype, device), f"rank {rank} {dtype}"


def generator(device: str, seed: int = 0) -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


@pytest.mark.parametrize("cls", CLASSES)
def test_typed_constructor_with_defaults_and_an_example(cls):
    assert issubclass(cls, Augmentation) and cls.ranks in ((3,), (4,))
    for key, param in inspect.signature(cls.__init__).parameters.items():
        if key != "self":
            assert param.annotation is not inspect.Parameter.empty, key
            assert param.default is not inspect.Parameter.empty, key
    assert cls().p == 1.0 and "Example:" in cls.__doc__


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("cls", CLASSES)
def test_p_zero_identity_and_replay(cls, device, folder):
    for x, label in cases(cls, device):
        off = make(cls, folder, p=0.0)
        params = off.sample_params(x, generator(device))
        assert not params["apply"].any() and torch.equal(off.apply(x, params), x), label
        aug = make(cls, folder, p=0.7)
        params = aug.sample_params(x, generator(device, 1))
        first = aug.apply(x, params)
        assert torch.equal(aug.apply(x, params), first), label
        again = aug.sample_params(x, generator(device, 1))
        assert params.keys() == again.keys()
        assert all(torch.equal(params[k], again[k]) for k in params), label
        assert torch.equal(aug(x, generator(device, 1)), first), label


@pytest.mark.parametrize("cls", CLASSES)
def test_randomness_is_per_sample(cls, folder):
    aug = make(cls, folder)
    one = batch(cls.ranks[0], n=1)
    x = one.expand(16, *one.shape[1:]).contiguous()
    out = aug.apply(x, aug.sample_params(x, generator("cpu", 2)))
    assert out.flatten(1).unique(dim=0).shape[0] > 1
    half = make(cls, folder, p=0.5).sample_params(batch(cls.ranks[0], n=64), generator("cpu", 3))
    assert 0 < int(half["apply"].sum()) < 64


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("cls", CLASSES)
def test_keeps_dtype_device_shape_and_the_input(cls, device, folder):
    aug = make(cls, folder, p=0.8)
    for x, label in cases(cls, device):
        before = x.clone()
        params = aug.sample_params(x, generator(device, 4))
        assert params["apply"].dtype == torch.bool and params["apply"].shape == (x.shape[0],)
        assert all(v.device == x.device for v in params.values()), label
        out = aug.apply(x, params)
        assert (out.dtype, out.device, out.shape) == (x.dtype, x.device, x.shape), label
        assert out.data_ptr() != x.data_ptr() and torch.equal(x, before), label


@pytest.mark.parametrize("cls", CLASSES)
def test_bad_p_and_wrong_rank_are_value_errors(cls, folder):
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match=r"\bp\b"):
            cls(p=bad)
    aug = make(cls, folder)
    for rank in (2, 3, 4, 5):
        if rank not in cls.ranks:
            with pytest.raises(ValueError, match=cls.__name__):
                aug.sample_params(torch.rand(*[4] * rank), generator("cpu"))
    with pytest.raises(ValueError):
        aug.sample_params([[1.0]], generator("cpu"))
