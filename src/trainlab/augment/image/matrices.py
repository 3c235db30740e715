"""The lecture's image transformations as 3×3 matrices: translation, rescale, flip, rotation, shear.

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
2 × 3 matrix of OpenCV's ``warpAffine`` (:func:`trainlab.augment.image.warp.warp_affine`
warps by it). Matrices compose by the matrix product, applied right to left:
``compose(A, B)`` = A · B applies B first. :func:`affine_matrix` is the
composition :class:`~trainlab.augment.image.affine.RandomAffine` draws per sample,

    M = T(c + t) · R(θ) · Sh(cx, cy) · S(sx, sy) · F(h, v) · T(−c)

(flip first, then rescale, shear, rotation, translation), in closed form.

Example:
    >>> import math, torch
    >>> from trainlab.augment.image.matrices import compose, rotation_matrix
    >>> r = rotation_matrix(torch.tensor([math.pi / 2]), size=(4, 4))
    >>> back = compose(rotation_matrix(torch.tensor([-math.pi / 2]), size=(4, 4)), r)
    >>> torch.allclose(back, torch.eye(3), atol=1e-6)
    True
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

_Number = float | int
_Values = torch.Tensor | _Number | Sequence[_Number]


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
