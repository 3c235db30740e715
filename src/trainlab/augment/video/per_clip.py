"""One draw per clip: an image augmentation applied alike to every frame of a clip.

A clip is one sample, so its random choices (an angle, a crop box, a colour
factor, a noise image) must be drawn once and used on each of its frames;
drawing per frame makes a shaking, flickering clip that no camera records,
and breaks the motion the model is meant to see. Drawing once per batch is
the opposite mistake: every clip of the batch transformed alike. kornia's
``VideoSequential`` has shipped both (its issues #3194, "same_on_batch=False
and same_on_frame=True not working correctly", fixed by pull request #3330;
and #2410, the same draw reused from one batch to the next).

:class:`PerClip` draws the wrapped augmentation's parameters on the clips'
first frames (N, C, H, W), so they are per clip, then repeats every
per-sample parameter T times along the batch and applies the image
augmentation once to the (N·T, C, H, W) frames, a view of the clips (no
copy, no loop over clips or frames). Parameters that are not per sample (0-d,
or whose first axis is not N) pass through. Sample indices (``perm``, the
partners of mixup and cutmix) become frame indices, so label-mixing
augmentations mix whole clips: frame t of clip i with frame t of its partner
clip, and the labels once per clip.

Clips with optical-flow or mask channels (a
:class:`~trainlab.augment.video.channels.ClipChannels` layout) are augmented
by the wrapped augmentation's rule (:mod:`~trainlab.augment.video.flow_rules`):
a flip negates dx, a warp maps the flow vectors by its matrix, colour and noise
touch the pixels only; an augmentation without a rule is refused.

Example:
    >>> import torch
    >>> from trainlab.augment.image.affine import RandomAffine
    >>> aug = PerClip(RandomAffine(rotation=30))
    >>> still = torch.rand(2, 1, 3, 8, 8).expand(2, 4, 3, 8, 8)  # two clips of a still frame
    >>> out = aug(still, torch.Generator().manual_seed(0))
    >>> out.shape, bool((out == out[:, :1]).all())  # every frame of a clip alike
    (torch.Size([2, 4, 3, 8, 8]), True)
"""

from __future__ import annotations

import torch

from trainlab.augment._base import Augmentation, Params
from trainlab.augment.video._clips import check_clips
from trainlab.augment.video.channels import ClipChannels
from trainlab.augment.video.flow_rules import ChannelRule, rule_for

#: parameters that hold indices of samples of the batch (mixup's and cutmix's partners)
INDEX_KEYS = ("perm",)


def per_frame(params: Params, clips: int, frames: int) -> Params:
    """Clip parameters as frame parameters for the (N·T, …) frames of N clips of T frames.

    Per-sample tensors (first axis N) are repeated T times (``repeat_interleave``),
    sample indices (:data:`INDEX_KEYS`) become the same frame of the indexed clip,
    and anything else passes through.

    Example:
        >>> import torch
        >>> p = per_frame({"angle": torch.tensor([1.0, 2.0]), "perm": torch.tensor([1, 0])}, 2, 3)
        >>> p["angle"].tolist(), p["perm"].tolist()
        ([1.0, 1.0, 1.0, 2.0, 2.0, 2.0], [3, 4, 5, 0, 1, 2])
    """
    out = {}
    for key, value in params.items():
        if not isinstance(value, torch.Tensor) or value.ndim == 0 or value.shape[0] != clips:
            out[key] = value
        elif key in INDEX_KEYS:
            frame = torch.arange(frames, device=value.device, dtype=value.dtype)
            out[key] = (value.view(clips, 1) * frames + frame).reshape(-1)
        else:
            out[key] = value.repeat_interleave(frames, dim=0)
    return out


class PerClip(Augmentation):
    """Any image augmentation on clips (N, T, C, H, W): one draw per clip, every frame alike.

    ``sample_params`` gives the wrapped augmentation's parameters for the clips
    (one per clip, drawn on their first frames: ``apply`` is (N,)); ``apply``
    repeats them over the frames (:func:`per_frame`) and runs the image
    augmentation on the (N·T, C, H, W) frames. Output frame t of clip i is
    exactly the image augmentation applied to that frame with clip i's draw.
    Label-mixing augmentations (mixup, cutmix) mix whole clips and their labels.
    ``p`` is the wrapped augmentation's. Recipes need not name it: for video data
    the image augmentations are wrapped (:func:`trainlab.augment.pipeline.build_augmentations`).

    Args:
        aug: an image augmentation (its ``ranks`` contain 4).
        channels: the clips' layout when they carry flow or mask channels (None: every
            channel is pixels); ``ConfigError`` if ``aug`` cannot keep them right.
        name: how that error names ``aug`` (default: its class).

    Example:
        >>> import torch
        >>> from trainlab.augment.image.flip import RandomFlip
        >>> aug = PerClip(RandomFlip(hflip=0.5))
        >>> x = torch.rand(6, 5, 3, 4, 4)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(1))
        >>> params["hflip"].shape, aug.apply(x, params).shape
        (torch.Size([6]), torch.Size([6, 5, 3, 4, 4]))
    """

    ranks = (5,)

    def __init__(
        self, aug: Augmentation, channels: ClipChannels | None = None, name: str | None = None
    ) -> None:
        if not isinstance(aug, Augmentation):
            raise ValueError(f"aug: expected an image augmentation, got {type(aug).__name__}")
        if 4 not in aug.ranks:
            raise ValueError(
                f"aug: expected an image augmentation (batches (N, C, H, W)), but "
                f"{type(aug).__name__} takes batches of rank {' or '.join(map(str, aug.ranks))}"
            )
        super().__init__(aug.p)
        self.aug = aug
        self.mixes_labels = aug.mixes_labels
        self.channels = channels
        self.rule: ChannelRule | None = None if channels is None else rule_for(aug, channels, name)

    def check_batch(self, batch: torch.Tensor) -> None:
        check_clips(self, batch)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        """The wrapped augmentation's draws for the clips' first frames: one per clip."""
        self.check_batch(batch)
        if self.rule is None:
            return self.aug.sample_params(batch[:, 0], generator)
        return self.rule.sample(self.aug, batch[:, 0], self.channels, generator)

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        """Every frame of clip i transformed with clip i's draw; a new tensor."""
        self.check_batch(batch)
        n, t = batch.shape[:2]
        frames = batch.reshape(n * t, *batch.shape[2:])
        params = per_frame(params, n, t)
        if self.rule is None:
            out = self.aug.apply(frames, params)
        else:
            out = self.rule.apply(self.aug, frames, params, self.channels)
        return out.reshape(n, t, *out.shape[1:])

    def apply_targets(self, targets: torch.Tensor, params: Params) -> torch.Tensor:
        """The clips' soft targets, mixed once per clip (the identity unless ``mixes_labels``)."""
        return self.aug.apply_targets(targets, params)

    def extra_repr(self) -> str:
        return ""
