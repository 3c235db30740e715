"""Check the target data's preprocessing against the one the checkpoint was trained with.

The lecture's warning on transfer: check carefully the normalization the
original model used. A copied stage has learned on inputs of one size, channel
count, value range and normalization; features computed on differently
prepared inputs are not the features it learned. :func:`preprocessing_mismatches`
lists every difference in one line each: normalization kind and statistics
(a mean shifted by more than ``tol`` of the checkpoint's scale, a scale off by
more than ``tol``), input size, channels and value range, and an audio front
end's settings (sample rate, features, filter, …) and per-frequency mean, a
text pipeline's options and vocabulary, and a video pipeline's settings. Video
is preprocessed frame by frame (its pipeline scales the pixels to [0, 1]), so
a 2-D image checkpoint is compared with one frame of the clips.

Example:
    >>> from trainlab.engine.transfer.normalization import preprocessing_mismatches
    >>> def state(mean, std, size):
    ...     norm = {"name": "standard", "per": "channel", "shape": [1, 1, 1],
    ...             "stats": {"mean": [mean], "scale": [std]}}
    ...     return {"pipeline": {"pixel_scale": True, "normalizer": norm,
    ...                          "input_shape": [1, *size], "value_range": [0.0, 1.0]},
    ...             "image": {"size": list(size), "channels": 1, "fit": "pad"}}
    >>> preprocessing_mismatches(state(0.13, 0.31, (28, 28)), state(0.13, 0.31, (28, 28)))
    []
    >>> ck, data = state(0.13, 0.31, (28, 28)), state(0.29, 0.35, (32, 32))
    >>> for line in preprocessing_mismatches(ck, data):
    ...     print(line)
    input size 28×28 in the checkpoint, 32×32 in the data
    normalization mean 0.13 in the checkpoint, 0.29 in the data
    normalization scale 0.31 in the checkpoint, 0.35 in the data
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: relative tolerance on statistics and value ranges
TOLERANCE = 0.05


def _fmt(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.3g}"
    if len(values) <= 4:
        return "[" + ", ".join(f"{v:.3g}" for v in values) + "]"
    return f"{len(values)} values (mean {np.mean(values):.3g})"


def _size(shape: list[int] | None) -> str:
    return "×".join(str(s) for s in shape) if shape else "?"


def _image_lines(ck: dict | None, own: dict | None) -> list[str]:
    if not ck or not own:
        return []
    out = []
    if list(ck.get("size") or []) != list(own.get("size") or []):
        out.append(
            f"input size {_size(ck.get('size'))} in the checkpoint, "
            f"{_size(own.get('size'))} in the data"
        )
    if ck.get("channels") != own.get("channels"):
        out.append(
            f"channels {ck.get('channels')} in the checkpoint, {own.get('channels')} in the data"
        )
    return out


def _stat_lines(ck: dict, own: dict, tol: float) -> list[str]:
    if ck.get("name") != own.get("name") or ck.get("per") != own.get("per"):
        return [
            f"normalization {ck.get('name')} per {ck.get('per')} in the checkpoint, "
            f"{own.get('name')} per {own.get('per')} in the data"
        ]
    a, b = ck.get("stats") or {}, own.get("stats") or {}
    if not a:
        return []
    out = []
    # differences are measured against the checkpoint's spread of each value
    spread = np.abs(np.asarray(a.get("scale", a.get("range", [1.0])), dtype=np.float64))
    for key in a:
        x, y = np.asarray(a[key], np.float64), np.asarray(b.get(key, []), np.float64)
        if x.shape != y.shape:
            out.append(
                f"normalization {key} has {x.size} values in the checkpoint, {y.size} in the data"
            )
            continue
        if key in ("scale", "range"):
            off = np.abs(y / np.where(x == 0, 1.0, x) - 1.0)
        else:
            unit = spread if spread.shape == x.shape else np.full_like(x, np.abs(x).max() or 1.0)
            off = np.abs(x - y) / np.where(unit == 0, 1.0, unit)
        if off.size and float(off.max()) > tol:
            out.append(
                f"normalization {key} {_fmt(x.tolist())} in the checkpoint, "
                f"{_fmt(y.tolist())} in the data"
            )
    return out


def _audio_lines(ck: dict | None, own: dict | None, tol: float) -> list[str]:
    """An audio front end's settings (rate, features, filter, …) and its per-frequency mean."""
    if not ck and not own:
        return []
    if not ck or not own:
        return [f"an audio front end in the {'checkpoint' if ck else 'data'} only"]
    a, b = ck.get("config") or {}, own.get("config") or {}
    out = [
        f"audio {key} {a.get(key)} in the checkpoint, {b.get(key)} in the data"
        for key in sorted(set(a) | set(b))
        if a.get(key) != b.get(key)
    ]
    if out or not ck.get("mean") or not own.get("mean"):
        return out
    x, y = np.asarray(ck["mean"], np.float64), np.asarray(own["mean"], np.float64)
    unit = np.asarray(ck.get("std") or np.ones_like(x), np.float64)
    off = np.abs(x - y) / np.where(unit == 0, 1.0, unit)
    if x.shape == y.shape and off.size and float(off.max()) > tol:
        out.append(
            f"audio per-frequency mean {_fmt(x.tolist())} in the checkpoint, "
            f"{_fmt(y.tolist())} in the data"
        )
    return out


