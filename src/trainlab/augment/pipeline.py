"""Augmentations in recipes: build them by name, apply them to training batches.

A recipe's ``augment:`` list names augmentations and their arguments; they
run in order on training batches only, on the training device, with a
generator re-seeded every epoch (so a resumed run draws the same
augmentations). Augmentations that mix labels turn the targets into soft
targets, which the loss and the accuracy understand.

Video batches are clips (N, T, C, H, W): a recipe lists image augmentations
and video ones (``temporal-jitter``, ``frame-drop``, ``clip-speed``, ``reverse``)
alike, and for video data :func:`build_augmentations` runs each image one per
clip (:class:`~trainlab.augment.video.per_clip.PerClip`: one draw per clip, the
same transform on every frame of it). Clips with optical-flow or mask channels
pass their layout (``channels``, a :class:`~trainlab.augment.video.channels.ClipChannels`):
the flow is then flipped, turned, scaled, reversed along with the pixels, colour
and noise leave the flow and the mask alone, and an augmentation that cannot
keep the flow right is refused (:mod:`~trainlab.augment.video.flow_rules`).

Example:
    >>> from trainlab.augment.pipeline import build_augmentations
    >>> spec = [{"name": "affine", "rotation": 15, "p": 0.5}]
    >>> augs = build_augmentations(spec, modality="image")
    >>> type(augs[0]).__name__, augs[0].p
    ('RandomAffine', 0.5)
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch

from trainlab.augment._base import Augmentation
from trainlab.augment.registry import AUGMENTATIONS
from trainlab.augment.video.channels import ClipChannels
from trainlab.augment.video.per_clip import PerClip
from trainlab.augment.video.temporal import _Temporal
from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry

#: the batch rank of each modality (audio: waveforms, then spectrograms; see :func:`stages`;
#: video: clips, which take image augmentations too, run per clip, see :func:`for_clips`)
_RANKS = {"image": 4, "signal": 3, "video": 5}


def build_augmentation(
    spec: dict[str, Any], *, where: str = "augment", registry: Registry = AUGMENTATIONS
) -> Any:
    """One augmentation from ``{name: …, **arguments}``; errors name the argument.

    ``registry``: where the name is looked up (the text augmentations have their own).
    """
    spec = dict(spec)
    name = spec.pop("name", None)
    if not isinstance(name, str):
        raise ConfigError(f"{where}: needs a name, e.g. {{name: affine}}")
    try:
        cls = registry.get(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    params = inspect.signature(cls.__init__).parameters
    known = [
        k for k in params if k != "self" and params[k].kind is not inspect.Parameter.VAR_KEYWORD
    ]
    for key in spec:
        if key not in known:
            raise ConfigError(
                f"{where}.{key}: unknown argument of {name!r}; expected one of: {', '.join(known)}"
            )
    try:
        return cls(**spec)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where} ({name}): {exc}") from None


def build_augmentations(
    specs: list[dict[str, Any]],
    *,
    modality: str | None = None,
    spectrograms: bool = True,
    channels: ClipChannels | None = None,
) -> list[Augmentation]:
    """The recipe's augmentations; with ``modality``, each must accept batches of its rank.

    Text augmentations (``trainlab.augment.text``) work on strings: a list of them
    is built from their own registry, for text data only.

    Without ``modality`` only the names and arguments are checked (before any data
    are read); :func:`check_modality` checks the fit once the data are known.
    For ``modality="video"`` the image augmentations come back wrapped to run
    once per clip (:func:`for_clips`), for clips laid out as ``channels``.

    Example:
        >>> augs = build_augmentations([{"name": "flip"}, {"name": "reverse"}], modality="video")
        >>> [type(a).__name__ for a in augs], type(augs[0].aug).__name__
        (['PerClip', 'Reverse'], 'RandomFlip')
    """
    from trainlab.augment.text.pipeline import build_text_augmentations, is_text_augmentation

    text = [is_text_augmentation(spec) for spec in specs]
    if modality == "text" or (modality is None and all(text)):
        return build_text_augmentations(specs)
    if any(text):
        i = text.index(True)
        raise ConfigError(
            f"augment[{i}]: {specs[i]['name']!r} works on text, but "
            + (f"the data are {modality}" if modality else "the list mixes text and tensor ones")
        )
    augs = [build_augmentation(spec, where=f"augment[{i}]") for i, spec in enumerate(specs)]
    if modality is not None:
        check_modality(augs, [spec["name"] for spec in specs], modality, spectrograms=spectrograms)
        if modality == "video":
            names = [f"augment[{i}] ({spec['name']})" for i, spec in enumerate(specs)]
            augs = for_clips(augs, channels, names=names)
    return augs


def for_clips(
    augs: list[Augmentation],
    channels: ClipChannels | None = None,
    *,
    names: list[str] | None = None,
) -> list[Augmentation]:
    """The augmentations for clips (N, T, C, H, W): each image one wrapped in :class:`PerClip`.

    Video augmentations (rank 5) are kept as they are (so a second call changes
    nothing); an image augmentation then draws once per clip and transforms every
    frame of the clip alike. Call it after :func:`check_modality` where the
    augmentations were built without the modality.

    ``channels``: the clips' layout when they carry flow or mask channels; each
    augmentation then keeps them right, or a ``ConfigError`` names the first that
    cannot (by ``names``, e.g. ``augment[0] (affine)``, else by its class). None:
    every channel is treated as pixels, as before.

    Example:
        >>> from trainlab.augment.registry import AUGMENTATIONS
        >>> augs = for_clips([AUGMENTATIONS.get("rotate")(), AUGMENTATIONS.get("frame-drop")()])
        >>> [type(a).__name__ for a in augs]
        ['PerClip', 'FrameDrop']
    """
    out = []
    for i, aug in enumerate(augs):
        name = names[i] if names is not None else None
        if isinstance(aug, PerClip):
            aug = aug.aug if channels is not None else aug
        if isinstance(aug, _Temporal):
            out.append(aug.with_channels(channels) if channels is not None else aug)
        elif 5 in aug.ranks or 4 not in aug.ranks:
            out.append(aug)
        else:
            out.append(PerClip(aug, channels, name))
    return out


def check_modality(
    augs: list[Augmentation], names: list[str], modality: str, *, spectrograms: bool = True
) -> None:
    """``ConfigError`` naming the first augmentation that does not work on ``modality``.

    Audio is a waveform (N, C, L) until the first augmentation that works on
    spectrograms only (N, C, F, T); from there on the batch is the model's
    front-end spectrogram (:func:`stages`). ``spectrograms=False``: the audio
    model reads waveforms, so no augmentation may need a spectrogram.
    Video clips take video augmentations and image ones (run once per clip, :func:`for_clips`).
    """
    if modality == "audio":
        _check_audio(augs, names, spectrograms)
        return
    rank = _RANKS.get(modality)
    accepted = {rank, 4} if modality == "video" else {rank}
    for i, (aug, name) in enumerate(zip(augs, names, strict=True)):
        if rank is None or not accepted & set(aug.ranks):
            raise ConfigError(
                f"augment[{i}]: {name!r} works on {_accepts(aug)}, but the data are {modality}"
                + (" (clips take video augmentations and image ones)" if rank == 5 else "")
            )


def _accepts(aug: Augmentation) -> str:
    kinds = {4: "images", 3: "1-D signals", 5: "video clips"}
    return " and ".join(kinds[r] for r in aug.ranks)


def stages(augs: list[Augmentation]) -> list[str]:
    """Audio: ``"waveform"`` or ``"spectrogram"``, where each augmentation runs.

    Augmentations that accept waveforms run on them until the first one that
    does not; it and every one after it run on the spectrogram.

    Example:
        >>> from trainlab.augment.registry import AUGMENTATIONS
        >>> stages([AUGMENTATIONS.get("time-shift")(), AUGMENTATIONS.get("cutout")()])
        ['waveform', 'spectrogram']
    """
    out, spectral = [], False
    for aug in augs:
        spectral = spectral or 3 not in aug.ranks
        out.append("spectrogram" if spectral else "waveform")
    return out


def _check_audio(augs: list[Augmentation], names: list[str], spectrograms: bool) -> None:
    first = None
    for i, (aug, name, stage) in enumerate(zip(augs, names, stages(augs), strict=True)):
        if stage == "waveform":
            continue
        if not spectrograms:
            raise ConfigError(
                f"augment[{i}]: {name!r} works on spectrograms, but the model reads waveforms "
                "(preprocess.audio.features: waveform)"
            )
        if first is None:
            first = name
        if 4 not in aug.ranks:
            raise ConfigError(
                f"augment[{i}]: {name!r} works on waveforms but comes after {first!r}, which "
                "works on spectrograms; list the waveform augmentations first"
            )


def raw_zero(preprocessor, input_shape) -> torch.Tensor:
    """What a raw zero input (a black pixel, a silent sample) becomes after preprocessing.

    Training batches are already normalized, so "pad with zeros" or "erase to
    zero" must mean this value, not 0 (which is the data's mean: a grey frame
    around every rotated digit). Shape (1, *input_shape).
    """
    dtype = np.uint8 if preprocessor.input_dtype == "uint8" else np.float32
    zeros = np.zeros((1, *input_shape), dtype=dtype)
    return torch.from_numpy(np.ascontiguousarray(preprocessor.transform(zeros)))


def augment_batch(
    augmentations: list[Augmentation],
    x: torch.Tensor,
    y: torch.Tensor | None,
    generator: torch.Generator | None,
    *,
    offset: torch.Tensor | None = None,
    num_classes: int = 0,
    frontend: torch.nn.Module | None = None,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Apply ``augmentations`` in order, about ``offset`` (see :func:`raw_zero`).

    Every augmentation is applied to ``x − offset`` and ``offset`` added back, so
    that zero padding, erasing and brightness act as they would on raw inputs.
    With ``frontend`` (audio), the waveforms become the front end's spectrograms
    before the first augmentation that works on spectrograms only (:func:`stages`);
    the model's front end lets such a batch through unchanged.
    """
    if offset is not None:
        offset = offset.to(device=x.device, dtype=x.dtype)
        x = x - offset
    for aug in augmentations:
        if frontend is not None and x.ndim == 3 and 3 not in aug.ranks:
            x = frontend(x if offset is None else x + offset)
            offset = None
        params = aug.sample_params(x, generator)
        x = aug.apply(x, params)
        if aug.mixes_labels and y is not None:
            if y.ndim == 1:
                y = torch.nn.functional.one_hot(y, num_classes).to(x.dtype)
            y = aug.apply_targets(y, params)
    if offset is not None:
        x = x + offset
    return x, y
