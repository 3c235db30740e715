"""Color jitter: random brightness, contrast and saturation, per sample.

Each operation blends the image x with a reference image r and a factor f
drawn per sample, exactly as torchvision's ``adjust_*`` functions define them
(``_blend``: f·x + (1 − f)·r, then clipped to the value range):

- **brightness**: r = 0, so x' = f·x;
- **contrast**: r = the mean of the image's grayscale (one number per image);
- **saturation**: r = the grayscale image itself (only for 3-channel images;
  saturation is the identity for any other number of channels).

The grayscale is ITU-R 601-2 luma with torchvision's weights
(0.2989 R + 0.587 G + 0.114 B); for one channel it is the image itself and for
other channel counts the channel mean. As in torchvision's ``ColorJitter``, a
number b gives factors in [max(0, 1 − b), 1 + b] and a pair gives the range
itself; the three operations run in a random order, drawn here per sample.

Value range: uint8 images are clipped to [0, 255] after every operation and
rounded at the end; float images are clipped to [0, 1] only with
``clamp=True``, since trainlab usually normalizes inputs before augmenting
them (then they are not in [0, 1] and must not be clipped).

Example:
    >>> import torch
    >>> from trainlab.augment.image.color import ColorJitter
    >>> x = torch.rand(4, 3, 8, 8)
    >>> aug = ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, clamp=True)
    >>> out = aug(x, torch.Generator().manual_seed(0))
    >>> out.shape, bool(out.min() >= 0), bool(out.max() <= 1)
    (torch.Size([4, 3, 8, 8]), True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from trainlab.augment._base import Augmentation, Params, check_range, uniform

#: torchvision's ``rgb_to_grayscale`` weights for R, G, B
GRAY_WEIGHTS: tuple[float, float, float] = (0.2989, 0.587, 0.114)

#: operation codes of the ``order`` parameter
BRIGHTNESS, CONTRAST, SATURATION = 0, 1, 2


def factor_range(name: str, value: float | Sequence[float]) -> tuple[float, float]:
    """torchvision's factor range: b → [max(0, 1 − b), 1 + b]; a pair is kept as is."""
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{name}: expected a non-negative number, got {value}")
        return (max(0.0, 1.0 - float(value)), 1.0 + float(value))
    return check_range(name, value, low=0.0)


def grayscale(x: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) → (N, 1, H, W): luma for C = 3, the image for C = 1, else the channel mean."""
    if x.shape[1] == 3:
        r, g, b = x.unbind(1)
        w = GRAY_WEIGHTS
        return (w[0] * r + w[1] * g + w[2] * b).unsqueeze(1)
    return x.mean(dim=1, keepdim=True)


def color_jitter(
    x: torch.Tensor, factors: torch.Tensor, order: torch.Tensor, bound: float | None
) -> torch.Tensor:
    """Brightness, contrast and saturation of float images, per sample.

    Args:
        x: float images (N, C, H, W).
        factors: (N, 3) brightness, contrast and saturation factors.
        order: (N, 3) a permutation of (0, 1, 2) per sample: the order of the operations.
        bound: clip to [0, bound] after every operation (None: no clipping).

    Returns:
        The jittered images (N, C, H, W).

    Example:
        >>> import torch
        >>> x = torch.full((1, 3, 2, 2), 0.5)
        >>> f = torch.tensor([[2.0, 1.0, 1.0]])
        >>> color_jitter(x, f, torch.tensor([[0, 1, 2]]), bound=1.0).unique().tolist()
        [1.0]
    """
    n, c = x.shape[:2]
    view = (n, 1, 1, 1)
    factors = factors.to(x.dtype)
    if c != 3:  # saturation needs color: the identity otherwise
        factors = factors.clone()
        factors[:, SATURATION] = 1.0
    for step in range(3):
        op = order[:, step]
        f = factors.gather(1, op.view(n, 1)).view(view)
        gray = grayscale(x)  # (N, 1, H, W)
        mean = gray.mean(dim=(-3, -2, -1), keepdim=True)  # (N, 1, 1, 1)
        ref = torch.where(
            (op == BRIGHTNESS).view(view),
            torch.zeros((), dtype=x.dtype, device=x.device),
            torch.where((op == CONTRAST).view(view), mean, gray),
        )
        x = f * x + (1.0 - f) * ref
        if bound is not None:
            x = x.clamp(0.0, bound)
    return x


class ColorJitter(Augmentation):
    """Random brightness, contrast and saturation (torchvision's ``ColorJitter`` without hue).

    Args:
        brightness: b (factors in [max(0, 1 − b), 1 + b]) or a [low, high] range of factors.
        contrast: likewise for contrast.
        saturation: likewise for saturation (the identity unless the images have 3 channels).
        p: probability that a sample is jittered.
        clamp: clip float images to [0, 1] after every operation (use it only for images in
            [0, 1], not for normalized ones); uint8 images are always kept in [0, 255].

    Example:
        >>> import torch
        >>> from trainlab.augment.image.color import ColorJitter
        >>> x = torch.full((2, 1, 4, 4), 100, dtype=torch.uint8)
        >>> aug = ColorJitter(brightness=(2.0, 2.0))
        >>> aug(x).unique().tolist()
        [200]
    """

    ranks = (4,)

    def __init__(
        self,
        brightness: float | Sequence[float] = 0.0,
        contrast: float | Sequence[float] = 0.0,
        saturation: float | Sequence[float] = 0.0,
        p: float = 1.0,
        clamp: bool = False,
    ) -> None:
        super().__init__(p)
        self.brightness = factor_range("brightness", brightness)
        self.contrast = factor_range("contrast", contrast)
        self.saturation = factor_range("saturation", saturation)
        if not isinstance(clamp, bool):
            raise ValueError(f"clamp: expected true or false, got {clamp!r}")
        self.clamp = clamp

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n, device = batch.shape[0], batch.device
        for name in ("brightness", "contrast", "saturation"):
            lo, hi = getattr(self, name)
            params[name] = uniform(n, lo, hi, generator, device)
        gdev = generator.device if generator is not None else torch.device("cpu")
        keys = torch.rand(n, 3, generator=generator, device=gdev)
        params["order"] = keys.argsort(dim=1).to(device)  # (N, 3) a permutation per sample
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        floating = batch.is_floating_point()
        x = batch if batch.dtype in (torch.float32, torch.float64) else batch.float()
        bound = 255.0 if not floating else (1.0 if self.clamp else None)
        factors = torch.stack(
            [params["brightness"], params["contrast"], params["saturation"]], dim=1
        )
        out = color_jitter(x, factors, params["order"], bound)
        out = torch.where(self.mask(params, batch), out, x)
        if floating:
            return out.to(batch.dtype)
        return out.round().clamp(0, 255).to(batch.dtype)

    def extra_repr(self) -> str:
        return (
            f"brightness={self.brightness}, contrast={self.contrast}, "
            f"saturation={self.saturation}, p={self.p}, clamp={self.clamp}"
        )
