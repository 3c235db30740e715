"""Every registered augmentation honours the contract of ``trainlab.augment._base``.

p = 0 is the identity (on the targets too for label-mixing augmentations), a
draw replays, randomness is per sample, dtype, device and shape are kept,
the input is never changed in place, and bad ``p`` or a batch of the wrong
rank raise ``ValueError``. The video augmentations (rank 5: clips (N, T, C, H, W))
are checked alike, and so is every image augmentation run per clip
(``PerClip``), where a sample is a clip.
"""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path

import pytest
import torch

import trainlab.augment.image.color
import trainlab.augment.image.crop
import trainlab.augment.image.erase
import trainlab.augment.mix
import trainlab.augment.noise
import trainlab.augment.signal.time  # registers the augmentations above
from trainlab.augment._base import Augmentation
from trainlab.augment.registry import AUGMENTATIONS
from trainlab.augment.video.per_clip import PerClip

try:  # written separately: conform when it is there
    import trainlab.augment.image.affine  # noqa: F401
except ModuleNotFoundError as exc:
    if exc.name != "trainlab.augment.image.affine":
        raise

NAMES = AUGMENTATIONS.names()
#: the image augmentations, each also checked wrapped in PerClip on clips
WRAPPED = [f"per-clip:{name}" for name in NAMES if 4 in AUGMENTATIONS.get(name).ranks]


def _noise_folder() -> Path:
    """A folder with one noise recording, for background-noise."""
    import numpy as np

    sf = pytest.importorskip("soundfile")
    folder = Path(tempfile.mkdtemp(prefix="trainlab-noise-"))
    sf.write(folder / "a.wav", 0.3 * np.random.default_rng(0).standard_normal(900), 16000)
    return folder


NOISE_DIR = _noise_folder()

#: arguments that make an augmentation visibly random (its defaults may be the identity)
STRONG: dict[str, dict] = {
    "color-jitter": {"brightness": 0.5, "contrast": 0.5, "saturation": 0.5},
    "random-resized-crop": {"scale": (0.2, 0.9)},
    "random-erasing": {"value": 0.0},
    "cutout": {"size": 0.5},
    "gaussian-noise": {"std": 0.2},
    "mixup": {"alpha": 1.0},
    "cutmix": {"alpha": 1.0},
    "time-shift": {"max_shift": 0.2},
    "time-scale": {"scale": (0.7, 1.3)},
    "add-noise": {"snr_db": (0.0, 20.0), "color": "pink"},
    "gain": {"gain_db": (-12.0, 12.0)},
    "speed": {"factor": (0.7, 1.3)},
    "pitch": {"semitones": 4.0, "n_fft": 32, "hop_length": 8},
    "freq-mask": {"max_width": 6, "masks": 2, "value": "zero"},
    "time-mask": {"max_width": 8, "masks": 2, "value": "zero"},
    "time-warp": {"max_warp": 5},
    "spec-augment": {"freq_width": 6, "time_width": 8, "warp": 5},
    "background-noise": {"snr_db": (0.0, 20.0), "folder": str(NOISE_DIR)},
    "frame-drop": {"rate": 0.3},
    "clip-speed": {"factor": (0.5, 2.0)},
}
#: the video augmentations (tests/augment/video/ has their own oracles)
VIDEO = ("temporal-jitter", "frame-drop", "clip-speed", "reverse")
#: augmentations whose only random choice is the coin ``p``
COIN_ONLY = ("reverse",)
#: the audio augmentations (tests/augment/audio/ has their own oracles)
AUDIO = (
    "add-noise",
    "background-noise",
    "gain",
    "speed",
    "pitch",
    "freq-mask",
    "time-mask",
    "time-warp",
    "spec-augment",
)
#: guesses for augmentations written elsewhere, kept where the constructor takes them
GUESSES: dict = {"rotation": 30.0, "translate": 0.2, "scale": (0.7, 1.3), "shear": 15.0}

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def make(name: str, **overrides) -> Augmentation:
    """The augmentation ``name``; ``per-clip:name`` is that image augmentation in PerClip."""
    if name.startswith("per-clip:"):
        return PerClip(make(name.removeprefix("per-clip:"), **overrides))
    cls = AUGMENTATIONS.get(name)
    if name in STRONG:
        kwargs = dict(STRONG[name])
    else:
        accepted = inspect.signature(cls.__init__).parameters
        kwargs = {k: v for k, v in GUESSES.items() if k in accepted}
    kwargs.update(overrides)
    return cls(**kwargs)


