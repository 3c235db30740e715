"""Warping by affine matrices: oracle tests against OpenCV and SciPy, algebra, backends.

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

import threading

import pytest
import torch
import torch.nn.functional as F

from trainlab.augment.image.flip import RandomFlip
from trainlab.augment.image.matrices import (
    compose,
    flip_matrix,
    rotation_matrix,
    translation_matrix,
)
from trainlab.augment.image.warp import (
    _run_chunks,
    choose_backend,
    normalized_theta,
    sampling_grid,
    warp_affine,
)
from warpkit import interior, opencv_warp, random_matrices, smooth_images

cv2 = pytest.importorskip("cv2")


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


# -- backends -------------------------------------------------------------------------
def test_channels_last_input_is_warped_per_image_and_stays_channels_last():
    x = torch.rand(4, 3, 30, 20).contiguous(memory_format=torch.channels_last)
    m = random_matrices(4, (30, 20))
    out = warp_affine(x, m, backend="opencv")
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert torch.allclose(out, warp_affine(x.contiguous(), m, backend="torch"), atol=1e-3)


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


def test_unknown_paddings_are_listed():
    with pytest.raises(ValueError, match="'zeros', 'border', 'reflection'"):
        warp_affine(torch.zeros(1, 1, 4, 4), torch.eye(3), padding="wrap")


def test_bad_batches_and_matrices():
    with pytest.raises(ValueError, match=r"^batch:"):
        warp_affine(torch.zeros(3, 8, 8), torch.eye(3))
    with pytest.raises(ValueError, match=r"^batch:"):
        warp_affine(torch.zeros(1, 1, 8, 8, dtype=torch.int32), torch.eye(3))
    with pytest.raises(ValueError, match=r"^matrices:"):
        warp_affine(torch.zeros(2, 1, 8, 8), torch.eye(3).expand(3, 3, 3))
    with pytest.raises(ValueError, match=r"^backend:"):
        warp_affine(torch.zeros(1, 1, 8, 8, dtype=torch.float16), torch.eye(3), backend="opencv")


# -- threads -------------------------------------------------------------------------
@pytest.fixture
def three_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("channels_last", [False, True])
def test_opencv_threads_give_the_serial_result_and_end_with_the_call(three_threads, channels_last):
    x = torch.rand(7, 3, 20, 24, generator=torch.Generator().manual_seed(9))
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    m = random_matrices(7, (20, 24), seed=10)
    threaded = warp_affine(x, m, backend="opencv")
    assert not [t for t in threading.enumerate() if t.name.startswith("trainlab-warp")]
    torch.set_num_threads(1)
    assert torch.equal(threaded, warp_affine(x, m, backend="opencv"))


def test_an_error_in_a_worker_reaches_the_caller(three_threads):
    def work(lo: int, hi: int) -> None:
        if lo > 0:
            raise RuntimeError(f"chunk {lo}")

    with pytest.raises(RuntimeError, match="chunk"):
        _run_chunks(work, 6)
    assert not [t for t in threading.enumerate() if t.name.startswith("trainlab-warp")]
