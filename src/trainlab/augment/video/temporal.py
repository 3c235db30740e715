"""Temporal augmentations of clips (N, T, C, H, W): frames moved in time, T kept.

Each draws per clip and builds one (N, T) table of source frames, so that
output frame t of clip i is input frame ``index[i, t]``; the whole batch is
then one gather (:func:`trainlab.augment.video._clips.gather_frames`), on the
batch's device, with no loop over clips and no interpolation (frames are
copied exactly, any dtype). Clips not selected (``apply`` False) keep
``index[i, t] = t``.

With flow channels (a layout given by :meth:`_Temporal.with_channels`) each
output frame keeps the flow of the frame it shows, which jitter and dropping
leave as it is; reversal negates it and a speed factor f multiplies it by f.
Both are approximations: the flow of a sampled frame is its motion to the next
frame of the original clip, so the reversed clip's motion at a frame is minus
that of the frame before it, and a clip played f times faster moves about f
times as far a frame (exactly so for motion steady over a few frames).

- **temporal jitter**: the clip's window shifted by a whole number of frames,
  the edge frames repeated (the random snippet within a segment of Wang et al.,
  *Temporal Segment Networks*, ECCV 2016; Simonyan & Zisserman's two-stream
  networks, NeurIPS 2014, sample their training frames at random in time);
- **frame dropping**: frames lost and the previous kept frame shown again, as
  a dropping or stuttering camera or decoder does;
- **speed**: the clip resampled at a rate about its centre (nearest frames),
  faster above 1 (Zhu & Newsam, *Random Temporal Skipping for Multirate Video
  Analysis*, ACCV 2018; Benaim et al., *SpeedNet*, CVPR 2020);
- **reversal**: time runs backwards (the arrow of time: Pickup et al., CVPR 2014;
  Wei et al., CVPR 2018) — only where the labels do not depend on it.

Example:
    >>> import torch
    >>> x = torch.arange(6.0).view(1, 6, 1, 1, 1)
    >>> Reverse(p=1.0)(x).flatten().tolist()
    [5.0, 4.0, 3.0, 2.0, 1.0, 0.0]
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

import torch

from trainlab.augment._base import Augmentation, Params, check_probability, check_range, uniform
from trainlab.augment.video._clips import check_clips, gather_frames
from trainlab.augment.video.channels import ClipChannels


def _device(generator: torch.Generator | None) -> torch.device:
    return generator.device if generator is not None else torch.device("cpu")


class _Temporal(Augmentation):
    """A clip augmentation given by a table of source frames (:meth:`frame_index`)."""

    ranks = (5,)
    #: the clips' channel layout (None: every channel is moved in time as it is)
    channels: ClipChannels | None = None

    def check_batch(self, batch: torch.Tensor) -> None:
        check_clips(self, batch)

    def with_channels(self, channels: ClipChannels | None) -> _Temporal:
        """A copy of this augmentation for clips laid out as ``channels`` (see the module)."""
        out = copy.copy(self)
        out.channels = channels
        return out

    def frame_index(self, params: Params, frames: int, device: torch.device) -> torch.Tensor:
        """(N, T) long: the input frame shown at each output frame, for every clip."""
        raise NotImplementedError

    def flow_factor(self, params: Params) -> torch.Tensor | None:
        """(N,) factors of each clip's flow (None: the flow is kept as it is)."""
        return None

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        t = batch.shape[1]
        keep = torch.arange(t, device=batch.device).expand(batch.shape[0], t)
        index = torch.where(
            self.mask(params, keep), self.frame_index(params, t, batch.device), keep
        )
        out = gather_frames(batch, index)
        factor = (
            None
            if self.channels is None or self.channels.flow is None
            else (self.flow_factor(params))
        )
        if factor is not None:
            flow = self.channels.flow
            factor = factor.to(device=out.device, dtype=out.dtype).view(-1, 1, 1, 1, 1)
            out[:, :, flow] = out[:, :, flow] * factor
        return out


class TemporalJitter(_Temporal):
    """Shift each clip in time by a whole number of frames in [−max_shift, max_shift].

    Output frame t is input frame t + s, clamped to the clip (the first or last
    frame repeated where the window leaves it).

    Args:
        max_shift: the largest shift, in frames (≥ 0).
        p: probability that a clip is shifted.

    Example:
        >>> import torch
        >>> x = torch.arange(5.0).view(1, 5, 1, 1, 1)
        >>> aug = TemporalJitter(max_shift=2)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
        >>> params["shift"].tolist(), aug.apply(x, params).flatten().tolist()
        ([2], [2.0, 3.0, 4.0, 4.0, 4.0])
    """

    def __init__(self, max_shift: int = 2, p: float = 1.0) -> None:
        super().__init__(p)
        if isinstance(max_shift, bool) or not isinstance(max_shift, int) or max_shift < 0:
            raise ValueError(f"max_shift: expected a whole number of frames ≥ 0, got {max_shift!r}")
        self.max_shift = max_shift

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        """``apply`` (N,) bool and ``shift`` (N,) long, 0 where not ``apply``."""
        params = super().sample_params(batch, generator)
        m = self.max_shift
        shift = torch.randint(
            -m, m + 1, (batch.shape[0],), generator=generator, device=_device(generator)
        ).to(batch.device)
        params["shift"] = torch.where(params["apply"], shift, 0)
        return params

    def frame_index(self, params: Params, frames: int, device: torch.device) -> torch.Tensor:
        t = torch.arange(frames, device=device)
        return (t + params["shift"].view(-1, 1)).clamp(0, frames - 1)

    def extra_repr(self) -> str:
        return f"max_shift={self.max_shift}, p={self.p}"