def batch(rank: int, dtype: torch.dtype = torch.float32, device: str = "cpu", n: int = 8):
    g = torch.Generator().manual_seed(123)
    shape = {5: (n, 5, 3, 12, 16), 4: (n, 3, 12, 16), 3: (n, 2, 40)}[rank]
    if dtype == torch.uint8:
        x = torch.randint(0, 256, shape, generator=g, dtype=torch.uint8)
    else:
        x = torch.rand(shape, generator=g).to(dtype)
    return x.to(device)


def generator(device: str, seed: int = 0) -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def cases(name: str, device: str = "cpu"):
    """(batch, label) for every rank and dtype the augmentation must accept."""
    ranks = make(name).ranks
    for rank in ranks:
        dtypes = [torch.float32, torch.float64] + ([torch.uint8] if rank >= 4 else [])
        for dtype in dtypes:
            yield batch(rank, dtype, device), f"rank {rank} {dtype}"


def soft_targets(n: int, k: int = 5) -> torch.Tensor:
    return torch.softmax(torch.randn(n, k, generator=torch.Generator().manual_seed(9)), dim=1)


def test_the_expected_augmentations_are_registered():
    expected = {
        "color-jitter",
        "random-resized-crop",
        "random-erasing",
        "cutout",
        "gaussian-noise",
        "mixup",
        "cutmix",
        "time-shift",
        "time-scale",
        *AUDIO,
        *VIDEO,
    }
    assert expected <= set(NAMES)
    assert {"per-clip:affine", "per-clip:mixup", "per-clip:cutmix"} <= set(WRAPPED)


@pytest.mark.parametrize("name", NAMES)
def test_is_an_augmentation_with_a_typed_constructor(name):
    cls = AUGMENTATIONS.get(name)
    assert issubclass(cls, Augmentation)
    assert set(cls.ranks) <= {3, 4, 5} and cls.ranks
    params = inspect.signature(cls.__init__).parameters
    assert "p" in params
    for key, param in params.items():
        if key != "self":
            assert param.annotation is not inspect.Parameter.empty, f"{name}.{key} has no type"
            assert param.default is not inspect.Parameter.empty, f"{name}.{key} has no default"
    aug = cls()  # defaults are valid
    assert 0.0 <= aug.p <= 1.0
    assert cls.__doc__ and "Example:" in cls.__doc__


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", NAMES + WRAPPED)
def test_p_zero_is_the_identity(name, device):
    aug = make(name, p=0.0)
    for x, label in cases(name, device):
        params = aug.sample_params(x, generator(device))
        assert not params["apply"].any()
        assert torch.equal(aug.apply(x, params), x), label
        if aug.mixes_labels:
            y = soft_targets(x.shape[0]).to(device)
            assert torch.equal(aug.apply_targets(y, params), y), label


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", NAMES + WRAPPED)
def test_a_draw_replays_and_a_seed_reproduces_it(name, device):
    aug = make(name, p=0.7)
    for x, label in cases(name, device):
        params = aug.sample_params(x, generator(device, 1))
        first = aug.apply(x, params)
        assert torch.equal(aug.apply(x, params), first), label
        again = aug.sample_params(x, generator(device, 1))
        assert params.keys() == again.keys()
        for key in params:
            assert torch.equal(params[key], again[key]), f"{label}: {key}"
        assert torch.equal(aug(x, generator(device, 1)), first), label
        if aug.mixes_labels:
            y = soft_targets(x.shape[0]).to(device)
            assert torch.equal(aug.apply_targets(y, params), aug.apply_targets(y, again))


