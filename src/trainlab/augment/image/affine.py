"""Affine image augmentation: translation, rescale, flip, rotation and shear as 3×3 matrices.

The lecture writes each image transformation as a matrix acting on homogeneous
pixel coordinates (x, y, 1) (column vectors):

- translation  ``[[1, 0, tx], [0, 1, ty], [0, 0, 1]]``
- rescale      ``diag(sx, sy, 1)``
- flip         ``diag(-1, 1, 1)`` (horizontal; ``diag(1, -1, 1)`` is vertical)
- rotation     ``[[cos θ, sin θ, 0], [-sin θ, cos θ, 0], [0, 0, 1]]``
- shear        ``[[1, cx, 0], [cy, 1, 0], [0, 0, 1]]``

**Convention.** x is the column index (to the right) and y the row index
(down), in pixels, with pixel centres at integers: pixel (row i, column j) is
the point (j, i). Rescale, flip, rotation and shear act *about the image
centre* c = ((W − 1) / 2, (H − 1) / 2), i.e. they are T(c) · M · T(−c). With y
pointing down, a positive θ turns the image counter-clockwise on the screen
(as OpenCV's ``getRotationMatrix2D``). The flip about the centre maps column
j to W − 1 − j, which is exactly ``torch.flip(x, dims=[-1])``.

A matrix maps *input* pixel coordinates to *output* pixel coordinates, as the
2 × 3 matrix of OpenCV's ``warpAffine``: the output is dst(p') = src(M⁻¹ p').
Matrices compose by the matrix product, applied right to left:
``compose(A, B)`` = A · B applies B first. :class:`RandomAffine` draws one
matrix per sample,

    M = T(c + t) · R(θ) · Sh(cx, cy) · S(sx, sy) · F(h, v) · T(−c)

(flip first, then rescale, shear, rotation, translation), and warps the whole
batch once.

**Warping.** The torch kernel builds the sampling grid of ``F.affine_grid``
(``align_corners=False``: pixel x ↔ normalized u = (2x + 1) / W − 1) as
broadcast sums, 3–4 times faster than ``affine_grid`` on a CPU, and samples it
with one ``F.grid_sample`` for the whole batch, on the batch's device. Padding
``"zeros"``, ``"border"`` and ``"reflection"`` are OpenCV's ``BORDER_CONSTANT``
(0), ``BORDER_REPLICATE`` and ``BORDER_REFLECT`` (``fedcba|abcdef``, reflected
about the pixel edges). On a CPU, images of 64 × 64 pixels or more are faster
with ``cv2.warpAffine`` (one call per image, or per channel plane, spread over
``torch.get_num_threads()`` threads): the same mapping and paddings. OpenCV 5
agrees with the torch kernel to 1e-5 on float images; older releases quantize
the bilinear weights to 1/32 pixel. uint8 images are interpolated in float32
and rounded back (OpenCV: fixed point, within one grey level). ``"nearest"``
may pick the other pixel where the source point lies within OpenCV's
1/1024-pixel fixed-point step of a tie (OpenCV rounds half up, torch half to
even). Bilinear flips and integer shifts are exact up to float rounding of the
normalized coordinates (1e-5); ``"nearest"`` makes them exact.

Example:
    >>> import math, torch
    >>> from trainlab.augment.image.affine import compose, flip_matrix, rotation_matrix, warp_affine
    >>> x = torch.arange(12.0).view(1, 1, 3, 4)
    >>> m = flip_matrix(torch.tensor([True]), torch.tensor([False]), size=(3, 4))
    >>> torch.equal(warp_affine(x, m, interpolation="nearest"), x.flip(-1))
    True
    >>> r = rotation_matrix(torch.tensor([math.pi / 2]), size=(4, 4))
    >>> back = compose(rotation_matrix(torch.tensor([-math.pi / 2]), size=(4, 4)), r)
    >>> torch.allclose(back, torch.eye(3), atol=1e-6)
    True
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from trainlab.augment._base import Augmentation, Params, check_probability, check_range

INTERPOLATIONS: tuple[str, ...] = ("bilinear", "nearest")
PADDINGS: tuple[str, ...] = ("zeros", "border", "reflection")
BACKENDS: tuple[str, ...] = ("auto", "torch", "opencv")

#: ``backend="auto"`` warps CPU images with at least this many pixels (H·W) with OpenCV, by
#: dtype; measured with the lecture's RandomAffine, batch 256, 2 cores: torch is 4× faster at
#: 28×28 and still faster at 56×56, OpenCV faster from 64×64 on (4× at 224×224)
OPENCV_MIN_PIXELS: dict[torch.dtype, int] = {
    torch.uint8: 64 * 64,
    torch.float32: 64 * 64,
    torch.float64: 64 * 64,
}

_Number = float | int
_Values = torch.Tensor | _Number | Sequence[_Number]


# -- matrices ---------------------------------------------------------------------------
def _batch(*values: _Values) -> list[torch.Tensor]:
    """Float32 tensors of one shape (N,) from numbers, sequences or tensors."""
    ts = [torch.as_tensor(v) for v in values]
    device = next((t.device for t in ts if t.device.type != "cpu"), torch.device("cpu"))
    ts = [t.to(device=device, dtype=torch.float32).reshape(-1) for t in ts]
    return list(torch.broadcast_tensors(*ts))


def _about(linear: torch.Tensor, size: tuple[int, int] | None) -> torch.Tensor:
    """(N, 2, 2) linear parts → (N, 3, 3) affine matrices about the centre of ``size``."""
    n = linear.shape[0]
    m = torch.zeros(n, 3, 3, dtype=torch.float32, device=linear.device)
    m[:, :2, :2] = linear
    m[:, 2, 2] = 1.0
    if size is not None:
        h, w = size
        c = torch.tensor([(w - 1) / 2, (h - 1) / 2], dtype=torch.float32, device=linear.device)
        m[:, :2, 2] = c - linear @ c  # T(c) · A · T(−c)
    return m


def translation_matrix(tx: _Values, ty: _Values) -> torch.Tensor:
    """Translations by (tx, ty) pixels: ``[[1, 0, tx], [0, 1, ty], [0, 0, 1]]``.

    Args:
        tx: shifts to the right, (N,) or a number.
        ty: shifts down, (N,) or a number.

    Returns:
        (N, 3, 3) float32 matrices.

    Example:
        >>> translation_matrix(2.0, -1.0)[0].tolist()
        [[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [0.0, 0.0, 1.0]]
    """
    tx, ty = _batch(tx, ty)
    m = torch.eye(3, dtype=torch.float32, device=tx.device).repeat(tx.shape[0], 1, 1)
    m[:, 0, 2] = tx
    m[:, 1, 2] = ty
    return m


def scale_matrix(sx: _Values, sy: _Values, *, size: tuple[int, int] | None = None) -> torch.Tensor:
    """Rescaling by (sx, sy): ``diag(sx, sy, 1)``, about the centre of an (H, W) image.

    Args:
        sx: horizontal factors, (N,) or a number.
        sy: vertical factors, (N,) or a number.
        size: (H, W) of the image whose centre stays fixed; None: about the origin (0, 0).

    Returns:
        (N, 3, 3) float32 matrices.

    Example:
        >>> scale_matrix(2.0, 2.0, size=(3, 3))[0].tolist()
        [[2.0, 0.0, -1.0], [0.0, 2.0, -1.0], [0.0, 0.0, 1.0]]
    """
    sx, sy = _batch(sx, sy)
    zero = torch.zeros_like(sx)
    return _about(torch.stack([sx, zero, zero, sy], -1).view(-1, 2, 2), size)


def flip_matrix(
    h: torch.Tensor | bool, v: torch.Tensor | bool, *, size: tuple[int, int] | None = None
) -> torch.Tensor:
    """Flips: ``diag(-1, 1, 1)`` where ``h``, ``diag(1, -1, 1)`` where ``v`` (both: both).

    About the centre of an (H, W) image, the horizontal flip maps column j to W − 1 − j,
    which is ``torch.flip(x, dims=[-1])``.

    Args:
        h: (N,) bool, flip left ↔ right.
        v: (N,) bool, flip top ↔ bottom.
        size: (H, W) of the image; None: about the origin.

    Returns:
        (N, 3, 3) float32 matrices.

    Example:
        >>> flip_matrix(True, False, size=(5, 5))[0].tolist()
        [[-1.0, 0.0, 4.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    h, v = _batch(h, v)
    fx, fy = 1.0 - 2.0 * (h != 0).float(), 1.0 - 2.0 * (v != 0).float()
    zero = torch.zeros_like(fx)
    return _about(torch.stack([fx, zero, zero, fy], -1).view(-1, 2, 2), size)


def rotation_matrix(theta: _Values, *, size: tuple[int, int] | None = None) -> torch.Tensor:
    """Rotations by θ radians: ``[[cos θ, sin θ, 0], [-sin θ, cos θ, 0], [0, 0, 1]]``.

    With y pointing down, positive θ turns the image counter-clockwise on the screen
    (OpenCV's ``getRotationMatrix2D`` convention, in radians here).

    Args:
        theta: angles in radians, (N,) or a number.
        size: (H, W) of the image whose centre stays fixed; None: about the origin.

    Returns:
        (N, 3, 3) float32 matrices.

    Example:
        >>> import math
        >>> rotation_matrix(math.pi / 2)[0, :2, :2].round().tolist() == [[0, 1], [-1, 0]]
        True
    """
    (theta,) = _batch(theta)
    cos, sin = torch.cos(theta), torch.sin(theta)
    return _about(torch.stack([cos, sin, -sin, cos], -1).view(-1, 2, 2), size)


def shear_matrix(cx: _Values, cy: _Values, *, size: tuple[int, int] | None = None) -> torch.Tensor:
    """Shears: ``[[1, cx, 0], [cy, 1, 0], [0, 0, 1]]`` (x' = x + cx·y, y' = cy·x + y).

    A shear angle φ (degrees in :class:`RandomAffine`) gives the factor c = tan φ.

    Args:
        cx: horizontal shear factors, (N,) or a number.
        cy: vertical shear factors, (N,) or a number.
        size: (H, W) of the image whose centre stays fixed; None: about the origin.

    Returns:
        (N, 3, 3) float32 matrices.

    Example:
        >>> shear_matrix(0.5, 0.0)[0].tolist()
        [[1.0, 0.5, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    cx, cy = _batch(cx, cy)
    one = torch.ones_like(cx)
    return _about(torch.stack([one, cx, cy, one], -1).view(-1, 2, 2), size)


def compose(*mats: torch.Tensor) -> torch.Tensor:
    """The product ``mats[0] @ mats[1] @ …``: applied right to left (the last one first).

    Args:
        mats: (N, 3, 3) or (3, 3) matrices (broadcast over N).

    Returns:
        The composed (N, 3, 3) matrices.

    Example:
        >>> m = compose(translation_matrix(1.0, 0.0), scale_matrix(2.0, 2.0))  # scale, then shift
        >>> (m[0] @ torch.tensor([1.0, 1.0, 1.0])).tolist()
        [3.0, 2.0, 1.0]
    """
    if not mats:
        raise ValueError("compose: expected at least one matrix")
    out = mats[0]
    for m in mats[1:]:
        out = out @ m
    return out if out.ndim == 3 else out.unsqueeze(0)


def _as_matrices(matrices: torch.Tensor, n: int) -> torch.Tensor:
    """(N, 3, 3) from (N, 2, 3), (N, 3, 3), (2, 3) or (3, 3); ValueError otherwise."""
    m = torch.as_tensor(matrices)
    if m.ndim == 2:
        m = m.unsqueeze(0)
    if m.ndim != 3 or m.shape[-1] != 3 or m.shape[-2] not in (2, 3) or m.shape[0] not in (1, n):
        raise ValueError(
            f"matrices: expected shape ({n}, 3, 3), ({n}, 2, 3), (3, 3) or (2, 3), "
            f"got {tuple(m.shape)}"
        )
    return m[:, :2, :].expand(n, 2, 3)


def _inverse(m: torch.Tensor) -> torch.Tensor:
    """Inverses (N, 2, 3) in float64 of affine maps given by their top rows (N, 2, 3)."""
    m = m.double()
    a, b, tx = m[:, 0].unbind(-1)
    c, d, ty = m[:, 1].unbind(-1)
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    rows = [ia, ib, -(ia * tx + ib * ty), ic, id_, -(ic * tx + id_ * ty)]
    return torch.stack(rows, -1).view(-1, 2, 3)


def normalized_theta(matrices: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """The ``theta`` of ``F.affine_grid(…, align_corners=False)`` for pixel-space matrices.

    ``theta`` maps normalized *output* coordinates to normalized *input* coordinates,
    so it is N · M⁻¹ · N⁻¹ with N: pixel x ↦ (2x + 1) / W − 1 (and likewise for y).

    Args:
        matrices: forward pixel-space matrices, (N, 3, 3) or (N, 2, 3).
        size: (H, W) of the images.

    Returns:
        (N, 2, 3) float64 theta.

    Example:
        >>> normalized_theta(torch.eye(3).unsqueeze(0), (4, 4)).tolist()
        [[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]]
    """
    h, w = size
    inv = _inverse(_as_matrices(matrices, torch.as_tensor(matrices).shape[0]))
    rows = _grid_rows(inv, h, w)  # (N, 2, 3): d/dj, d/di, offset (normalized per pixel)
    # u = a·j + b·i + c with j = (W·(u_out + 1) − 1) / 2: rescale to normalized output coords
    a, b, c = rows.unbind(-1)
    return torch.stack([a * w / 2, b * h / 2, a * (w - 1) / 2 + b * (h - 1) / 2 + c], -1)


def _grid_rows(inv: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """(N, 2, 3) coefficients (per column j, per row i, constant) of the normalized grid."""
    scale = inv.new_tensor([2.0 / w, 2.0 / h]).view(1, 2, 1)
    shift = inv.new_tensor([[0.0, 0.0, 1.0 / w - 1], [0.0, 0.0, 1.0 / h - 1]])
    return inv * scale + shift  # u = (2x + 1) / W − 1 with x = inv · (j, i, 1)


def sampling_grid(inv: torch.Tensor, h: int, w: int, dtype: torch.dtype) -> torch.Tensor:
    """``F.affine_grid(normalized_theta(M), (N, C, H, W), align_corners=False)`` from M⁻¹.

    One broadcast sum per coordinate, a (W,) row plus an (H,) column per image, written
    into (N, 2, H, W) planes and returned as the (N, H, W, 2) view that ``grid_sample``
    reads; ``F.affine_grid`` computes the same grid (to float rounding) as an
    (N, H·W, 3) × (N, 3, 2) product, 3–4 times slower on a CPU.

    Args:
        inv: (N, 2, 3) inverse matrices (output pixel → input pixel), any float dtype.
        h: image height.
        w: image width.
        dtype: dtype of the grid.

    Returns:
        (N, H, W, 2) sampling grid (a permuted view) for ``F.grid_sample(…,
        align_corners=False)``.

    Example:
        >>> g = sampling_grid(torch.eye(3)[:2].unsqueeze(0), 2, 2, torch.float32)
        >>> g[0, :, :, 0].tolist()
        [[-0.5, 0.5], [-0.5, 0.5]]
    """
    rows = _grid_rows(inv.double(), h, w)  # (N, 2, 3): per column, per row, constant
    dev = inv.device
    along_x = rows[:, :, 0, None] * torch.arange(w, dtype=torch.float64, device=dev)  # (N, 2, W)
    along_y = rows[:, :, 1, None] * torch.arange(h, dtype=torch.float64, device=dev)  # (N, 2, H)
    along_y = along_y + rows[:, :, 2, None]
    planes = _empty((inv.shape[0], 2, h, w), dtype, dev)
    torch.add(along_x.to(dtype)[:, :, None, :], along_y.to(dtype)[:, :, :, None], out=planes)
    return planes.permute(0, 2, 3, 1)


def _empty(shape: Sequence[int], dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """``torch.empty``; on a CPU, large buffers come from numpy (huge pages: faster first touch)."""
    if device.type != "cpu" or math.prod(shape) < (1 << 20) or dtype == torch.bfloat16:
        return torch.empty(tuple(shape), dtype=dtype, device=device)
    return torch.from_numpy(np.empty(tuple(shape), torch.empty(0, dtype=dtype).numpy().dtype))


# -- warping ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _cv2() -> Any:
    """OpenCV, or None when it does not import."""
    try:
        import cv2
    except Exception:  # any import failure (missing libGL, ABI mismatch) means "not available"
        return None
    return cv2


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(
            f"{name}: expected one of {', '.join(repr(c) for c in choices)}, got {value!r}"
        )
    return value


_OPENCV_DTYPES = (torch.uint8, torch.float32, torch.float64)


def choose_backend(batch: torch.Tensor, backend: str = "auto") -> str:
    """The kernel ``warp_affine`` uses for ``batch``: "torch" or "opencv".

    ``"auto"`` picks OpenCV for CPU images of uint8, float32 or float64 with at least
    :data:`OPENCV_MIN_PIXELS` pixels that need no gradient, when ``cv2`` imports; torch
    otherwise (other devices and dtypes, small images, autograd).

    Example:
        >>> x = torch.zeros(2, 3, 8, 8)
        >>> choose_backend(x), choose_backend(x, "opencv")
        ('torch', 'opencv')
    """
    _check_choice("backend", backend, BACKENDS)
    if backend != "auto":
        return backend
    h, w = batch.shape[-2:]
    if (
        batch.device.type == "cpu"
        and batch.dtype in OPENCV_MIN_PIXELS
        and not batch.requires_grad
        and h * w >= OPENCV_MIN_PIXELS[batch.dtype]
        and _cv2() is not None
    ):
        return "opencv"
    return "torch"


def _warp_torch(
    batch: torch.Tensor, inv: torch.Tensor, interpolation: str, padding: str
) -> torch.Tensor:
    """One grid and one ``grid_sample`` for the batch."""
    h, w = batch.shape[-2:]
    dtype = batch.dtype
    work = torch.float64 if dtype == torch.float64 else torch.float32  # uint8, half: float32
    x = batch if dtype == work else _empty(batch.shape, work, batch.device).copy_(batch)
    grid = sampling_grid(inv, h, w, work)
    out = F.grid_sample(x, grid, mode=interpolation, padding_mode=padding, align_corners=False)
    if dtype == torch.uint8:
        if interpolation != "nearest":
            out = out.round_().clamp_(0, 255)
        return out.to(torch.uint8)
    return out if out.dtype == dtype else out.to(dtype)


def _warp_opencv(
    batch: torch.Tensor, inv: torch.Tensor, interpolation: str, padding: str
) -> torch.Tensor:
    """``cv2.warpAffine`` per image (channels-last input) or per channel plane, in threads.

    OpenCV releases the GIL, so the images are split into one contiguous chunk per
    ``torch.get_num_threads()`` worker. The output is allocated by numpy, whose large
    allocations ask the kernel for huge pages: first-touching a fresh 150 MB tensor
    costs about 35 ms with torch's allocator and 8 ms with numpy's on a 2-core VM.
    """
    cv2 = _cv2()
    if cv2 is None:
        raise ValueError("backend: 'opencv' needs opencv-python (cv2), which does not import")
    if batch.device.type != "cpu" or batch.dtype not in _OPENCV_DTYPES:
        raise ValueError(
            f"backend: 'opencv' works on CPU uint8, float32 or float64 images, "
            f"got {batch.dtype} on {batch.device}"
        )
    n, c, h, w = batch.shape
    flags = {"bilinear": cv2.INTER_LINEAR, "nearest": cv2.INTER_NEAREST}[interpolation]
    flags |= cv2.WARP_INVERSE_MAP
    border = {
        "zeros": cv2.BORDER_CONSTANT,
        "border": cv2.BORDER_REPLICATE,
        "reflection": cv2.BORDER_REFLECT,
    }[padding]
    mats = inv.detach().cpu().double().numpy()
    src = batch.detach()
    dtype = torch.empty(0, dtype=src.dtype).numpy().dtype
    if 1 < c <= 4 and src.permute(0, 2, 3, 1).is_contiguous():  # (H, W, C) views, one call each
        a = src.permute(0, 2, 3, 1).numpy()
        o = np.empty((n, h, w, c), dtype)
        out = torch.from_numpy(o).permute(0, 3, 1, 2)  # channels-last, like the input

        def work(lo: int, hi: int) -> None:
            for i in range(lo, hi):
                cv2.warpAffine(a[i], mats[i], (w, h), dst=o[i], flags=flags, borderMode=border)

    else:  # (H, W) planes of the (N, C, H, W) layout, one call each
        a = src.contiguous().numpy()
        o = np.empty((n, c, h, w), dtype)
        out = torch.from_numpy(o)

        def work(lo: int, hi: int) -> None:
            for i in range(lo, hi):
                m = mats[i]
                for k in range(c):
                    cv2.warpAffine(a[i, k], m, (w, h), dst=o[i, k], flags=flags, borderMode=border)

    _run_chunks(work, n)
    return out


_POOL: tuple[int, int, ThreadPoolExecutor] | None = None


def _run_chunks(work: Callable[[int, int], None], n: int) -> None:
    """``work(lo, hi)`` over [0, n) in one chunk per torch thread (serially if one)."""
    global _POOL
    workers = max(1, min(torch.get_num_threads(), n))
    if workers == 1:
        work(0, n)
        return
    if _POOL is None or _POOL[0] != os.getpid() or _POOL[1] < workers:
        _POOL = (os.getpid(), workers, ThreadPoolExecutor(workers, "trainlab-warp"))
    bounds = [n * k // workers for k in range(workers + 1)]
    futures = [_POOL[2].submit(work, lo, hi) for lo, hi in itertools.pairwise(bounds)]
    for f in futures:
        f.result()


def warp_affine(
    batch: torch.Tensor,
    matrices: torch.Tensor,
    *,
    interpolation: str = "bilinear",
    padding: str = "zeros",
    backend: str = "auto",
) -> torch.Tensor:
    """Warp every image of ``batch`` by its forward matrix: dst(p') = src(M⁻¹ p').

    Matrices map input pixel coordinates (x right, y down, pixel centres at
    integers) to output pixel coordinates, as the 2 × 3 matrix of
    ``cv2.warpAffine``.

    Args:
        batch: images (N, C, H, W), uint8 or any float dtype, any number of channels.
        matrices: (N, 3, 3) or (N, 2, 3) forward matrices, or one (3, 3) / (2, 3) for all.
        interpolation: "bilinear" or "nearest".
        padding: outside the input, "zeros", "border" (replicate the edge pixel) or
            "reflection" (about the pixel edges, OpenCV's ``BORDER_REFLECT``).
        backend: "torch" (one grid and one ``grid_sample``; any device), "opencv"
            (``cv2.warpAffine`` per image; CPU uint8/float32/float64) or "auto"
            (see :func:`choose_backend`).

    Returns:
        The warped images: a new tensor of the input's shape, dtype and device.

    Example:
        >>> x = torch.arange(16.0).view(1, 1, 4, 4)
        >>> shift = translation_matrix(1.0, 0.0)  # one pixel to the right
        >>> warp_affine(x, shift, interpolation="nearest")[0, 0, 0].tolist()
        [0.0, 0.0, 1.0, 2.0]
    """
    if not isinstance(batch, torch.Tensor) or batch.ndim != 4:
        shape = tuple(batch.shape) if isinstance(batch, torch.Tensor) else type(batch).__name__
        raise ValueError(f"batch: expected images (N, C, H, W), got {shape}")
    if not (batch.dtype == torch.uint8 or batch.is_floating_point()):
        raise ValueError(f"batch: expected uint8 or floating-point images, got {batch.dtype}")
    _check_choice("interpolation", interpolation, INTERPOLATIONS)
    _check_choice("padding", padding, PADDINGS)
    kernel = choose_backend(batch, backend)
    n = batch.shape[0]
    if n == 0:
        return batch.clone()
    inv = _inverse(_as_matrices(matrices, n).to(batch.device))
    if kernel == "opencv":
        return _warp_opencv(batch, inv, interpolation, padding)
    return _warp_torch(batch, inv, interpolation, padding)


# -- the augmentation -------------------------------------------------------------------
def _maxima(name: str, value: _Number | Sequence[_Number], *, below: float | None = None):
    """(x, y) non-negative maxima from a number (both axes) or a pair."""
    if isinstance(value, (int, float)):
        pair = (float(value), float(value))
    else:
        try:
            pair = tuple(float(v) for v in value)
        except (TypeError, ValueError):
            pair = ()
        if len(pair) != 2:
            raise ValueError(f"{name}: expected a number or an [x, y] pair, got {value!r}")
    if min(pair) < 0 or not all(math.isfinite(v) for v in pair):
        raise ValueError(f"{name}: expected non-negative values, got {value!r}")
    if below is not None and max(pair) >= below:
        raise ValueError(f"{name}: expected values below {below}, got {value!r}")
    return pair


def _scale_range(name: str, value: Any) -> tuple[float, float]:
    lo, hi = check_range(name, value)
    if lo <= 0:
        raise ValueError(f"{name}: expected positive scale factors, got {value!r}")
    return lo, hi


# rows of the single (10, N) draw of ``RandomAffine.sample_params``
_APPLY, _ANGLE, _TX, _TY, _SX, _SY, _SHX, _SHY, _HFLIP, _VFLIP = range(10)


class RandomAffine(Augmentation):
    """Random rotation, translation, rescale, shear and flips: one matrix per sample.

    Each sample draws θ ~ U(rotation), t ~ U(±translate · (W, H)), a scale, shear
    angles and flips, and is warped by M = T(c + t) · R(θ) · Sh · S · F · T(−c)
    (see the module docstring); the batch is warped once.

    Args:
        rotation: degrees, ±value, or a [low, high] range; positive is counter-clockwise.
        translate: fraction of the width and height, ±value, or an (x, y) pair of maxima.
        scale: None (no rescale), a [low, high] range of isotropic factors such as
            (0.9, 1.1), or a number s (every sample scaled by s).
        scale_xy: per-axis ranges ((sx_low, sx_high), (sy_low, sy_high)), instead of ``scale``.
        shear: degrees; a number φ shears along x by an angle in ±φ (torchvision's and
            kornia's convention), an (x, y) pair of maxima shears along both.
        hflip: probability of a horizontal flip.
        vflip: probability of a vertical flip.
        interpolation: "bilinear" or "nearest".
        padding: "zeros", "border" or "reflection".
        backend: "auto", "torch" or "opencv" (see :func:`warp_affine`).
        p: probability that a sample is transformed at all.
        p_rotation, p_translate, p_scale, p_shear: probability of each component
            within a transformed sample (the others still compose into its one matrix).

    Example:
        >>> import torch
        >>> from trainlab.augment.image.affine import RandomAffine
        >>> aug = RandomAffine(rotation=15, translate=0.1, scale=(0.9, 1.1), shear=10, hflip=0.5)
        >>> x = torch.rand(8, 3, 28, 28)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
        >>> params["matrix"].shape, aug.apply(x, params).shape
        (torch.Size([8, 3, 3]), torch.Size([8, 3, 28, 28]))
        >>> torch.equal(aug.apply(x, params), aug.apply(x, params))
        True
    """

    ranks = (4,)

    def __init__(
        self,
        rotation: float | Sequence[float] = 0.0,
        translate: float | Sequence[float] = 0.0,
        scale: float | Sequence[float] | None = None,
        scale_xy: Sequence[Sequence[float]] | None = None,
        shear: float | Sequence[float] = 0.0,
        hflip: float = 0.0,
        vflip: float = 0.0,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
        p_rotation: float = 1.0,
        p_translate: float = 1.0,
        p_scale: float = 1.0,
        p_shear: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.p_rotation = check_probability("p_rotation", p_rotation)
        self.p_translate = check_probability("p_translate", p_translate)
        self.p_scale = check_probability("p_scale", p_scale)
        self.p_shear = check_probability("p_shear", p_shear)
        self.rotation = check_range("rotation", rotation, symmetric=True)
        self.translate = _maxima("translate", translate)
        if scale is not None and scale_xy is not None:
            raise ValueError("scale_xy: give either scale or scale_xy, not both")
        self.scale = None if scale is None else _scale_range("scale", scale)
        if scale_xy is None:
            self.scale_xy = None
        else:
            try:
                sx, sy = scale_xy
                if isinstance(sx, (int, float)) or isinstance(sy, (int, float)):
                    raise TypeError
            except (TypeError, ValueError):
                raise ValueError(
                    f"scale_xy: expected [[sx_low, sx_high], [sy_low, sy_high]], got {scale_xy!r}"
                ) from None
            self.scale_xy = (_scale_range("scale_xy", sx), _scale_range("scale_xy", sy))
        if isinstance(shear, (int, float)):
            self.shear = (_maxima("shear", shear, below=90.0)[0], 0.0)
        else:
            self.shear = _maxima("shear", shear, below=90.0)
        self.hflip = check_probability("hflip", hflip)
        self.vflip = check_probability("vflip", vflip)
        self.interpolation = _check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.padding = _check_choice("padding", padding, PADDINGS)
        self.backend = _check_choice("backend", backend, BACKENDS)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        """Per-sample draws and the composed matrices.

        Returns:
            ``apply`` (N,) bool; ``angle`` (N,) degrees; ``translate`` (N, 2) pixels;
            ``scale`` (N, 2); ``shear`` (N, 2) degrees; ``hflip``, ``vflip`` (N,) bool;
            ``matrix`` (N, 3, 3) float32, the identity where ``apply`` is False (the other
            entries are the draws, used only where ``apply``).
        """
        self.check_batch(batch)
        n, _, h, w = batch.shape
        gdev = generator.device if generator is not None else torch.device("cpu")
        u = torch.rand(10, n, generator=generator, device=gdev).to(batch.device)

        def span(row: int, lo: float, hi: float) -> torch.Tensor:
            return u[row] * (hi - lo) + lo

        apply = u[_APPLY] < self.p
        angle = span(_ANGLE, *self.rotation)
        tx = span(_TX, -self.translate[0], self.translate[0]) * w
        ty = span(_TY, -self.translate[1], self.translate[1]) * h
        if self.scale_xy is not None:
            sx, sy = span(_SX, *self.scale_xy[0]), span(_SY, *self.scale_xy[1])
        elif self.scale is not None:
            sx = sy = span(_SX, *self.scale)
        else:
            sx = sy = torch.ones_like(angle)
        shx = span(_SHX, -self.shear[0], self.shear[0])
        shy = span(_SHY, -self.shear[1], self.shear[1])
        hflip, vflip = u[_HFLIP] < self.hflip, u[_VFLIP] < self.vflip
        probs = (self.p_rotation, self.p_translate, self.p_scale, self.p_shear)
        if min(probs) < 1.0:  # each component on its own coin (drawn apart: other draws stay)
            v = torch.rand(4, n, generator=generator, device=gdev).to(batch.device)
            on = [v[i] < q for i, q in enumerate(probs)]
            angle = torch.where(on[0], angle, torch.zeros_like(angle))
            tx, ty = (torch.where(on[1], t, torch.zeros_like(t)) for t in (tx, ty))
            sx, sy = (torch.where(on[2], s_, torch.ones_like(s_)) for s_ in (sx, sy))
            shx, shy = (torch.where(on[3], t, torch.zeros_like(t)) for t in (shx, shy))
        matrix = affine_matrix(angle, tx, ty, sx, sy, shx, shy, hflip, vflip, apply, (h, w))
        return {
            "apply": apply,
            "angle": angle,
            "translate": torch.stack([tx, ty], -1),
            "scale": torch.stack([sx, sy], -1),
            "shear": torch.stack([shx, shy], -1),
            "hflip": hflip,
            "vflip": vflip,
            "matrix": matrix,
        }

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        """Warp the samples where ``apply`` by ``matrix``; copy the others exactly."""
        self.check_batch(batch)
        return _apply_masked(
            batch,
            params["apply"],
            lambda x, idx: warp_affine(
                x,
                params["matrix"] if idx is None else params["matrix"][idx],
                interpolation=self.interpolation,
                padding=self.padding,
                backend=self.backend,
            ),
        )

    def extra_repr(self) -> str:
        parts = [
            f"rotation={self.rotation}",
            f"translate={self.translate}",
            f"scale={self.scale_xy if self.scale_xy is not None else self.scale}",
            f"shear={self.shear}",
            f"hflip={self.hflip}",
            f"vflip={self.vflip}",
            f"interpolation={self.interpolation!r}",
            f"padding={self.padding!r}",
            f"backend={self.backend!r}",
        ]
        return ", ".join([*parts, super().extra_repr()])


def _apply_masked(batch: torch.Tensor, apply: torch.Tensor, fn) -> torch.Tensor:
    """``fn`` on the samples where ``apply``; the others copied (a new tensor either way).

    On a CPU only the selected samples are transformed; on other devices the whole
    batch is, and ``torch.where`` selects (no host synchronization).
    """
    if batch.device.type != "cpu":
        return torch.where(apply.view(-1, 1, 1, 1), fn(batch, None), batch)
    count = int(apply.sum())
    if count == batch.shape[0]:
        return fn(batch, None)
    if count == 0:
        return batch.clone()
    idx = apply.nonzero().squeeze(1)
    out = batch.clone()
    out[idx] = fn(batch[idx], idx)
    return out


def affine_matrix(
    angle: torch.Tensor,
    tx: torch.Tensor,
    ty: torch.Tensor,
    sx: torch.Tensor,
    sy: torch.Tensor,
    shear_x: torch.Tensor,
    shear_y: torch.Tensor,
    hflip: torch.Tensor,
    vflip: torch.Tensor,
    apply: torch.Tensor,
    size: tuple[int, int],
) -> torch.Tensor:
    """T(c + t) · R(θ) · Sh · S · F · T(−c) in closed form, the identity where not ``apply``.

    Equal to ``compose(translation_matrix(tx, ty), rotation_matrix(θ, size=…),
    shear_matrix(tan φx, tan φy, size=…), scale_matrix(sx, sy, size=…),
    flip_matrix(h, v, size=…))``, in about twenty elementwise operations on (N,).

    Args:
        angle: (N,) rotation in degrees.
        tx: (N,) shift right in pixels.
        ty: (N,) shift down in pixels.
        sx: (N,) horizontal scale.
        sy: (N,) vertical scale.
        shear_x: (N,) shear angle along x, degrees.
        shear_y: (N,) shear angle along y, degrees.
        hflip: (N,) bool.
        vflip: (N,) bool.
        apply: (N,) bool.
        size: (H, W).

    Returns:
        (N, 3, 3) float32 matrices.

    Example:
        >>> z, o = torch.zeros(1), torch.ones(1)
        >>> f, t = torch.tensor([False]), torch.tensor([True])
        >>> affine_matrix(z, z, z, o, o, z, z, t, f, t, (1, 5))[0, 0].tolist()
        [-1.0, 0.0, 4.0]
    """
    h, w = size
    rad = torch.deg2rad(angle.float())
    cos, sin = torch.cos(rad), torch.sin(rad)
    kx, ky = torch.tan(torch.deg2rad(shear_x.float())), torch.tan(torch.deg2rad(shear_y.float()))
    a = sx * (1.0 - 2.0 * hflip.float())  # S · F, x
    d = sy * (1.0 - 2.0 * vflip.float())  # S · F, y
    m00, m01 = a * (cos + sin * ky), d * (cos * kx + sin)
    m10, m11 = a * (cos * ky - sin), d * (cos - sin * kx)
    cx, cy = (w - 1) / 2, (h - 1) / 2
    b0 = cx + tx - (m00 * cx + m01 * cy)
    b1 = cy + ty - (m10 * cx + m11 * cy)
    zero, one = torch.zeros_like(m00), torch.ones_like(m00)
    rows = torch.stack([m00, m01, b0, m10, m11, b1, zero, zero, one], -1).view(-1, 3, 3)
    eye = torch.eye(3, dtype=rows.dtype, device=rows.device)
    return torch.where(apply.view(-1, 1, 1), rows, eye).float()


# -- the lecture's names ----------------------------------------------------------------
class RandomTranslate(RandomAffine):
    """Random translation by up to ``translate`` of the width and height (lecture: traslación).

    Example:
        >>> import torch
        >>> RandomTranslate(0.25)(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 1, 8, 8])
    """

    def __init__(
        self,
        translate: float | Sequence[float] = 0.1,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        super().__init__(
            translate=translate, interpolation=interpolation, padding=padding, backend=backend, p=p
        )


class RandomRescale(RandomAffine):
    """Random rescale about the centre (lecture: rescalado), isotropic or per axis.

    Example:
        >>> import torch
        >>> RandomRescale(scale=(0.8, 1.2))(torch.rand(2, 3, 8, 8)).shape
        torch.Size([2, 3, 8, 8])
    """

    def __init__(
        self,
        scale: float | Sequence[float] | None = (0.9, 1.1),
        scale_xy: Sequence[Sequence[float]] | None = None,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        if scale_xy is not None and scale == (0.9, 1.1):
            scale = None  # the per-axis ranges replace the default isotropic one
        super().__init__(
            scale=scale,
            scale_xy=scale_xy,
            interpolation=interpolation,
            padding=padding,
            backend=backend,
            p=p,
        )


class RandomFlip(RandomAffine):
    """Random horizontal and vertical flips (lecture: giro, ``diag(-1, 1, 1)``), exact.

    The matrix is drawn as in :class:`RandomAffine`; the flip itself is ``torch.flip``,
    which is what that matrix does (no interpolation).

    Example:
        >>> import torch
        >>> x = torch.arange(4.0).view(1, 1, 1, 4)
        >>> RandomFlip(hflip=1.0)(x).flatten().tolist()
        [3.0, 2.0, 1.0, 0.0]
    """

    def __init__(self, hflip: float = 0.5, vflip: float = 0.0, p: float = 1.0) -> None:
        super().__init__(hflip=hflip, vflip=vflip, interpolation="nearest", p=p)

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        view = (-1, 1, 1, 1)
        apply = params["apply"]
        out = torch.where((apply & params["hflip"]).view(view), batch.flip(-1), batch)
        if bool(self.vflip):
            out = torch.where((apply & params["vflip"]).view(view), out.flip(-2), out)
        return out


class RandomRotate(RandomAffine):
    """Random rotation about the centre by up to ±``rotation`` degrees (lecture: rotación).

    Example:
        >>> import torch
        >>> RandomRotate(30)(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 1, 8, 8])
    """

    def __init__(
        self,
        rotation: float | Sequence[float] = 15.0,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        super().__init__(
            rotation=rotation, interpolation=interpolation, padding=padding, backend=backend, p=p
        )


class RandomShear(RandomAffine):
    """Random shear about the centre, angles in degrees (lecture: deformación de corte).

    Example:
        >>> import torch
        >>> RandomShear((10, 5))(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 1, 8, 8])
    """

    def __init__(
        self,
        shear: float | Sequence[float] = 10.0,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        super().__init__(
            shear=shear, interpolation=interpolation, padding=padding, backend=backend, p=p
        )
