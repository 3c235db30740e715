"""How each image augmentation treats a clip's flow and mask channels (one rule per kind).

The flow (dx, dy) at a pixel is where that pixel moves in the next frame. An
image augmentation that moves pixels must move the flow values with them *and*
map the vectors: if a frame is warped by x ↦ A·x + b, a point p moving to p + d
lands at A·p + b moving to A·(p + d) + b, so its flow becomes A·d. The rules:

- **warp** (``affine``, ``rotate``, ``shear``, ``rescale``, ``translate``, ``flip``):
  every channel warped as pixels, then each (dx, dy) mapped by the linear 2×2
  part of the clip's matrix (a horizontal flip negates dx, a vertical one dy,
  a translation changes nothing). Padding ``"reflection"`` is refused: the
  mirrored border would move the other way. With ``"border"`` the repeated
  edge keeps the edge's flow (an approximation). Bilinear interpolation gives
  the mask soft (fractional) edges;
- **crop** (``random-resized-crop``): crop-and-resize scales x by W / w_box and
  y by H / h_box, so dx and dy are scaled alike;
- **pixels** (``color-jitter``, ``gaussian-noise``): the pixel channels only;
  the flow and the mask are copied unchanged;
- **erase** (``random-erasing``, ``cutout``): the pixels erased as in images;
  the flow and the mask in the same box set to the raw zero (an erased region
  shows no motion and no moving object);
- **all** (``mixup``, ``cutmix``): every channel alike: cutmix pastes the
  partner clip's pixels with their own flow and mask, mixup blends the flows
  linearly (and the masks into soft masks) with the same weight as the pixels.

Any other augmentation is refused on clips with flow or mask channels
(:func:`rule_for`), rather than left to corrupt them.

Example:
    >>> import torch
    >>> from trainlab.augment.image.flip import RandomFlip
    >>> from trainlab.augment.video.channels import ClipChannels
    >>> layout = ClipChannels(pixels=1, flow=slice(1, 3))
    >>> frames = torch.ones(2, 3, 4, 4)  # pixels 1, dx = +1, dy = +1
    >>> aug = RandomFlip(hflip=1.0)
    >>> rule = rule_for(aug, layout)
    >>> out = rule.apply(aug, frames, rule.sample(aug, frames, layout, None), layout)
    >>> out[:, :, 0, 0].tolist()
    [[1.0, -1.0, 1.0], [1.0, -1.0, 1.0]]
"""

from __future__ import annotations

import torch

from trainlab.augment._base import Augmentation, Params
from trainlab.augment.image.affine import RandomAffine
from trainlab.augment.image.color import ColorJitter
from trainlab.augment.image.crop import RandomResizedCrop
from trainlab.augment.image.erase import Cutout, RandomErasing, box_mask
from trainlab.augment.mix import CutMix, Mixup
from trainlab.augment.noise import GaussianNoise
from trainlab.augment.video.channels import ClipChannels
from trainlab.core.errors import ConfigError


def map_flow(frames: torch.Tensor, linear: torch.Tensor, layout: ClipChannels) -> torch.Tensor:
    """Frames (M, C', H, W) whose flow vectors are mapped by ``linear`` (M, 2, 2), in raw pixels.

    In the batch's units (gains G = diag(g_dx, g_dy)) the map is G·A·G⁻¹. A new tensor.

    Example:
        >>> import torch
        >>> from trainlab.augment.video.channels import ClipChannels
        >>> x = torch.tensor([[[[0.0]], [[1.0]], [[0.0]]]])  # one pixel, dx = 1, dy = 0
        >>> turn = torch.tensor([[[0.0, 1.0], [-1.0, 0.0]]])  # 90°, counter-clockwise
        >>> map_flow(x, turn, ClipChannels(1, slice(1, 3))).flatten().tolist()
        [0.0, 0.0, -1.0]
    """
    gx, gy = layout.flow_gain
    a = linear.to(device=frames.device, dtype=frames.dtype)
    dx, dy = frames[:, layout.flow].unbind(1)
    a00, a01 = a[:, 0, 0].view(-1, 1, 1), a[:, 0, 1].view(-1, 1, 1) * (gx / gy)
    a10, a11 = a[:, 1, 0].view(-1, 1, 1) * (gy / gx), a[:, 1, 1].view(-1, 1, 1)
    out = frames.clone()
    out[:, layout.flow.start] = a00 * dx + a01 * dy
    out[:, layout.flow.start + 1] = a10 * dx + a11 * dy
    return out


