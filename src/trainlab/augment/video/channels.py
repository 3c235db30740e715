"""The channel layout of prepared clips: pixels, then optical flow (dx, dy), then a mask.

The video pipeline appends to a clip's 1 or 3 pixel channels two flow channels
(dx, dy: pixels a frame divided by the fitted flow scale) when ``flow`` is on
and one 0/1 mask channel when ``masks`` is on. Clip augmentations must know
which is which: a flip negates dx, a rotation turns every (dx, dy), brightness
must leave the flow and the mask alone (:mod:`~trainlab.augment.video.flow_rules`).

Training batches arrive normalized (frame by frame, per channel: an affine map
x → (x − mean_c) / scale_c) and are augmented about their raw zero
(:func:`trainlab.augment.pipeline.augment_batch`), so what an augmentation sees
in a flow channel is the raw flow times a gain g_c (1 / (flow scale · scale_c)).
Negating or scaling the flow commutes with that gain; a 2×2 map A of the
vectors becomes G·A·G⁻¹ with G = diag(g_dx, g_dy), which is why the layout
carries the two gains (:func:`clip_channels` measures them on the preprocessor).

Example:
    >>> layout = ClipChannels(pixels=1, flow=slice(1, 3), mask=3)
    >>> layout.channels, layout.extra
    (4, [1, 2, 3])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError


@dataclass(frozen=True)
class ClipChannels:
    """Where the pixels, the flow and the mask lie among a clip's channels (axis 2).

    Args:
        pixels: the number of pixel channels (1 or 3), first.
        flow: the two flow channels (dx, dy), or None without flow.
        mask: the mask channel, or None without masks.
        flow_gain: (g_dx, g_dy), batch units per pixel a frame of each flow channel
            (after the raw zero is removed); only their ratio matters.
    """

    pixels: int
    flow: slice | None = None
    mask: int | None = None
    flow_gain: tuple[float, float] = (1.0, 1.0)

    def __post_init__(self) -> None:
        if self.pixels < 1:
            raise ValueError(f"pixels: expected at least 1 pixel channel, got {self.pixels}")
        if self.flow is not None and (self.flow.stop - self.flow.start != 2 or self.flow.step):
            raise ValueError(f"flow: expected a slice of 2 channels (dx, dy), got {self.flow}")
        if min(self.flow_gain) <= 0:
            raise ValueError(f"flow_gain: expected positive gains, got {self.flow_gain}")

    @property
    def channels(self) -> int:
        """C', every channel of a frame."""
        return self.pixels + 2 * (self.flow is not None) + (self.mask is not None)

    @property
    def extra(self) -> list[int]:
        """The indices of the channels that are not pixels (the flow's and the mask's)."""
        return list(range(self.pixels, self.channels))


def clip_channels(video: Any, preprocessor: Any, in_shape: Any) -> ClipChannels | None:
    """The layout of the clips ``video`` prepares, or None without flow and masks.

    Args:
        video: the data's fitted video pipeline (its ``flow`` and ``masks`` settings).
        preprocessor: the fitted frame-by-frame preprocessor (``transform`` of raw clips),
            or None when the clips are not normalized.
        in_shape: a clip's shape (T, C', H, W).

    A normalization that scales the flow differently at different positions
    (``preprocess.per: feature``) cannot be undone around the vector maths: a
    ``ConfigError`` says so.

    Example:
        >>> class Pipe:
        ...     flow, masks = "dis", "flow"
        >>> clip_channels(Pipe(), None, (4, 4, 8, 8))
        ClipChannels(pixels=1, flow=slice(1, 3, None), mask=3, flow_gain=(1.0, 1.0))
    """
    has_flow, has_mask = video.flow != "none", video.masks != "none"
    if not (has_flow or has_mask):
        return None
    channels = int(in_shape[1])
    pixels = channels - 2 * has_flow - has_mask
    if pixels < 1:
        raise ConfigError(
            f"clips of {channels} channels cannot hold the pipeline's flow and mask channels; "
            f"expected at least {1 + 2 * has_flow + has_mask}"
        )
    flow = slice(pixels, pixels + 2) if has_flow else None
    gain = _gains(preprocessor, in_shape, pixels) if has_flow else (1.0, 1.0)
    return ClipChannels(pixels, flow, channels - 1 if has_mask else None, gain)


def _gains(preprocessor: Any, in_shape: Any, first: int) -> tuple[float, float]:
    """What a raw flow of 1 becomes in each flow channel, less what 0 becomes."""
    if preprocessor is None:
        return (1.0, 1.0)
    zeros = np.zeros((1, *in_shape), dtype=np.float32)
    base = np.asarray(preprocessor.transform(zeros), dtype=np.float64)
    gains = []
    for c in (first, first + 1):
        ones = zeros.copy()
        ones[:, :, c] = 1.0
        g = (np.asarray(preprocessor.transform(ones), dtype=np.float64) - base)[:, :, c]
        mean = float(g.mean())
        if not mean > 0 or not np.allclose(g, mean, rtol=1e-4, atol=0.0):
            raise ConfigError(
                "preprocess.per: the normalization scales the flow channels differently at "
                "different positions, so augmenting clips cannot keep the flow right; "
                "expected per: channel (or global)"
            )
        gains.append(mean)
    return (gains[0], gains[1])