def preprocessing_mismatches(
    checkpoint: dict[str, Any] | None, own: dict[str, Any], tol: float = TOLERANCE
) -> list[str]:
    """Every difference between two preprocess states (a checkpoint's, the data's own)."""
    if not checkpoint:
        return []
    ck, mine = checkpoint.get("pipeline") or {}, own.get("pipeline") or {}
    out = _image_lines(checkpoint.get("image"), own.get("image"))
    if not out and list(ck.get("input_shape") or []) != list(mine.get("input_shape") or []):
        frames = ("video" in checkpoint, "video" in own)
        what = ["input shape", "frame shape"]
        out.append(
            f"{what[frames[0]]} {_size(ck.get('input_shape'))} in the checkpoint, "
            f"{what[frames[1]]} {_size(mine.get('input_shape'))} in the data"
        )
    scaled = (_pixels_scaled(checkpoint), _pixels_scaled(own))
    if scaled[0] != scaled[1]:
        out.append(
            f"pixel scaling {'on' if scaled[0] else 'off'} in the checkpoint, "
            f"{'on' if scaled[1] else 'off'} in the data"
        )
    lo_hi, theirs = ck.get("value_range"), mine.get("value_range")
    if lo_hi and theirs:
        span = max(1e-12, lo_hi[1] - lo_hi[0])
        if max(abs(lo_hi[0] - theirs[0]), abs(lo_hi[1] - theirs[1])) / span > tol:
            out.append(
                f"value range [{lo_hi[0]:.3g}, {lo_hi[1]:.3g}] in the checkpoint, "
                f"[{theirs[0]:.3g}, {theirs[1]:.3g}] in the data"
            )
    if ck.get("normalizer") and mine.get("normalizer"):
        out += _stat_lines(ck["normalizer"], mine["normalizer"], tol)
    out += _audio_lines(checkpoint.get("audio"), own.get("audio"), tol)
    out += _video_lines(checkpoint.get("video"), own.get("video"), tol)
    return out + _text_lines(checkpoint.get("text"), own.get("text"))


def _pixels_scaled(state: dict[str, Any]) -> bool:
    """Whether pixels reach the model in [0, 1]: scaled by the pipeline, or by the video's."""
    return bool((state.get("pipeline") or {}).get("pixel_scale")) or bool(state.get("video"))


#: the video settings that change what a frame's channels hold (not which frames are taken)
CHANNEL_KEYS = ("flow", "masks", "mask_threshold", "flow_scale")


def _video_lines(ck: dict | None, own: dict | None, tol: float) -> list[str]:
    """Two video pipelines' channel settings, and the fitted flow scale.

    An image checkpoint against video data (or the reverse) is no difference in
    itself: its frames are compared as images. Which frames are sampled, or how
    many, is no difference either: a frame CNN reads any number.
    """
    if not ck or not own:
        return []
    a, b = ck.get("config") or {}, own.get("config") or {}
    out = [
        f"video {key} {a.get(key)} in the checkpoint, {b.get(key)} in the data"
        for key in CHANNEL_KEYS
        if a.get(key) != b.get(key)
    ]
    x, y = ck.get("fitted_flow_scale"), own.get("fitted_flow_scale")
    if not out and x and y and abs(y / x - 1.0) > tol:
        out.append(f"flow scale {x:.3g} in the checkpoint, {y:.3g} in the data")
    return out


def _text_lines(ck: dict | None, own: dict | None) -> list[str]:
    """A text pipeline's options and vocabulary: a model's token ids mean its own words."""
    if not ck and not own:
        return []
    if not ck or not own:
        return [f"a text pipeline in the {'checkpoint' if ck else 'data'} only"]
    a, b = ck.get("config") or {}, own.get("config") or {}
    out = [
        f"text {key} {a.get(key)} in the checkpoint, {b.get(key)} in the data"
        for key in sorted(set(a) | set(b))
        if a.get(key) != b.get(key)
    ]
    if ck.get("vocabulary") != own.get("vocabulary"):
        out.append("another vocabulary in the checkpoint (token ids name other words)")
    return out
