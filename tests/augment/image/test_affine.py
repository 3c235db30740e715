"""RandomAffine: the augmentation contract, per-sample draws, arguments and recipes."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.image.affine import RandomAffine
from warpkit import LECTURE


# -- the contract ---------------------------------------------------------------------
@pytest.mark.parametrize("p", [0.0, 0.5, 1.0])
def test_p_zero_is_the_identity_and_the_input_is_never_changed(p):
    x = torch.rand(6, 3, 12, 12)
    before = x.clone()
    out = RandomAffine(**LECTURE, p=p)(x, torch.Generator().manual_seed(0))
    assert torch.equal(x, before)
    assert out.data_ptr() != x.data_ptr()
    if p == 0.0:
        assert torch.equal(out, x)


def test_samples_not_applied_are_copied_exactly():
    x = torch.rand(16, 3, 10, 10)
    aug = RandomAffine(**LECTURE, p=0.5)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    keep = ~params["apply"]
    assert 0 < keep.sum() < 16
    assert torch.equal(params["matrix"][keep], torch.eye(3).expand(int(keep.sum()), 3, 3))
    assert torch.equal(aug.apply(x, params)[keep], x[keep])


@pytest.mark.parametrize("backend", ["auto", "torch", "opencv"])
def test_same_params_same_output(backend):
    if backend == "opencv":
        pytest.importorskip("cv2")
    x = torch.rand(5, 3, 64, 64)
    aug = RandomAffine(**LECTURE, backend=backend)
    params = aug.sample_params(x, torch.Generator().manual_seed(2))
    assert torch.equal(aug.apply(x, params), aug.apply(x, params))
    again = aug.sample_params(x, torch.Generator().manual_seed(2))
    assert all(torch.equal(params[k], again[k]) for k in params)


@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float64, torch.uint8, torch.float16, torch.bfloat16]
)
@pytest.mark.parametrize("channels", [1, 3, 5])
@pytest.mark.parametrize("backend", ["torch", "opencv"])
def test_dtype_device_and_shape_are_kept(dtype, channels, backend):
    if backend == "opencv" and dtype in (torch.float16, torch.bfloat16):
        pytest.skip("the OpenCV kernel takes uint8, float32 and float64")
    if backend == "opencv":
        pytest.importorskip("cv2")
    x = torch.rand(4, channels, 13, 17)
    x = (x * 255).to(dtype) if dtype == torch.uint8 else x.to(dtype)
    out = RandomAffine(**LECTURE, backend=backend)(x, torch.Generator().manual_seed(3))
    assert out.dtype == dtype and out.device == x.device and out.shape == x.shape
    assert out.is_contiguous()


def test_randomness_is_per_sample():
    x = torch.rand(8, 1, 16, 16)
    params = RandomAffine(**LECTURE).sample_params(x, torch.Generator().manual_seed(4))
    flat = params["matrix"].view(8, 9)
    assert torch.unique(flat, dim=0).shape[0] == 8
    assert params["hflip"].any() and not params["hflip"].all()
    assert params["angle"].abs().max() <= 15 and params["angle"].std() > 1


def test_gradients_flow_through_the_torch_kernel():
    x = torch.rand(2, 3, 64, 64, requires_grad=True)
    RandomAffine(**LECTURE)(x).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_empty_batch():
    x = torch.zeros(0, 3, 8, 8)
    assert RandomAffine(**LECTURE)(x).shape == x.shape


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"scale": (-0.5, 1.0)}, "scale"),
        ({"scale": 0.0}, "scale"),
        ({"scale_xy": ((0.9, 1.1), (-1.0, 1.0))}, "scale_xy"),
        ({"scale_xy": (0.9, 1.1)}, "scale_xy"),
        ({"scale": (0.9, 1.1), "scale_xy": ((1, 1), (1, 1))}, "scale_xy"),
        ({"hflip": 1.5}, "hflip"),
        ({"vflip": -0.1}, "vflip"),
        ({"p": 2.0}, "p"),
        ({"rotation": -5}, "rotation"),
        ({"rotation": "lots"}, "rotation"),
        ({"translate": -0.1}, "translate"),
        ({"translate": (0.1, 0.2, 0.3)}, "translate"),
        ({"shear": 95}, "shear"),
        ({"shear": (10, -1)}, "shear"),
        ({"interpolation": "bicubic"}, "interpolation"),
        ({"padding": "wrap"}, "padding"),
        ({"backend": "pillow"}, "backend"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}:"):
        RandomAffine(**kwargs)


def test_unknown_choices_are_listed():
    with pytest.raises(ValueError, match="'bilinear', 'nearest'"):
        RandomAffine(interpolation="cubic")


def test_bad_batches():
    aug = RandomAffine(rotation=10)
    with pytest.raises(ValueError, match=r"expected a batch \(N, C, H, W\)"):
        aug(torch.zeros(3, 8, 8))


def test_recipes_build_it_by_name():
    from trainlab.augment.pipeline import build_augmentation
    from trainlab.core.errors import ConfigError

    aug = build_augmentation({"name": "affine", "rotation": 15, "scale": [0.9, 1.1], "p": 0.5})
    assert isinstance(aug, RandomAffine) and aug.p == 0.5 and aug.scale == (0.9, 1.1)
    with pytest.raises(ConfigError, match="scale"):
        build_augmentation({"name": "affine", "scale": [-1, 1]})
    with pytest.raises(ConfigError, match="interpolation"):
        build_augmentation({"name": "rotate", "interpolation": "lanczos"})


def test_each_component_has_its_own_probability():
    x = torch.rand(4000, 1, 8, 8)
    aug = RandomAffine(
        rotation=30,
        translate=0.2,
        shear=10,
        scale=(0.8, 1.2),
        p_rotation=0.25,
        p_translate=0.5,
        p_scale=0.0,
        p_shear=1.0,
    )
    params = aug.sample_params(x, torch.Generator().manual_seed(0))
    rotated = (params["angle"] != 0).float().mean().item()
    shifted = (params["translate"].abs().sum(1) != 0).float().mean().item()
    assert abs(rotated - 0.25) < 0.03 and abs(shifted - 0.5) < 0.03
    assert torch.all(params["scale"] == 1.0)
    assert (params["shear"][:, 0] != 0).float().mean().item() > 0.99
    with pytest.raises(ValueError, match="p_rotation"):
        RandomAffine(p_rotation=1.5)
