"""Affine augmentation: oracle tests against OpenCV and SciPy, algebra, and the contract.

Tolerances. Against ``cv2.warpAffine`` the comparison is on the *interior*: output
pixels whose source point lies at least one pixel inside the input, so padding
plays no part. Bilinear float images in [0, 1] may differ by up to 0.04 (older
OpenCV releases quantize interpolation weights to 1/32 pixel; OpenCV 5 agrees to
1e-5) and uint8 images by 2 grey levels (fixed-point weights, rounding). Nearest
may pick the neighbouring pixel where the source point is within OpenCV's
1/1024-pixel fixed-point step of a tie (torch rounds half to even, OpenCV half
up): at most 1 % of the interior pixels may differ. SciPy's ``affine_transform``
computes in float64: 1e-4.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from trainlab.augment.image.affine import (
    RandomAffine,
    RandomFlip,
    RandomRescale,
    RandomRotate,
    RandomShear,
    RandomTranslate,
    affine_matrix,
    choose_backend,
    compose,
    flip_matrix,
    normalized_theta,
    rotation_matrix,
    sampling_grid,
    scale_matrix,
    shear_matrix,
    translation_matrix,
    warp_affine,
)
from trainlab.augment.registry import AUGMENTATIONS

cv2 = pytest.importorskip("cv2")

LECTURE = dict(rotation=15.0, translate=0.1, scale=(0.9, 1.1), shear=10.0, hflip=0.5)


def random_matrices(n: int, size: tuple[int, int], seed: int = 0) -> torch.Tensor:
    """Rotation ±30°, shift ±4 px, scale 0.8–1.25 per axis, shear ±0.2, about the centre."""
    g = torch.Generator().manual_seed(seed)

    def u(lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, generator=g)

    return compose(
        translation_matrix(u(-4, 4), u(-4, 4)),
        rotation_matrix(u(-0.5, 0.5), size=size),
        shear_matrix(u(-0.2, 0.2), u(-0.2, 0.2), size=size),
        scale_matrix(u(0.8, 1.25), u(0.8, 1.25), size=size),
    )


def interior(matrices: torch.Tensor, size: tuple[int, int], margin: float = 1.0) -> torch.Tensor:
    """(N, H, W) bool: output pixels whose source point lies ≥ ``margin`` inside the input."""
    h, w = size
    inv = torch.linalg.inv(matrices.double())
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64), indexing="ij"
    )
    pts = torch.stack([xs, ys, torch.ones_like(xs)]).view(3, -1)  # (3, H·W)
    src = inv @ pts  # (N, 3, H·W)
    sx, sy = src[:, 0].view(-1, h, w), src[:, 1].view(-1, h, w)
    return (sx >= margin) & (sx <= w - 1 - margin) & (sy >= margin) & (sy <= h - 1 - margin)


def opencv_warp(x: torch.Tensor, matrices: torch.Tensor, flags: int) -> torch.Tensor:
    """The oracle: ``cv2.warpAffine`` per image and channel with the 2 × 3 forward matrix."""
    n, c, h, w = x.shape
    out = [
        [
            cv2.warpAffine(x[i, k].numpy(), matrices[i, :2].double().numpy(), (w, h), flags=flags)
            for k in range(c)
        ]
        for i in range(n)
    ]
    return torch.from_numpy(np.array(out))


def smooth_images(n: int, c: int, h: int, w: int, seed: int = 0) -> torch.Tensor:
    """Low-frequency images in [0, 1] (sums of a few broad cosines): interpolation is accurate."""
    g = torch.Generator().manual_seed(seed)
    ys, xs = torch.meshgrid(torch.arange(h) / h, torch.arange(w) / w, indexing="ij")
    out = torch.zeros(n, c, h, w)
    for _ in range(3):
        fx, fy, ph = torch.rand(3, n, c, 1, 1, generator=g)
        out += torch.cos(2 * math.pi * (1.5 * fx * xs + 1.5 * fy * ys + ph))
    return (out + 3) / 6


# -- oracles --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [torch.float32, torch.uint8])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_torch_kernel_matches_opencv_warp_affine(dtype, interpolation):
    size = (23, 31)
    g = torch.Generator().manual_seed(1)
    x = torch.rand(6, 3, *size, generator=g)
    if dtype == torch.uint8:
        x = (x * 255).round().to(torch.uint8)
    m = random_matrices(6, size, seed=2)
    flags = {"bilinear": cv2.INTER_LINEAR, "nearest": cv2.INTER_NEAREST}[interpolation]
    ours = warp_affine(x, m, interpolation=interpolation, backend="torch")
    ref = opencv_warp(x, m, flags)
    keep = interior(m, size).unsqueeze(1).expand_as(x)
    assert keep.float().mean() > 0.5  # the test compares most of the image
    diff = (ours.double() - ref.double()).abs()[keep]
    if interpolation == "nearest":
        assert (diff > 0).float().mean() <= 0.01
    elif dtype == torch.uint8:
        assert diff.max() <= 2
    else:
        assert diff.max() <= 0.04
        assert diff.mean() <= 0.004


def test_torch_kernel_matches_scipy_affine_transform():
    ndimage = pytest.importorskip("scipy.ndimage")
    size = (19, 26)
    x = torch.rand(1, 1, *size, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    m = random_matrices(1, size, seed=4)[0].double()
    inv = torch.linalg.inv(m)
    # scipy maps output (row, col) to input (row, col): swap x and y of the inverse
    swap = torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
    lin = swap @ inv[:2, :2] @ swap
    off = swap @ inv[:2, 2]
    ref = ndimage.affine_transform(
        x[0, 0].numpy(), lin.numpy(), offset=off.numpy(), order=1, mode="constant", cval=0.0
    )
    ours = warp_affine(x, m, backend="torch")[0, 0]
    keep = interior(m.unsqueeze(0), size)[0]
    assert torch.allclose(ours[keep], torch.from_numpy(ref)[keep], atol=1e-4)


def test_grid_is_affine_grid_of_the_normalized_theta():
    size = (17, 29)
    m = random_matrices(5, size)
    theta = normalized_theta(m, size)
    ref = F.affine_grid(theta.float(), [5, 1, *size], align_corners=False)
    inv = torch.linalg.inv(m.double())[:, :2]
    assert torch.allclose(sampling_grid(inv, *size, torch.float32), ref, atol=1e-5)


# -- algebra --------------------------------------------------------------------------
def test_rotating_back_recovers_the_centre():
    size = (40, 40)
    x = smooth_images(4, 2, *size)
    theta = torch.tensor([0.3, -0.7, 1.2, 2.5])
    there = warp_affine(x, rotation_matrix(theta, size=size), backend="torch")
    back = warp_affine(there, rotation_matrix(-theta, size=size), backend="torch")
    ys, xs = torch.meshgrid(torch.arange(40.0), torch.arange(40.0), indexing="ij")
    centre = (xs - 19.5) ** 2 + (ys - 19.5) ** 2 <= 16**2
    assert (back - x)[..., centre].abs().max() < 0.02


def test_composition_equals_warps_one_after_another():
    size = (36, 44)
    x = smooth_images(3, 3, *size)
    a, b = random_matrices(3, size, seed=5), random_matrices(3, size, seed=6)
    once = warp_affine(x, compose(b, a), backend="torch")  # a first, then b
    twice = warp_affine(warp_affine(x, a, backend="torch"), b, backend="torch")
    # interior for both steps: b's source inside, and a's source of that inside
    keep = interior(compose(b, a), size, margin=2) & interior(b, size, margin=2)
    assert (once - twice)[keep.unsqueeze(1).expand_as(x)].abs().max() < 0.03


def test_composed_integer_shifts_are_exact_with_nearest():
    x = torch.rand(2, 3, 20, 24)
    a, b = translation_matrix(3.0, -2.0), translation_matrix(-5.0, 4.0)
    once = warp_affine(x, compose(b, a), interpolation="nearest", backend="torch")
    twice = warp_affine(
        warp_affine(x, a, interpolation="nearest", backend="torch"),
        b,
        interpolation="nearest",
        backend="torch",
    )
    # every output pixel whose intermediate pixel was inside the image: rows 4..19, cols 0..15
    assert torch.equal(once[..., 4:, :16], twice[..., 4:, :16])


@pytest.mark.parametrize("backend", ["torch", "opencv"])
def test_flip_twice_is_the_identity_exactly(backend):
    x = torch.rand(3, 2, 9, 14)
    h, v = torch.tensor([True, False, True]), torch.tensor([False, True, True])
    m = flip_matrix(h, v, size=(9, 14))
    once = warp_affine(x, m, interpolation="nearest", backend=backend)
    assert torch.equal(warp_affine(once, m, interpolation="nearest", backend=backend), x)
    flips = RandomFlip(hflip=0.5, vflip=0.5)
    params = flips.sample_params(x, torch.Generator().manual_seed(0))
    assert torch.equal(flips.apply(flips.apply(x, params), params), x)


@pytest.mark.parametrize("backend", ["torch", "opencv"])
def test_lecture_flip_about_the_centre_is_torch_flip(backend):
    h, w = 11, 16
    x = torch.rand(2, 3, h, w)
    c = translation_matrix((w - 1) / 2, (h - 1) / 2)
    lecture = torch.diag(torch.tensor([-1.0, 1.0, 1.0]))
    m = compose(c, lecture, torch.linalg.inv(c))
    assert torch.equal(m, flip_matrix(True, False, size=(h, w)))
    assert torch.equal(warp_affine(x, m, interpolation="nearest", backend=backend), x.flip(-1))
    bilinear = warp_affine(x, m, backend=backend)  # exact up to float rounding of coordinates
    assert torch.allclose(bilinear, x.flip(-1), atol=1e-5)


@pytest.mark.parametrize("backend", ["torch", "opencv"])
def test_integer_translation_with_nearest_is_torch_roll(backend):
    x = torch.rand(2, 3, 15, 18)
    m = translation_matrix(torch.tensor([4.0, -3.0]), torch.tensor([-2.0, 5.0]))
    out = warp_affine(x, m, interpolation="nearest", backend=backend)
    r0 = torch.roll(x[0], shifts=(-2, 4), dims=(-2, -1))
    r1 = torch.roll(x[1], shifts=(5, -3), dims=(-2, -1))
    assert torch.equal(out[0, :, :-2, 4:], r0[:, :-2, 4:])
    assert torch.equal(out[1, :, 5:, :-3], r1[:, 5:, :-3])
    assert out[0, :, -2:].abs().sum() == 0 and out[0, :, :, :4].abs().sum() == 0  # zeros


def test_lecture_matrices():
    t = torch.tensor([0.4])
    assert torch.allclose(
        rotation_matrix(t)[0],
        torch.tensor(
            [[math.cos(0.4), math.sin(0.4), 0.0], [-math.sin(0.4), math.cos(0.4), 0.0], [0, 0, 1]]
        ),
    )
    assert torch.equal(shear_matrix(0.5, 0.0)[0], torch.tensor([[1, 0.5, 0], [0, 1, 0], [0, 0, 1]]))
    assert torch.equal(scale_matrix(2.0, 3.0)[0], torch.diag(torch.tensor([2.0, 3.0, 1.0])))
    # about the centre: the centre is a fixed point
    centre = torch.tensor([(31 - 1) / 2, (21 - 1) / 2, 1.0])
    for m in (rotation_matrix(t, size=(21, 31)), shear_matrix(0.3, 0.2, size=(21, 31))):
        assert torch.allclose(m[0] @ centre, centre, atol=1e-5)


def test_positive_rotation_matches_opencv_get_rotation_matrix_2d():
    size = (20, 30)
    ours = rotation_matrix(math.radians(25), size=size)[0, :2]
    ref = cv2.getRotationMatrix2D(((30 - 1) / 2, (20 - 1) / 2), 25, 1.0)
    assert np.allclose(ours.numpy(), ref, atol=1e-5)


def test_closed_form_matrix_equals_the_composition_of_the_kernels():
    n, size = 6, (24, 32)
    g = torch.Generator().manual_seed(7)
    angle, tx, ty, shx, shy = (torch.rand(n, generator=g) * 20 - 10 for _ in range(5))
    sx, sy = 0.8 + 0.4 * torch.rand(2, n, generator=g)
    hflip, vflip = torch.rand(2, n, generator=g) < 0.5
    apply = torch.tensor([True, True, False, True, True, False])
    closed = affine_matrix(angle, tx, ty, sx, sy, shx, shy, hflip, vflip, apply, size)
    kernels = compose(
        translation_matrix(tx, ty),
        rotation_matrix(torch.deg2rad(angle), size=size),
        shear_matrix(torch.tan(torch.deg2rad(shx)), torch.tan(torch.deg2rad(shy)), size=size),
        scale_matrix(sx, sy, size=size),
        flip_matrix(hflip, vflip, size=size),
    )
    assert torch.allclose(closed[apply], kernels[apply], atol=1e-4)
    assert torch.equal(closed[~apply], torch.eye(3).expand(2, 3, 3))


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
    x = torch.rand(4, channels, 13, 17)
    x = (x * 255).to(dtype) if dtype == torch.uint8 else x.to(dtype)
    out = RandomAffine(**LECTURE, backend=backend)(x, torch.Generator().manual_seed(3))
    assert out.dtype == dtype and out.device == x.device and out.shape == x.shape
    assert out.is_contiguous()


def test_channels_last_input_is_warped_per_image_and_stays_channels_last():
    x = torch.rand(4, 3, 30, 20).contiguous(memory_format=torch.channels_last)
    m = random_matrices(4, (30, 20))
    out = warp_affine(x, m, backend="opencv")
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert torch.allclose(out, warp_affine(x.contiguous(), m, backend="torch"), atol=1e-3)


def test_randomness_is_per_sample():
    x = torch.rand(8, 1, 16, 16)
    params = RandomAffine(**LECTURE).sample_params(x, torch.Generator().manual_seed(4))
    flat = params["matrix"].view(8, 9)
    assert torch.unique(flat, dim=0).shape[0] == 8
    assert params["hflip"].any() and not params["hflip"].all()
    assert params["angle"].abs().max() <= 15 and params["angle"].std() > 1


@pytest.mark.parametrize("dtype", [torch.float32, torch.uint8])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_opencv_backend_agrees_with_the_torch_backend(dtype, padding, interpolation):
    size = (48, 40)
    x = torch.rand(4, 3, *size, generator=torch.Generator().manual_seed(5))
    if dtype == torch.uint8:
        x = (x * 255).round().to(torch.uint8)
    m = random_matrices(4, size, seed=8)
    kw = dict(interpolation=interpolation, padding=padding)
    a = warp_affine(x, m, backend="torch", **kw).double()
    b = warp_affine(x, m, backend="opencv", **kw).double()
    diff = (a - b).abs()
    if interpolation == "nearest":  # whole image, borders included; ties may differ
        assert (diff > 0).float().mean() <= 0.01
    else:
        keep = interior(m, size).unsqueeze(1).expand_as(x)
        assert diff[keep].max() <= (2 if dtype == torch.uint8 else 0.04)
        # the paddings agree too: BORDER_CONSTANT / _REPLICATE / _REFLECT
        assert diff.mean() <= (0.05 if dtype == torch.uint8 else 0.004)


def test_auto_backend_rule():
    assert choose_backend(torch.zeros(2, 3, 28, 28, dtype=torch.uint8)) == "torch"
    assert choose_backend(torch.zeros(2, 3, 224, 224, dtype=torch.uint8)) == "opencv"
    assert choose_backend(torch.zeros(2, 3, 224, 224)) == "opencv"
    assert choose_backend(torch.zeros(2, 3, 224, 224, dtype=torch.float16)) == "torch"
    assert choose_backend(torch.zeros(2, 3, 224, 224, requires_grad=True)) == "torch"


def test_gradients_flow_through_the_torch_kernel():
    x = torch.rand(2, 3, 64, 64, requires_grad=True)
    RandomAffine(**LECTURE)(x).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_empty_batch():
    x = torch.zeros(0, 3, 8, 8)
    assert RandomAffine(**LECTURE)(x).shape == x.shape


# -- names and errors -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("affine", RandomAffine),
        ("random-affine", RandomAffine),
        ("translate", RandomTranslate),
        ("rescale", RandomRescale),
        ("flip", RandomFlip),
        ("rotate", RandomRotate),
        ("shear", RandomShear),
    ],
)
def test_registered_names(name, cls):
    assert AUGMENTATIONS.get(name) is cls
    x = torch.rand(4, 3, 16, 16)
    assert cls()(x, torch.Generator().manual_seed(0)).shape == x.shape


def test_lecture_names_draw_only_their_transformation():
    x = torch.rand(8, 1, 16, 16)
    gen = torch.Generator().manual_seed(0)
    rot = RandomRotate(20).sample_params(x, gen)
    assert torch.allclose(torch.linalg.det(rot["matrix"]), torch.ones(8), atol=1e-5)
    shift = RandomTranslate(0.25).sample_params(x, gen)["matrix"]
    assert torch.equal(shift[:, :2, :2], torch.eye(2).expand(8, 2, 2))
    assert shift[:, :2, 2].abs().max() <= 4
    assert RandomFlip().hflip == 0.5 and RandomRescale().scale == (0.9, 1.1)
    assert RandomRescale(scale_xy=((0.5, 1), (1, 2))).scale is None


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
    with pytest.raises(ValueError, match="'zeros', 'border', 'reflection'"):
        warp_affine(torch.zeros(1, 1, 4, 4), torch.eye(3), padding="wrap")


def test_bad_batches_and_matrices():
    aug = RandomAffine(rotation=10)
    with pytest.raises(ValueError, match=r"expected a batch \(N, C, H, W\)"):
        aug(torch.zeros(3, 8, 8))
    with pytest.raises(ValueError, match=r"^batch:"):
        warp_affine(torch.zeros(3, 8, 8), torch.eye(3))
    with pytest.raises(ValueError, match=r"^batch:"):
        warp_affine(torch.zeros(1, 1, 8, 8, dtype=torch.int32), torch.eye(3))
    with pytest.raises(ValueError, match=r"^matrices:"):
        warp_affine(torch.zeros(2, 1, 8, 8), torch.eye(3).expand(3, 3, 3))
    with pytest.raises(ValueError, match=r"^backend:"):
        warp_affine(torch.zeros(1, 1, 8, 8, dtype=torch.float16), torch.eye(3), backend="opencv")


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
    from trainlab.augment.image.affine import RandomAffine

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
