"""The video preprocessing pipeline: full clips in, k sampled frames (with flow, masks) out.

Clips are uint8 (N, F, C, H, W) (frames contiguous, the video contract), C = 1,
3 (RGB) or 4 (RGBA). For every clip, :class:`VideoPipeline`

1. samples k = ``frames`` frame indices: ``"uniform"`` (the centres of k equal
   segments) or ``"motion"`` (the k frames with the highest motion score,
   ``motion`` = ``"difference"`` or ``"flow"``), see
   :mod:`~trainlab.preprocess.video.sampling`;
2. scales the sampled frames' pixels to [0, 1] (x / 255);
3. with ``flow`` = ``"farneback"`` or ``"dis"``, appends 2 channels: the optical
   flow (dx, dy) from each sampled frame t to frame t+1 of the original clip
   (the last frame: from F−2 to F−1), divided by ``flow_scale``; ``flow_scale=None``
   fits it by :meth:`VideoPipeline.fit` on the training clips: the 99th
   percentile of |dx| and |dy| at their sampled frames (1 when that is 0), so
   most flow values land in [−1, 1];
4. with ``masks`` = ``"flow"`` (flow magnitude > ``mask_threshold`` pixels) or
   ``"background"`` (MOG2 background subtraction fed the whole clip), appends
   one 0/1 mask channel, see :mod:`~trainlab.preprocess.video.motion`.

Flow, motion scores and masks are computed on the FULL clip and then taken at
the sampled indices. Where motion sampling by flow or flow masks need a flow
but ``flow="none"``, Farnebäck's is computed and not output.

The output is float32 (N, k, C', H, W) with C' = :meth:`VideoPipeline.channels_out` (C).
The pipeline's :meth:`~VideoPipeline.state_dict` is plain JSON.

Example:
    >>> import numpy as np
    >>> from trainlab.preprocess.video.pipeline import VideoPipeline
    >>> rng = np.random.default_rng(0)
    >>> clips = rng.integers(0, 256, (2, 10, 3, 16, 16), dtype=np.uint8)
    >>> pipe = VideoPipeline(frames=4, sampling="motion", flow="dis", masks="flow")
    >>> out = pipe.fit_transform(clips)
    >>> out.shape, out.dtype, pipe.channels_out(3)
    ((2, 4, 6, 16, 16), dtype('float32'), 6)
    >>> again = VideoPipeline.from_state_dict(pipe.state_dict())
    >>> bool(np.array_equal(again.transform(clips), out))
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, Literal, get_args

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import check_choice, check_float, check_int
from trainlab.preprocess.video._frames import to_gray
from trainlab.preprocess.video.flow import gray_flow
from trainlab.preprocess.video.motion import background_masks, flow_masks
from trainlab.preprocess.video.sampling import SAMPLERS, scores_of

Sampling = Literal["uniform", "motion"]
Motion = Literal["difference", "flow"]
Flow = Literal["none", "farneback", "dis"]
Masks = Literal["none", "flow", "background"]
SAMPLING: tuple[str, ...] = get_args(Sampling)
MOTION: tuple[str, ...] = get_args(Motion)
FLOWS: tuple[str, ...] = get_args(Flow)
MASKS: tuple[str, ...] = get_args(Masks)

#: the percentile of |flow| that a fitted ``flow_scale`` is
FLOW_PERCENTILE = 99.0
#: at most this many |flow| values enter the fitted percentile (evenly strided beyond)
FIT_VALUES = 1 << 22

#: mask name → (pipeline, frames (F, H, W, C), flow or None, indices) → masks (k, H, W)
_MASKERS: dict[str, Callable[[VideoPipeline, np.ndarray, Any, np.ndarray], np.ndarray]] = {
    "flow": lambda p, frames, flow, idx: flow_masks(flow[idx], p.mask_threshold),
    "background": lambda p, frames, flow, idx: background_masks(frames)[idx],
}


class VideoPipeline:
    """Frame sampling, pixel scaling, optical-flow and motion-mask channels for clips.

    Args:
        frames: k, the frames kept per clip (>= 1, at most the clips' F).
        sampling: ``"uniform"`` or ``"motion"``.
        motion: the motion score for ``sampling="motion"``: ``"difference"`` or ``"flow"``.
        flow: ``"none"``, ``"farneback"`` or ``"dis"``: 2 flow channels (dx, dy).
        masks: ``"none"``, ``"flow"`` or ``"background"``: 1 mask channel.
        mask_threshold: for ``masks="flow"``, the flow magnitude (pixels, >= 0)
            above which a pixel is moving.
        flow_scale: the divisor of the flow channels (> 0); None fits it (:meth:`fit`).
    """

    def __init__(
        self,
        frames: int = 8,
        sampling: Sampling = "uniform",
        motion: Motion = "difference",
        flow: Flow = "none",
        masks: Masks = "none",
        mask_threshold: float = 1.0,
        flow_scale: float | None = None,
    ) -> None:
        self.frames = check_int("frames", frames, low=1)
        self.sampling = check_choice("sampling", sampling, SAMPLING)
        self.motion = check_choice("motion", motion, MOTION)
        self.flow = check_choice("flow", flow, FLOWS)
        self.masks = check_choice("masks", masks, MASKS)
        self.mask_threshold = check_float("mask_threshold", mask_threshold, low=0.0)
        self.flow_scale = (
            None
            if flow_scale is None
            else check_float("flow_scale", flow_scale, low=0.0, low_open=True)
        )
        self.fitted_flow_scale: float | None = None

    # -- description ---------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """The constructor's arguments, JSON-able."""
        return {
            "frames": self.frames,
            "sampling": self.sampling,
            "motion": self.motion,
            "flow": self.flow,
            "masks": self.masks,
            "mask_threshold": self.mask_threshold,
            "flow_scale": self.flow_scale,
        }

    def check_frames(self, available: int, clips: str = "the clips") -> None:
        """``DataError`` when more frames are asked than the ``clips`` hold.

        Example:
            >>> try:
            ...     VideoPipeline(frames=8).check_frames(5)
            ... except DataError as exc:
            ...     print(exc)
            preprocess.video.frames: 8 frames asked, but the clips have 5; ask for at most 5
        """
        if self.frames > available:
            raise DataError(
                f"preprocess.video.frames: {self.frames} frames asked, but {clips} have "
                f"{available}; ask for at most {available}"
            )

    def channels_out(self, c_in: int) -> int:
        """C' for clips of ``c_in`` channels: c_in (+2 with flow) (+1 with masks).

        Example:
            >>> from trainlab.preprocess.video.pipeline import VideoPipeline
            >>> VideoPipeline(flow="farneback", masks="background").channels_out(3)
            6
        """
        c_in = check_int("c_in", c_in, low=1)
        return c_in + 2 * (self.flow != "none") + (self.masks != "none")

    @property
    def needs_flow(self) -> bool:
        """Whether a clip's flow is computed (flow channels, flow scores or flow masks)."""
        by_motion = self.sampling == "motion" and self.motion == "flow"
        return self.flow != "none" or self.masks == "flow" or by_motion

    @property
    def flow_method(self) -> str:
        """The flow computed: ``flow``, or Farnebäck's when ``flow="none"``."""
        return "farneback" if self.flow == "none" else self.flow

    @property
    def fitted(self) -> bool:
        """Whether :meth:`transform` can run (a flow scale is known, or no flow channels)."""
        return self.flow == "none" or self.scale is not None

    @property
    def scale(self) -> float | None:
        """The divisor of the flow channels: ``flow_scale``, else the fitted one."""
        return self.flow_scale if self.flow_scale is not None else self.fitted_flow_scale

    # -- work ----------------------------------------------------------------
    def _check(self, clips: Any, what: str) -> np.ndarray:
        x = np.asarray(clips)
        if x.ndim != 5 or x.shape[2] not in (1, 3, 4) or min(x.shape[1:]) == 0:
            raise DataError(
                f"{what}: expected clips (N, F, C, H, W) with C = 1, 3 or 4, got shape {x.shape}"
            )
        if x.dtype != np.uint8:
            raise DataError(f"{what}: expected uint8 clips, got {x.dtype}")
        if x.shape[1] < self.frames:
            raise ConfigError(
                f"frames: asked for frames={self.frames} per clip, the clips have "
                f"F={x.shape[1]}; expected frames <= F"
            )
        return x

    def _parts(self, x: np.ndarray, masks: bool) -> Iterator[tuple[np.ndarray, Any, Any]]:
        """(indices, raw flow at them or None, masks at them or None) of each clip."""
        n_frames = x.shape[1]
        masker = _MASKERS.get(self.masks) if masks else None
        needs_gray = self.needs_flow or self.sampling == "motion"
        needs_frames = needs_gray or (masker is not None and self.masks == "background")
        for clip in x:
            # (F, H, W, C) channels last for OpenCV, only when something reads the frames
            frames = np.ascontiguousarray(clip.transpose(0, 2, 3, 1)) if needs_frames else None
            gray = to_gray(frames) if needs_gray else None
            flow = gray_flow(gray, self.flow_method) if self.needs_flow else None
            scores = None
            if self.sampling == "motion":
                scores = scores_of(gray, self.motion, flow=flow, flow_method=self.flow_method)
            idx = SAMPLERS[self.sampling](scores, n_frames, self.frames)
            flow_k = flow[idx] if self.flow != "none" else None
            yield idx, flow_k, None if masker is None else masker(self, frames, flow, idx)

    def _run(self, x: np.ndarray, output: bool, collect: bool) -> tuple[Any, list[np.ndarray]]:
        """The output (when ``output``) and strided |flow| values (when ``collect``)."""
        n, _, c, h, w = x.shape
        flows_at, mask_at = c, c + 2 * (self.flow != "none")
        out = np.empty((n, self.frames, self.channels_out(c), h, w), np.float32) if output else None
        stride = max(1, math.ceil(n * self.frames * 2 * h * w / FIT_VALUES))
        values: list[np.ndarray] = []
        for i, (idx, flow_k, masks) in enumerate(self._parts(x, masks=output)):
            if collect and flow_k is not None:
                values.append(np.abs(flow_k).ravel()[::stride])
            if out is None:
                continue
            out[i, :, :c] = x[i, idx]  # exact in float32, then x / 255 as scale_pixels
            out[i, :, :c] /= np.float32(255)
            if flow_k is not None:
                out[i, :, flows_at : flows_at + 2] = flow_k
            if masks is not None:
                out[i, :, mask_at] = masks
        return out, values

    def _fit_values(self, values: list[np.ndarray]) -> None:
        q = float(np.percentile(np.concatenate(values), FLOW_PERCENTILE))
        self.fitted_flow_scale = q if math.isfinite(q) and q > 0 else 1.0

    def fit(self, clips: Any) -> VideoPipeline:
        """Fit the flow scale on the training clips (N, F, C, H, W) uint8; returns ``self``.

        Only ``flow`` on with ``flow_scale=None`` has something to fit: the 99th
        percentile of |dx| and |dy| at the sampled frames (over at most
        :data:`FIT_VALUES` evenly strided values). Otherwise the clips are only checked.
        """
        x = self._check(clips, "VideoPipeline.fit")
        if x.shape[0] == 0:
            raise DataError("VideoPipeline.fit: got no clips (N = 0)")
        if self.flow != "none" and self.flow_scale is None:
            _, values = self._run(x, output=False, collect=True)
            self._fit_values(values)
        return self

    def transform(self, clips: Any) -> np.ndarray:
        """Clips (N, F, C, H, W) uint8 → model input (N, k, C', H, W) float32."""
        x = self._check(clips, "VideoPipeline.transform")
        if not self.fitted:
            raise DataError(
                "VideoPipeline.transform: the flow scale is not fitted; "
                "call fit(train_clips) first or set flow_scale"
            )
        out, _ = self._run(x, output=True, collect=False)
        return self._scaled(out)

    def fit_transform(self, clips: Any) -> np.ndarray:
        """:meth:`fit` then :meth:`transform` on the same clips, computing each flow once."""
        x = self._check(clips, "VideoPipeline.fit_transform")
        if x.shape[0] == 0:
            raise DataError("VideoPipeline.fit_transform: got no clips (N = 0)")
        to_fit = self.flow != "none" and self.flow_scale is None
        out, values = self._run(x, output=True, collect=to_fit)
        if to_fit:
            self._fit_values(values)
        return self._scaled(out)

    def _scaled(self, out: Any) -> np.ndarray:
        if self.flow != "none":
            c = out.shape[2] - 2 - (self.masks != "none")
            out[:, :, c : c + 2] /= np.float32(self.scale)
        return out

    # -- saving --------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """JSON: the config and the fitted flow scale (None when not fitted or not used)."""
        return {"config": self.config(), "fitted_flow_scale": self.fitted_flow_scale}

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> VideoPipeline:
        """Rebuild a pipeline from :meth:`state_dict`'s output."""
        try:
            config, fitted = dict(state["config"]), state.get("fitted_flow_scale")
        except (KeyError, TypeError, ValueError):
            raise ConfigError(
                "video pipeline state: expected config (and fitted_flow_scale)"
            ) from None
        unknown = sorted(set(config) - set(cls().config()))
        if unknown:
            raise ConfigError(
                f"video pipeline state: unknown option {unknown[0]!r}; "
                f"expected {', '.join(cls().config())}"
            )
        pipe = cls(**config)
        if fitted is not None:
            pipe.fitted_flow_scale = check_float(
                "fitted_flow_scale", fitted, low=0.0, low_open=True
            )
        return pipe
