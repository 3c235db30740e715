"""PerClip: one draw per clip, the same transform on every frame, against frame-by-frame oracles."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.image.affine import RandomAffine
from trainlab.augment.registry import AUGMENTATIONS
from trainlab.augment.video.per_clip import PerClip, per_frame

#: image augmentations with arguments that make every draw visible
IMAGE: dict[str, dict] = {
    "affine": {"rotation": 30.0, "translate": 0.2, "scale": (0.7, 1.3), "shear": 10.0},
    "flip": {"hflip": 0.5, "vflip": 0.5},
    "random-resized-crop": {"scale": (0.2, 0.9)},
    "color-jitter": {"brightness": 0.5, "contrast": 0.5, "saturation": 0.5},
    "random-erasing": {"value": "random"},
    "cutout": {"size": 0.5},
    "gaussian-noise": {"std": 0.2},
    "mixup": {"alpha": 1.0},
    "cutmix": {"alpha": 1.0},
}


def wrap(name: str, **overrides) -> PerClip:
    return PerClip(AUGMENTATIONS.get(name)(**{**IMAGE[name], **overrides}))


def clips(n: int = 6, t: int = 4, seed: int = 0) -> torch.Tensor:
    return torch.rand(n, t, 3, 12, 16, generator=torch.Generator().manual_seed(seed))


def still(n: int = 6, t: int = 4, one: bool = False) -> torch.Tensor:
    """Clips whose frames are all equal (and, with ``one``, every clip the same)."""
    frames = clips(1 if one else n, 1)
    return frames.expand(n, t, *frames.shape[2:]).contiguous()


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("name", IMAGE)
def test_every_frame_of_a_clip_gets_the_same_transform(name):
    aug = wrap(name)
    x = still()
    out = aug(x, gen(1))
    assert not torch.equal(out, x)
    assert torch.equal(out, out[:, :1].expand_as(out)), "frames of one clip transformed apart"


@pytest.mark.parametrize("name", [n for n in IMAGE if not AUGMENTATIONS.get(n).mixes_labels])
def test_different_clips_get_different_transforms(name):
    aug = wrap(name)
    out = aug(still(n=16, one=True), gen(2))
    assert out[:, 0].flatten(1).unique(dim=0).shape[0] > 1, "every clip transformed alike"


@pytest.mark.parametrize("name", IMAGE)
def test_equals_the_image_augmentation_frame_by_frame_with_the_clip_draw(name):
    aug = wrap(name, p=0.7)
    x = clips()
    params = aug.sample_params(x, gen(3))
    out = aug.apply(x, params)
    for t in range(x.shape[1]):  # the oracle: the image augmentation on frame t of every clip
        torch.testing.assert_close(out[:, t], aug.aug.apply(x[:, t], params), rtol=0, atol=1e-6)
    y = torch.softmax(torch.randn(6, 5, generator=gen(4)), dim=1)
    assert torch.equal(aug.apply_targets(y, params), aug.aug.apply_targets(y, params))


@pytest.mark.parametrize("name", IMAGE)
def test_the_draw_is_the_image_augmentations_draw_on_the_first_frames(name):
    aug = wrap(name)
    x = clips()
    params = aug.sample_params(x, gen(5))
    oracle = aug.aug.sample_params(x[:, 0].contiguous(), gen(5))
    assert params.keys() == oracle.keys()
    assert all(torch.equal(params[k], oracle[k]) for k in params)
    assert params["apply"].shape == (6,)


def test_mixing_mixes_whole_clips_and_their_labels_once_per_clip():
    aug = wrap("mixup")
    x = clips(n=8, t=3)
    params = aug.sample_params(x, gen(6))
    lam, perm = params["lam"].view(8, 1, 1, 1, 1), params["perm"]
    torch.testing.assert_close(aug.apply(x, params), lam * x + (1 - lam) * x[perm])
    y = torch.eye(4)[torch.arange(8) % 4]
    lam = params["lam"].view(8, 1)
    torch.testing.assert_close(aug.apply_targets(y, params), lam * y + (1 - lam) * y[perm])
    cut = wrap("cutmix")
    params = cut.sample_params(x, gen(7))
    out = cut.apply(x, params)
    from_partner = (out != x) & (out == x[params["perm"]])
    assert torch.equal(from_partner, from_partner[:, :1].expand_as(from_partner))  # one box
    assert aug.mixes_labels and cut.mixes_labels and not wrap("flip").mixes_labels


def test_per_frame_repeats_per_sample_params_and_maps_partners_to_frames():
    params = {
        "apply": torch.tensor([True, False]),
        "matrix": torch.arange(2.0).view(2, 1, 1).expand(2, 3, 3),
        "perm": torch.tensor([1, 0]),
        "shared": torch.tensor(0.5),
        "table": torch.arange(5),  # first axis is not N: shared too
    }
    out = per_frame(params, 2, 3)
    assert out["apply"].tolist() == [True] * 3 + [False] * 3
    assert out["matrix"].shape == (6, 3, 3) and out["matrix"][:, 0, 0].tolist() == [
        0,
        0,
        0,
        1,
        1,
        1,
    ]
    assert out["perm"].tolist() == [3, 4, 5, 0, 1, 2]
    assert out["shared"] is params["shared"] and out["table"] is params["table"]


def test_refuses_what_is_not_an_image_augmentation():
    for bad in (AUGMENTATIONS.get("time-shift")(), AUGMENTATIONS.get("reverse")(), "affine"):
        with pytest.raises(ValueError, match=r"^aug: expected an image augmentation"):
            PerClip(bad)
    with pytest.raises(ValueError, match=r"PerClip: expected a batch of clips \(N, T, C, H, W\)"):
        PerClip(RandomAffine())(torch.rand(2, 3, 8, 8))


def test_p_is_the_wrapped_augmentations():
    assert PerClip(RandomAffine(rotation=5, p=0.3)).p == 0.3
    aug = PerClip(RandomAffine(rotation=30, p=0.5))
    params = aug.sample_params(clips(n=64, t=2), gen(8))
    assert 0 < int(params["apply"].sum()) < 64
