"""Seeing and hearing audio augmentations: spectrograms before and after each, and WAV files.

The audio preview of ``trainlab augment-preview`` has one row per example (one
per class first) and a column for the original, one for each augmentation of
the recipe alone, and one for the whole list in order. Panels are the model's
front-end spectrograms; a model that reads waveforms is shown log-mel
spectrograms of them. Every version that is still a waveform (all but those
after a spectrogram augmentation) is also written as a 16-bit WAV file, so it
can be listened to: ``<out>-wav/<row>-<column>.wav``.

The run report's example spectrograms (:func:`example_spectrograms`) are test
clips through the trained model's front end.

Example:
    >>> import torch
    >>> from trainlab.workflows.preview_audio import example_rows
    >>> example_rows(torch.tensor([3, 1, 3, 0, 1]), 4)  # classes 3, 1, 0 first, then the rest
    [0, 1, 3, 2]
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import numpy as np
import torch

from trainlab.augment.pipeline import augment_batch, build_augmentations, check_modality, raw_zero
from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.report.figures.spectrograms import plot_spectrograms
from trainlab.workflows.audio_setup import with_sample_rate
from trainlab.workflows.prepare import PreparedData


def example_rows(labels: torch.Tensor, rows: int) -> list[int]:
    """Indices of ``rows`` examples: the first of each class, then the others."""
    seen: dict[int, int] = {}
    for i, label in enumerate(labels.tolist()):
        seen.setdefault(int(label), i)
    firsts = list(seen.values())
    rest = [i for i in range(len(labels)) if i not in set(firsts)]
    return (firsts + rest)[: max(1, rows)]


def examples(part, targets, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Up to ``count`` clips and their main-target labels, one per class first.

    ``part`` is a split ``(x, y)``: tensors, or a streamed source (its first
    batches, in file order); ``y`` may map target names to labels (multitask).
    """
    x, y = part
    if not isinstance(x, torch.Tensor):
        xs, ys = [], []
        for batch in x.in_order():
            xs.append(batch["x"])
            ys.append(batch["y"])
            if sum(len(b) for b in xs) >= 4 * count:
                break
        x = torch.cat(xs)
        y = (
            {k: torch.cat([b[k] for b in ys]) for k in ys[0]}
            if isinstance(ys[0], dict)
            else (torch.cat(ys))
        )
    if isinstance(y, dict):
        y = y[targets[0].name]
    index = example_rows(y, count)
    return x[index], y[index]


def _display(data: PreparedData):
    """The front end that draws the panels: the model's, or log-mel for a waveform model."""
    frontend = data.frontend
    if frontend.config["features"] != "waveform":
        return frontend
    from trainlab.preprocess.audio.frontend import AudioFrontEnd

    args = {**frontend.config, "features": "logmel", "normalize": "none"}
    return AudioFrontEnd.from_config(args)


def _spectra(frontend, x: torch.Tensor) -> list[np.ndarray]:
    with torch.no_grad():
        s = x if x.ndim == 4 else frontend(x)
    return [s[i, 0].float().numpy() for i in range(len(s))]


def write_wavs(folder: Path, waves: dict[str, torch.Tensor], sample_rate: int) -> Path:
    """``folder/<row>-<column>.wav`` for each waveform batch, the folder replaced whole.

    Written in a temporary folder beside it first, so an interrupted preview
    leaves the earlier folder (or none), never half of one.
    """
    import soundfile

    tmp = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.part")
    tmp.mkdir(parents=True)
    try:
        for column, x in waves.items():
            for r in range(len(x)):
                clip = x[r].float().mean(0).clamp(-1, 1).numpy()
                soundfile.write(str(tmp / f"{r + 1}-{column}.wav"), clip, sample_rate, "PCM_16")
        if folder.is_dir():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return folder


def audio_preview(
    recipe: Recipe, data: PreparedData, path: Path, *, rows: int = 4, seed: int = 0
) -> tuple[Path, Path]:
    """Write the spectrogram grid (PNG) and the WAV folder; returns both paths."""
    names = [str(spec["name"]) for spec in recipe.augment]
    augs = build_augmentations(with_sample_rate(recipe.augment, data.summary.get("sample_rate")))
    spectral = data.frontend.config["features"] != "waveform"
    check_modality(augs, names, "audio", spectrograms=spectral)
    x, y = examples(data.train, data.targets, rows)
    model_frontend = data.frontend if spectral else None
    offset = raw_zero(data.preprocessor, data.in_shape)  # as in training
    versions = {"original": x}
    for name, aug in zip(names, augs, strict=True):
        gen = torch.Generator().manual_seed(seed)
        versions[name] = augment_batch([aug], x, None, gen, offset=offset, frontend=model_frontend)[
            0
        ]
    if len(augs) > 1:
        gen = torch.Generator().manual_seed(seed)
        versions["all"] = augment_batch(augs, x, None, gen, offset=offset, frontend=model_frontend)[
            0
        ]
    display = _display(data)
    columns = list(versions)
    panels = [_spectra(display, v) for v in versions.values()]
    grid = [[panels[c][r] for c in range(len(columns))] for r in range(len(x))]
    labels = [data.classes[int(c)] for c in y] if data.classes else None
    cfg = data.frontend.config
    path = Path(path)
    plot_spectrograms(
        grid,
        path,
        columns=columns,
        rows=labels,
        frequencies=display.frequencies(),
        seconds_per_frame=cfg["hop_length"] / cfg["sample_rate"],
        title=f"{recipe.name}: {', '.join(names)}",
        shared="row",
    )
    raw = {k: _raw(data, v) for k, v in versions.items() if v.ndim == 3}
    folder = write_wavs(path.with_name(f"{path.stem}-wav"), raw, int(cfg["sample_rate"]))
    return path, folder


def _raw(data: PreparedData, x: torch.Tensor) -> torch.Tensor:
    """Waveforms back in the files' units: the preprocessing's normalization undone.

    The normalizers are affine per channel or feature, so two points fix the
    inverse: what a raw 0 and a raw 1 become.
    """
    zero = raw_zero(data.preprocessor, data.in_shape)
    ones = np.ones((1, *data.in_shape), dtype=np.float32)
    one = torch.from_numpy(np.ascontiguousarray(data.preprocessor.transform(ones)))
    scale = torch.where((one - zero).abs() > 1e-12, one - zero, torch.ones_like(zero))
    return (x - zero) / scale


def example_spectrograms(data: PreparedData, path: Path, title: str, per_row: int = 5) -> Path:
    """The run report's figure: one test clip per class through the model's front end."""
    part = data.test if data.test is not None else data.train
    if data.frontend is None or not data.classes:
        raise ConfigError("example spectrograms need audio with a classification target")
    x, y = examples(part, data.targets, min(10, len(data.classes)))
    display = _display(data)
    panels = _spectra(display, x)
    names = [data.classes[int(c)] for c in y]
    grid = [panels[i : i + per_row] for i in range(0, len(panels), per_row)]
    titles = [names[i : i + per_row] for i in range(0, len(names), per_row)]
    cfg = data.frontend.config
    return plot_spectrograms(
        grid,
        path,
        titles=titles,
        frequencies=display.frequencies(),
        seconds_per_frame=cfg["hop_length"] / cfg["sample_rate"],
        title=title,
    )
