"""Video files read as a video model's training clips were, for prediction.

A video model learned from clips of F frames of H×W pixels with C channels
(``video-folder`` or ``moving-digits``); its checkpoint keeps F (the data
summary's ``clip_frames``) and the model's input shape (k, C', H, W), where
C' is C plus the saved video pipeline's flow and mask channels. Every file is
read as ``video-folder`` reads one (:func:`read_clip`): decoded by PyAV,
each frame resized to H×W (area interpolation) and made RGB or grayscale,
then the F frames nearest to F evenly spaced times from its first frame to
its last (so a variable frame rate is sampled by time); a shorter clip is
padded by repeating its last frame, with a warning, or refused where the
recipe says ``on_short: fail``. The clips then go through the checkpoint's
own :class:`~trainlab.preprocess.video.pipeline.VideoPipeline` (nothing
refitted: the flow scale is the training clips').

A file that cannot be used (not a video, damaged, truncated, no frames,
frames beyond the recipe's ``max_pixels``) stops the prediction with one
line naming it: every file asked for gets its row, or none does.

Example:
    >>> from trainlab.workflows.predict_video import read_clip
    >>> callable(read_clip)
    True
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from trainlab.core.errors import CheckpointError, ConfigError, DataError
from trainlab.core.video_file import VIDEO_SUFFIXES
from trainlab.data.datasets.video.folder import VideoSpec, decode_clip, is_video, list_videos
from trainlab.workflows.evaluate import SavedModel


def video_pipeline_of(saved: SavedModel):
    """The checkpoint's fitted video pipeline (``meta["preprocess"]["video"]``)."""
    from trainlab.preprocess.video.pipeline import VideoPipeline

    state = saved.meta["preprocess"].get("video")
    if state is None:
        raise CheckpointError(f"{saved.path}: a video model without its video preprocessing")
    return VideoPipeline.from_state_dict(state)


def clip_spec(saved: SavedModel, pipeline=None) -> VideoSpec:
    """How the saved video model's training clips were read (see the module's text).

    Raises:
        CheckpointError: the checkpoint does not say how many frames its clips had.
    """
    pipeline = pipeline if pipeline is not None else video_pipeline_of(saved)
    data = saved.meta["data"]
    if "clip_frames" not in data:
        raise CheckpointError(f"{saved.path}: the checkpoint does not say its clips' length")
    _, c_out, h, w = (int(v) for v in data["input_shape"])
    extra = pipeline.channels_out(1) - 1  # the flow and mask channels the pipeline adds
    options = saved.recipe.data.options if saved.recipe.data.dataset == "video-folder" else {}
    clips = {"frames": int(data["clip_frames"]), "size": (h, w), "channels": c_out - extra}
    return VideoSpec.from_options({**options, **clips})


def read_clip(path: Path, spec: VideoSpec) -> np.ndarray:
    """The video file ``path`` as one clip, uint8 ``(F, C, H, W)``, read as ``video-folder``
    reads one (:func:`~trainlab.data.datasets.video.folder.decode_clip`); a padded clip
    is said in a warning.

    Example:
        >>> import tempfile
        >>> from trainlab.core.video_file import write_video
        >>> path = Path(tempfile.mkdtemp()) / "a.mkv"
        >>> _ = write_video(path, np.zeros((9, 16, 16, 3), np.uint8), codec="ffv1")
        >>> read_clip(path, VideoSpec(frames=5, size=(8, 8), channels=1)).shape
        (5, 1, 8, 8)
    """
    clip, padded = decode_clip(path, replace(spec, on_short="pad"))
    if padded and spec.on_short == "fail":
        raise DataError(
            f"video file {path}: holds fewer than the {spec.frames} frames of the model's "
            "clips; expected at least that many (the model was trained with "
            "data.options.on_short=fail)"
        )
    if padded:
        warnings.warn(
            f"predict: {path} holds fewer than {spec.frames} frames; its last frame is repeated",
            stacklevel=2,
        )
    return clip


def video_files(file: Path) -> tuple[list[Path], list[str]]:
    """``file`` itself (a video file), or every video file under the folder ``file``, and
    their names (relative to the folder)."""
    found = ", ".join(s.lstrip(".") for s in VIDEO_SUFFIXES)
    if file.is_dir():
        paths = list_videos(file)
        if not paths:
            raise DataError(f"{file}: no video files in this folder (looked for {found})")
        return paths, [p.relative_to(file).as_posix() for p in paths]
    if not file.is_file():
        raise DataError(f"{file}: no such file or folder")
    if not is_video(file.name):
        raise DataError(
            f"{file}: not a video file; this model learned from video (expected {found}, "
            "or a folder of them)"
        )
    return [file], [file.name]


def read_video_clips(saved: SavedModel, file: Path) -> tuple[list[str], np.ndarray]:
    """The video file ``file``, or every video file under the folder, as the model's clips.

    Returns:
        The names (relative to the folder) and the uint8 (N, F, C, H, W) batch.
    """
    paths, names = video_files(file)
    spec = clip_spec(saved)
    return names, np.stack([read_clip(p, spec) for p in paths])


def video_inputs(saved: SavedModel, clips: Any, file: Path) -> torch.Tensor:
    """Clips (N, F, C, H, W) through the checkpoint's video pipeline, then its numeric
    preprocessing (frame by frame): the model's inputs."""
    pipeline = video_pipeline_of(saved)
    try:
        x = saved.preprocessor.transform(pipeline.transform(clips))
    except (DataError, ConfigError) as exc:
        raise DataError(f"{file}: {exc}") from None
    expected = tuple(int(v) for v in saved.meta["data"]["input_shape"])
    if tuple(x.shape[1:]) != expected:
        raise DataError(
            f"{file}: the clips have shape {tuple(x.shape[1:])} after the model's video "
            f"preprocessing, but the model takes {expected}"
        )
    return torch.from_numpy(x)