class ChannelRule:
    """All channels alike: draw on every channel, apply to every channel (mixup, cutmix)."""

    def check(self, aug: Augmentation, layout: ClipChannels) -> str | None:
        """Why ``aug`` cannot keep ``layout``'s flow right (None: it can)."""
        return None

    def sample(
        self,
        aug: Augmentation,
        frames: torch.Tensor,
        layout: ClipChannels,
        generator: torch.Generator | None,
    ) -> Params:
        """``aug``'s draws for ``frames`` (M, C', H, W)."""
        return aug.sample_params(frames, generator)

    def apply(
        self, aug: Augmentation, frames: torch.Tensor, params: Params, layout: ClipChannels
    ) -> torch.Tensor:
        """The augmented frames (M, C', H, W), the flow and mask kept right."""
        return aug.apply(frames, params)


class PixelsOnly(ChannelRule):
    """Draw on and apply to the pixel channels; copy the flow and the mask."""

    def sample(self, aug, frames, layout, generator):
        return aug.sample_params(frames[:, : layout.pixels], generator)

    def apply(self, aug, frames, params, layout):
        pixels = aug.apply(frames[:, : layout.pixels], params)
        return torch.cat([pixels, frames[:, layout.pixels :]], dim=1)


class Erase(PixelsOnly):
    """Erase the pixels; set the flow and the mask in the same box to zero (no motion)."""

    def apply(self, aug, frames, params, layout):
        out = super().apply(aug, frames, params, layout)
        region = box_mask(params["box"], *frames.shape[-2:]) & aug.mask(params, frames)
        extra = out[:, layout.pixels :]
        out[:, layout.pixels :] = torch.where(region, torch.zeros_like(extra), extra)
        return out


class Warp(ChannelRule):
    """Warp every channel by the clip's matrix; map the flow by its linear part."""

    def check(self, aug, layout):
        if layout.flow is not None and getattr(aug, "padding", "zeros") == "reflection":
            return (
                "padding 'reflection' mirrors the flow at the borders, where it would point "
                "the wrong way; expected padding 'zeros' or 'border' with flow channels"
            )
        return None

    def apply(self, aug, frames, params, layout):
        out = aug.apply(frames, params)
        if layout.flow is None:
            return out
        return map_flow(out, params["matrix"][:, :2, :2], layout)


class Crop(ChannelRule):
    """Crop and resize every channel; scale dx by W / w_box and dy by H / h_box."""

    def apply(self, aug, frames, params, layout):
        out = aug.apply(frames, params)
        if layout.flow is None:
            return out
        h, w = frames.shape[-2:]
        box = params["box"].to(device=frames.device, dtype=torch.float32)
        on = params["apply"].to(frames.device)
        sx = torch.where(on, w / box[:, 3], torch.ones_like(box[:, 3]))
        sy = torch.where(on, h / box[:, 2], torch.ones_like(box[:, 2]))
        zero = torch.zeros_like(sx)
        linear = torch.stack([sx, zero, zero, sy], -1).view(-1, 2, 2)
        return map_flow(out, linear, layout)


#: (kind of image augmentation, its rule), the first that ``aug`` is an instance of wins
RULES: tuple[tuple[type[Augmentation], ChannelRule], ...] = (
    (RandomAffine, Warp()),  # and its flip, rotate, shear, rescale, translate
    (RandomResizedCrop, Crop()),
    (ColorJitter, PixelsOnly()),
    (GaussianNoise, PixelsOnly()),
    (RandomErasing, Erase()),
    (Cutout, Erase()),
    (Mixup, ChannelRule()),
    (CutMix, ChannelRule()),
)


def rule_for(aug: Augmentation, layout: ClipChannels, name: str | None = None) -> ChannelRule:
    """``aug``'s rule for clips laid out as ``layout``; ``ConfigError`` naming it if none fits.

    ``name``: how the error names the augmentation (default: its class).
    """
    label = name or type(aug).__name__
    for kind, rule in RULES:
        if isinstance(aug, kind):
            why = rule.check(aug, layout)
            if why is not None:
                raise ConfigError(f"{label}: {why}")
            return rule
    raise ConfigError(
        f"{label}: does not know the clips' flow and mask channels and would treat them as "
        "pixels; expected it without preprocess.video.flow and preprocess.video.masks"
    )
