"""Random affine augmentation: one composed matrix per sample, one warp per batch.

The lecture's image transformations (translation, rescale, flip, rotation,
shear; :mod:`trainlab.augment.image.matrices`) compose into one 3×3 matrix per
sample,

    M = T(c + t) · R(θ) · Sh(cx, cy) · S(sx, sy) · F(h, v) · T(−c)

(flip first, then rescale, shear, rotation, translation, about the image
centre c), and the whole batch is warped once by
:func:`trainlab.augment.image.warp.warp_affine`. All draws of a batch come
from one (10, N) uniform tensor, so a draw replays exactly.

Example:
    >>> import torch
    >>> from trainlab.augment.image.affine import RandomAffine
    >>> aug = RandomAffine(rotation=15, translate=0.1, hflip=0.5)
    >>> x = torch.rand(4, 1, 28, 28)
    >>> aug(x, torch.Generator().manual_seed(0)).shape
    torch.Size([4, 1, 28, 28])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from trainlab.augment._base import (
    Augmentation,
    Params,
    check_choice,
    check_probability,
    check_range,
)
from trainlab.augment.image.matrices import affine_matrix
from trainlab.augment.image.warp import BACKENDS, INTERPOLATIONS, PADDINGS, warp_affine

_Number = float | int


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
        self.interpolation = check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.padding = check_choice("padding", padding, PADDINGS)
        self.backend = check_choice("backend", backend, BACKENDS)

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
