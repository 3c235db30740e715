"""Translation and scaling along time for 1-D signals (N, C, L).

The lecture's image augmentations (translation, rescale) carried over to
sequences, as in MNIST-1D (Greydanus, *Scaling Down Deep Learning*, 2020),
whose examples are built by exactly such shifts and scalings of templates:

- **time shift**: x'(t) = x(t − s) with an integer shift s drawn per sample
  uniformly from ±``max_shift``·L (rounded); the samples that enter are zeros,
  copies of the border value, or wrapped around (``padding``);
- **time scale**: x'(t) = x(c + (t − c) / f) about the centre c of the signal,
  with f drawn per sample from ``scale`` (f > 1 stretches, f < 1 shrinks),
  linearly interpolated; the whole batch is resampled by one ``grid_sample``
  on an (N, C, 1, L) view.

Example:
    >>> import torch
    >>> from trainlab.augment.signal.time import TimeShift
    >>> x = torch.arange(1.0, 6.0).view(1, 1, 5)
    >>> TimeShift().apply(x, {"apply": torch.tensor([True]), "shift": torch.tensor([2])})
    tensor([[[0., 0., 1., 2., 3.]]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch
import torch.nn.functional as F

from trainlab.augment._base import Augmentation, Params, check_range, uniform

SHIFT_PADDINGS: tuple[str, ...] = ("zeros", "border", "circular")
SCALE_PADDINGS: tuple[str, ...] = ("zeros", "border")


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _restore(out: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    if like.is_floating_point():
        return out.to(like.dtype)
    info = torch.iinfo(like.dtype)
    return out.round().clamp(info.min, info.max).to(like.dtype)


def time_shift(x: torch.Tensor, shift: torch.Tensor, padding: str = "zeros") -> torch.Tensor:
    """x'[..., t] = x[..., t − shift] per sample, for (N, C, L) and integer shifts (N,).

    Example:
        >>> import torch
        >>> x = torch.arange(4.0).view(1, 1, 4)
        >>> time_shift(x, torch.tensor([-1]), "circular").tolist()
        [[[1.0, 2.0, 3.0, 0.0]]]
    """
    n, c, length = x.shape
    shift = shift.to(x.device).long()
    if padding == "circular":
        shift = shift.remainder(length)
    reach = min(int(shift.abs().max()) if n else 0, length)
    if reach == 0:
        return x.clone()
    # every window of L samples of the padded signal is a view; sample n takes the one
    # that starts ``reach − shift`` in (one copy of N·C·L values, no index per sample)
    mode = {"zeros": "constant", "border": "replicate", "circular": "circular"}[padding]
    wide = x if x.is_floating_point() or mode != "replicate" else x.float()
    padded = F.pad(wide, (reach, reach), mode=mode).to(x.dtype)
    windows = padded.unfold(2, length, 1)  # (N, C, 2·reach + 1, L)
    start = (reach - shift.clamp(-reach, reach)).view(n, 1)
    return windows[torch.arange(n, device=x.device).view(n, 1), :, start].view(n, c, length)


def time_scale(x: torch.Tensor, factor: torch.Tensor, padding: str = "zeros") -> torch.Tensor:
    """x'(t) = x(c + (t − c) / factor) about the centre c, linear, for float (N, C, L).

    Example:
        >>> import torch
        >>> x = torch.arange(4.0).view(1, 1, 4)
        >>> time_scale(x, torch.tensor([1.0])).tolist()
        [[[0.0, 1.0, 2.0, 3.0]]]
    """
    n, c, length = x.shape
    centres = (2 * torch.arange(length, device=x.device, dtype=x.dtype) + 1) / length - 1
    gx = centres.view(1, length) / factor.to(device=x.device, dtype=x.dtype).view(n, 1)
    grid = torch.stack([gx, torch.zeros_like(gx)], dim=-1).view(n, 1, length, 2)
    out = F.grid_sample(
        x.view(n, c, 1, length), grid, mode="bilinear", padding_mode=padding, align_corners=False
    )
    return out.view(n, c, length)


class TimeShift(Augmentation):
    """Shift signals along time by a whole number of samples, up to ``max_shift``·L.

    Args:
        max_shift: the largest shift as a fraction of the length L, in [0, 1].
        padding: what enters: "zeros", "border" (the edge value repeated) or "circular".
        p: probability that a sample is shifted.

    Example:
        >>> import torch
        >>> from trainlab.augment.signal.time import TimeShift
        >>> x = torch.rand(8, 1, 40)
        >>> params = TimeShift(max_shift=0.1).sample_params(x, torch.Generator().manual_seed(0))
        >>> bool((params["shift"].abs() <= 4).all())
        True
    """

    ranks = (3,)

    def __init__(
        self,
        max_shift: float = 0.1,
        padding: Literal["zeros", "border", "circular"] = "zeros",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        max_shift = float(max_shift)
        if not 0.0 <= max_shift <= 1.0:
            raise ValueError(
                f"max_shift: expected a fraction of the length in [0, 1], got {max_shift}"
            )
        self.max_shift = max_shift
        self.padding = _check_choice("padding", padding, SHIFT_PADDINGS)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        reach = self.max_shift * batch.shape[-1]
        shift = torch.round(uniform(batch.shape[0], -reach, reach, generator, batch.device))
        params["shift"] = torch.where(params["apply"], shift, 0.0).long()  # (N,) samples
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        out = time_shift(batch, params["shift"], self.padding)
        return torch.where(self.mask(params, batch), out, batch)

    def extra_repr(self) -> str:
        return f"max_shift={self.max_shift}, padding={self.padding!r}, p={self.p}"


class TimeScale(Augmentation):
    """Stretch or shrink signals about their centre by a factor drawn from ``scale``.

    Args:
        scale: [low, high] range of the factor (> 0; above 1 stretches), or one factor.
        p: probability that a sample is rescaled.
        padding: what a shrunk signal is padded with: "zeros" or "border".

    Example:
        >>> import torch
        >>> from trainlab.augment.signal.time import TimeScale
        >>> x = torch.ones(2, 1, 10)
        >>> out = TimeScale(scale=(0.5, 0.5))(x)
        >>> out[0, 0].tolist()
        [0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0]
    """

    ranks = (3,)

    def __init__(
        self,
        scale: float | Sequence[float] = (0.9, 1.1),
        p: float = 1.0,
        padding: Literal["zeros", "border"] = "zeros",
    ) -> None:
        super().__init__(p)
        self.scale = check_range("scale", scale)
        if not self.scale[0] > 0.0:
            raise ValueError(f"scale: expected positive factors, got {list(self.scale)}")
        self.padding = _check_choice("padding", padding, SCALE_PADDINGS)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        factor = uniform(batch.shape[0], *self.scale, generator, batch.device)
        params["factor"] = torch.where(params["apply"], factor, 1.0)  # (N,)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = batch if batch.dtype in (torch.float32, torch.float64) else batch.float()
        out = torch.where(
            self.mask(params, batch), time_scale(x, params["factor"], self.padding), x
        )
        return _restore(out, batch)

    def extra_repr(self) -> str:
        return f"scale={self.scale}, p={self.p}, padding={self.padding!r}"
