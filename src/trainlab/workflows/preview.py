"""A picture of what a recipe's augmentations do: originals and random draws.

Each row shows one training example, then several augmented draws of it, as
the training loop would see them (after preprocessing, on the same tensors).
Images are shown per-image min–max scaled; 1-D signals as lines. Video clips
get strips of their frames, flow and masks (:mod:`~trainlab.workflows.preview_video`),
audio spectrograms and WAV files (:mod:`~trainlab.workflows.preview_audio`), text
a file of texts (:mod:`~trainlab.workflows.preview_text`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.preview import augment_preview
    >>> r = Recipe.load("digits-cnn").override(
    ...     {"data.limit": 100, "augment": [{"name": "affine", "rotation": 20}]})
    >>> out = augment_preview(r, Path(tempfile.mkdtemp()) / "p.png", rows=2, draws=3)
    >>> out.stat().st_size > 1000
    True
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure

from trainlab.augment.pipeline import (
    augment_batch,
    build_augmentations,
    check_modality,
    for_clips,
    raw_zero,
)
from trainlab.config.recipe import Recipe
from trainlab.core.atomic import atomic_path
from trainlab.core.errors import ConfigError
from trainlab.workflows.prepare import PreparedData, prepare_data

#: how to give a recipe augmentations on the command line (real names and arguments)
ADD_ONE = (
    "add some, e.g. --set 'augment=[{name: rotate, rotation: 15}]' (images) or "
    "--set 'augment=[{name: time-shift, max_shift: 0.1}]' (signals, audio); "
    "trainlab components lists them"
)


def preview_rows(labels: torch.Tensor, rows: int) -> list[int]:
    """The ``rows`` examples a preview shows: the first of each class (in class order;
    data sets are often sorted by class), then the rest in order.

    Example:
        >>> import torch
        >>> from trainlab.workflows.preview import preview_rows
        >>> preview_rows(torch.tensor([3, 1, 3, 0, 1]), 4)
        [3, 1, 0, 2]
    """
    firsts = [int((labels == c).nonzero()[0]) for c in labels.unique() if (labels == c).any()]
    rest = [i for i in range(len(labels)) if i not in set(firsts[:rows])]
    return (firsts + rest)[: max(1, rows)]


def augmented_draws(
    recipe: Recipe,
    *,
    rows: int = 4,
    draws: int = 6,
    seed: int = 0,
    data: PreparedData | None = None,
) -> tuple[torch.Tensor, list[torch.Tensor], str]:
    """Originals (rows, …), a list of ``draws`` augmented batches, and the data's modality."""
    if not recipe.augment:
        raise ConfigError(f"the recipe has no augment list: nothing to preview; {ADD_ONE}")
    augs = build_augmentations(recipe.augment)  # names and arguments, before the data
    data = prepare_data(recipe) if data is None else data
    check_modality(augs, [spec["name"] for spec in recipe.augment], data.modality)
    if data.modality == "video":  # an image augmentation draws once per clip
        from trainlab.workflows.assemble import clip_layout

        names = [f"augment[{i}] ({spec['name']})" for i, spec in enumerate(recipe.augment)]
        augs = for_clips(augs, clip_layout(data), names=names)
    picked = preview_rows(data.train[1], rows)
    inputs = data.train[0]  # a tensor, or a folder streamed from its files
    x = inputs[picked] if isinstance(inputs, torch.Tensor) else inputs.examples(picked)
    offset = raw_zero(data.preprocessor, data.in_shape)
    gen = torch.Generator().manual_seed(seed)
    out = [augment_batch(augs, x, None, gen, offset=offset)[0] for _ in range(draws)]
    return x, out, data.modality


def _show(ax, sample: torch.Tensor, modality: str) -> None:
    if modality == "signal":
        for channel in sample:
            ax.plot(channel.numpy(), lw=1.0)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    img = sample.float().numpy()
    lo, hi = img.min(), img.max()
    img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
    img = img[0] if img.shape[0] == 1 else np.moveaxis(img[:3], 0, -1)
    ax.imshow(img, cmap="gray" if img.ndim == 2 else None, interpolation="nearest")
    ax.axis("off")


def augment_preview(
    recipe: Recipe, path: str | Path, *, rows: int = 4, draws: int = 6, seed: int = 0
) -> Path:
    """Write a PNG grid: each row an original and ``draws`` augmented versions.

    Audio gets spectrograms before and after each augmentation instead, and the
    WAV files beside the PNG (:mod:`~trainlab.workflows.preview_audio`); text
    gets a ``.txt`` file of texts before and after (:mod:`~trainlab.workflows.preview_text`);
    video clips strips of their frames, flow and masks, at most 3 draws
    (:mod:`~trainlab.workflows.preview_video`).
    """
    if not recipe.augment:
        raise ConfigError(f"the recipe has no augment list: nothing to preview; {ADD_ONE}")
    from trainlab.workflows.preview_text import names_text_augmentations, text_preview

    if names_text_augmentations(recipe.augment):
        return text_preview(recipe, Path(path), rows=rows, seed=seed)
    build_augmentations(recipe.augment)  # names and arguments, before the data
    data = prepare_data(recipe)
    if data.modality == "audio":
        from trainlab.workflows.preview_audio import audio_preview

        return audio_preview(recipe, data, Path(path), rows=rows, seed=seed)[0]
    if data.modality == "video":  # each cell a strip of frames (and flow, masks): fewer draws
        from trainlab.workflows.preview_video import video_preview

        return video_preview(recipe, data, Path(path), rows=rows, draws=min(draws, 3), seed=seed)
    x, batches, modality = augmented_draws(recipe, rows=rows, draws=draws, seed=seed, data=data)
    cols = draws + 1
    fig = Figure(figsize=(1.3 * cols, 1.3 * len(x) + 0.5), dpi=110)
    axes = fig.subplots(len(x), cols, squeeze=False)
    for r in range(len(x)):
        _show(axes[r][0], x[r], modality)
        for c, batch in enumerate(batches, start=1):
            _show(axes[r][c], batch[r], modality)
    axes[0][0].set_title("original", fontsize=9)
    for c in range(1, cols):
        axes[0][c].set_title(f"draw {c}", fontsize=9)
    names = ", ".join(str(a.get("name")) for a in recipe.augment)
    fig.suptitle(f"{recipe.name}: {names}", fontsize=10)
    fig.tight_layout()
    path = Path(path)
    with atomic_path(path, ".png") as tmp:
        fig.savefig(tmp, format="png")
    return path
