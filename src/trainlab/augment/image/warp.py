"""Warping image batches by affine matrices: a batched torch kernel and an OpenCV one.

:func:`warp_affine` computes dst(p') = src(M⁻¹ p') for every image, with M the
forward pixel-space matrix of :mod:`trainlab.augment.image.matrices` (OpenCV's
``warpAffine`` convention).

**Torch kernel.** It builds the sampling grid of ``F.affine_grid``
(``align_corners=False``: pixel x ↔ normalized u = (2x + 1) / W − 1) as
broadcast sums, 3–4 times faster than ``affine_grid`` on a CPU, and samples it
with one ``F.grid_sample`` for the whole batch, on the batch's device. Padding
``"zeros"``, ``"border"`` and ``"reflection"`` are OpenCV's ``BORDER_CONSTANT``
(0), ``BORDER_REPLICATE`` and ``BORDER_REFLECT`` (``fedcba|abcdef``, reflected
about the pixel edges).

**OpenCV kernel.** On a CPU, images of 64 × 64 pixels or more are faster
with ``cv2.warpAffine`` (one call per image, or per channel plane, spread over
``torch.get_num_threads()`` threads that live only for the call): the same
mapping and paddings. OpenCV 5 agrees with the torch kernel to 1e-5 on float
images; older releases quantize the bilinear weights to 1/32 pixel. uint8
images are interpolated in float32 and rounded back (OpenCV: fixed point,
within one grey level). ``"nearest"`` may pick the other pixel where the source
point lies within OpenCV's 1/1024-pixel fixed-point step of a tie (OpenCV
rounds half up, torch half to even). Bilinear flips and integer shifts are
exact up to float rounding of the normalized coordinates (1e-5); ``"nearest"``
makes them exact.

Example:
    >>> import torch
    >>> from trainlab.augment.image.matrices import flip_matrix
    >>> from trainlab.augment.image.warp import warp_affine
    >>> x = torch.arange(12.0).view(1, 1, 3, 4)
    >>> m = flip_matrix(torch.tensor([True]), torch.tensor([False]), size=(3, 4))
    >>> torch.equal(warp_affine(x, m, interpolation="nearest"), x.flip(-1))
    True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from trainlab.augment._base import check_choice

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


# -- matrices as the kernels read them ----------------------------------------------------
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


# -- the kernels --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _cv2() -> Any:
    """OpenCV, or None when it does not import."""
    try:
        import cv2
    except Exception:  # any import failure (missing libGL, ABI mismatch) means "not available"
        return None
    return cv2


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
    check_choice("backend", backend, BACKENDS)
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


def _run_chunks(work: Callable[[int, int], None], n: int) -> None:
    """``work(lo, hi)`` over [0, n) in one chunk per torch thread (serially if one).

    The calling thread takes the first chunk; the others run on threads of a pool
    that this call starts and shuts down before it returns (nothing outlives it).
    """
    workers = max(1, min(torch.get_num_threads(), n))
    if workers == 1:
        work(0, n)
        return
    bounds = [n * k // workers for k in range(workers + 1)]
    first, *rest = itertools.pairwise(bounds)
    with ThreadPoolExecutor(workers - 1, "trainlab-warp") as pool:
        futures = [pool.submit(work, lo, hi) for lo, hi in rest]
        work(*first)
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
        >>> from trainlab.augment.image.matrices import translation_matrix
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
    check_choice("interpolation", interpolation, INTERPOLATIONS)
    check_choice("padding", padding, PADDINGS)
    kernel = choose_backend(batch, backend)
    n = batch.shape[0]
    if n == 0:
        return batch.clone()
    inv = _inverse(_as_matrices(matrices, n).to(batch.device))
    if kernel == "opencv":
        return _warp_opencv(batch, inv, interpolation, padding)
    return _warp_torch(batch, inv, interpolation, padding)