class FrameDrop(_Temporal):
    """Drop frames at ``rate``; a dropped frame shows the previous kept one (the first is kept).

    Each frame but the first is dropped with probability ``rate``, on its own coin.

    Args:
        rate: probability that a frame is dropped.
        p: probability that a clip drops frames at all.

    Example:
        >>> import torch
        >>> x = torch.arange(6.0).view(1, 6, 1, 1, 1)
        >>> aug = FrameDrop(rate=0.5)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(3))
        >>> params["drop"].int().tolist(), aug.apply(x, params).flatten().tolist()
        ([[0, 1, 1, 1, 1, 0]], [0.0, 0.0, 0.0, 0.0, 0.0, 5.0])
    """

    def __init__(self, rate: float = 0.1, p: float = 1.0) -> None:
        super().__init__(p)
        self.rate = check_probability("rate", rate)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        """``apply`` (N,) bool; ``drop`` (N, T) bool, the dropped frames (none if not apply)."""
        params = super().sample_params(batch, generator)
        n, t = batch.shape[:2]
        drop = torch.rand(n, t, generator=generator, device=_device(generator)) < self.rate
        drop = drop.to(batch.device)
        drop[:, 0] = False
        params["drop"] = drop & params["apply"].view(-1, 1)
        return params

    def frame_index(self, params: Params, frames: int, device: torch.device) -> torch.Tensor:
        t = torch.arange(frames, device=device).expand_as(params["drop"])
        return torch.where(params["drop"], 0, t).cummax(dim=1).values  # the last kept frame

    def extra_repr(self) -> str:
        return f"rate={self.rate}, p={self.p}"


class ClipSpeed(_Temporal):
    """Play each clip faster or slower by a factor f ~ U(factor), about its centre, T kept.

    Output frame t is input frame round(c + f·(t − c)), c = (T − 1)/2, clamped to the
    clip: f > 1 skips frames (and repeats the edge frames past the ends), f < 1 repeats them.
    With flow channels the flow is multiplied by f: approximately the motion a frame
    of the faster or slower clip (see the module).

    Args:
        factor: a [low, high] range of speed factors (> 0; above 1 faster), or one factor.
        p: probability that a clip's speed changes.

    Example:
        >>> import torch
        >>> x = torch.arange(5.0).view(1, 5, 1, 1, 1)
        >>> ClipSpeed(factor=2.0)(x).flatten().tolist()
        [0.0, 0.0, 2.0, 4.0, 4.0]
    """

    def __init__(self, factor: float | Sequence[float] = (0.8, 1.25), p: float = 1.0) -> None:
        super().__init__(p)
        self.factor = check_range("factor", factor)
        if not self.factor[0] > 0.0 or math.isinf(self.factor[1]):
            raise ValueError(f"factor: expected positive finite factors, got {list(self.factor)}")

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        """``apply`` (N,) bool and ``factor`` (N,) float32, 1 where not ``apply``."""
        params = super().sample_params(batch, generator)
        factor = uniform(batch.shape[0], *self.factor, generator, batch.device)
        params["factor"] = torch.where(params["apply"], factor, 1.0)
        return params

    def frame_index(self, params: Params, frames: int, device: torch.device) -> torch.Tensor:
        centre = (frames - 1) / 2.0
        t = torch.arange(frames, device=device, dtype=torch.float64)
        position = centre + params["factor"].double().view(-1, 1) * (t - centre)
        return torch.floor(position + 0.5).long().clamp(0, frames - 1)

    def flow_factor(self, params: Params) -> torch.Tensor:
        """The speed factor (1 where not applied): the flow a frame scales with the speed."""
        return params["factor"]

    def extra_repr(self) -> str:
        return f"factor={self.factor}, p={self.p}"


class Reverse(_Temporal):
    """Play each clip backwards, with probability ``p``; with flow channels the flow is negated.

    The negated flow of a frame is approximately the reversed clip's motion there (see the module).

    Args:
        p: probability that a clip is reversed.

    Example:
        >>> import torch
        >>> x = torch.arange(8.0).view(2, 4, 1, 1, 1)
        >>> aug = Reverse(p=0.5)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
        >>> params["apply"].tolist(), aug.apply(x, params).flatten().tolist()
        ([True, False], [3.0, 2.0, 1.0, 0.0, 4.0, 5.0, 6.0, 7.0])
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def frame_index(self, params: Params, frames: int, device: torch.device) -> torch.Tensor:
        t = torch.arange(frames - 1, -1, -1, device=device)
        return t.expand(params["apply"].shape[0], frames)

    def flow_factor(self, params: Params) -> torch.Tensor:
        """−1 where reversed (motion runs the other way), 1 elsewhere."""
        return 1.0 - 2.0 * params["apply"].float()