@pytest.mark.parametrize("name", NAMES + WRAPPED)
def test_randomness_is_per_sample(name):
    aug = make(name, p=0.5 if name in COIN_ONLY else 1.0)
    n = 16
    for rank in aug.ranks:
        one = batch(rank, n=1)
        x = one.expand(n, *one.shape[1:]).contiguous()  # 16 copies of one sample
        params = aug.sample_params(x, generator("cpu", 2))
        if aug.mixes_labels:  # mixing copies changes nothing; λ must differ per sample
            assert params["lam"].shape == (n,) and params["lam"].unique().numel() > 1
            continue
        out = aug.apply(x, params)
        distinct = out.flatten(1).unique(dim=0).shape[0]  # 2 for a coin flip (a mirror)
        assert distinct > 1, f"rank {rank}: every sample got the same transformation"
    half = make(name, p=0.5).sample_params(batch(aug.ranks[0], n=64), generator("cpu", 3))
    assert 0 < int(half["apply"].sum()) < 64  # p draws per sample


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", NAMES + WRAPPED)
def test_keeps_dtype_device_and_shape_and_never_writes_in_place(name, device):
    aug = make(name, p=0.8)
    for x, label in cases(name, device):
        before = x.clone()
        params = aug.sample_params(x, generator(device, 4))
        apply = params["apply"]
        assert apply.dtype == torch.bool and apply.shape == (x.shape[0],), label
        assert apply.device == x.device, label
        for key, value in params.items():
            assert value.device == x.device, f"{label}: {key} on {value.device}"
        out = aug.apply(x, params)
        assert out.dtype == x.dtype and out.device == x.device and out.shape == x.shape, label
        assert out.data_ptr() != x.data_ptr(), label
        assert torch.equal(x, before), f"{label}: the input changed"
        if aug.mixes_labels:
            y = soft_targets(x.shape[0]).to(device)
            y_before = y.clone()
            y2 = aug.apply_targets(y, params)
            assert y2.shape == y.shape and y2.dtype == y.dtype and y2.device == y.device
            assert torch.equal(y, y_before)
            torch.testing.assert_close(y2.sum(dim=1), torch.ones(x.shape[0], device=device))
        else:
            y = soft_targets(x.shape[0]).to(device)
            assert torch.equal(aug.apply_targets(y, params), y)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_bad_p_names_p(name, bad):
    with pytest.raises(ValueError, match=r"\bp\b"):
        AUGMENTATIONS.get(name)(p=bad)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_rank_is_a_value_error(name):
    aug = make(name)
    for rank in (2, 3, 4, 5):
        if rank in aug.ranks:
            continue
        x = torch.rand(*[4] * rank)
        with pytest.raises(ValueError, match=type(aug).__name__):
            aug.sample_params(x, generator("cpu"))
        with pytest.raises(ValueError):
            aug(x)
    with pytest.raises(ValueError):
        aug.sample_params([[1.0]], generator("cpu"))


@pytest.mark.parametrize("name", NAMES)
def test_recipes_build_it_by_name(name):
    from trainlab.augment.pipeline import build_augmentation

    aug = build_augmentation({"name": name, "p": 0.25})
    assert isinstance(aug, AUGMENTATIONS.get(name)) and aug.p == 0.25
    with pytest.raises(ValueError, match=r"\bp\b"):
        build_augmentation({"name": name, "p": 2})


@pytest.mark.parametrize("name", WRAPPED)
def test_per_clip_takes_clips_only(name):
    aug = make(name)
    assert aug.ranks == (5,) and aug.mixes_labels == aug.aug.mixes_labels
    for rank in (2, 3, 4):
        with pytest.raises(ValueError, match="PerClip"):
            aug.sample_params(torch.rand(*[4] * rank), generator("cpu"))
