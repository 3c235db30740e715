"""Test-time augmentation: average the predicted probabilities over views of each input.

Predicting on several transformed copies of a test input and averaging the
class probabilities (Krizhevsky et al., *ImageNet Classification with Deep
Convolutional Neural Networks*, NeurIPS 2012, averaged ten crops and their
mirror images) reduces the variance of the prediction:

    p(y | x) ≈ (1 / V) Σ_v softmax(f(view_v(x)))

The views are the input itself, its horizontal mirror (images only) and
copies shifted by ±``shift`` pixels along each spatial axis (along time for
1-D signals), with zeros filling the uncovered border (not wrapped around).

Example:
    >>> import torch
    >>> from trainlab.augment.tta import tta_probabilities, tta_views
    >>> x = torch.rand(2, 3, 8, 8)
    >>> len(tta_views(x, flip=True, shift=1))  # original, mirror, ±1 along H and along W
    6
    >>> model = lambda b: b.mean(dim=(2, 3))  # 3 "classes"
    >>> probs = tta_probabilities(model, x, flip=True, shift=1)
    >>> probs.shape, torch.allclose(probs.sum(dim=1), torch.ones(2))
    (torch.Size([2, 3]), True)
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def shift_zero(x: torch.Tensor, shift: int, dim: int) -> torch.Tensor:
    """A copy of ``x`` shifted by ``shift`` along ``dim`` (out[t] = x[t − shift]), zero-filled.

    Example:
        >>> import torch
        >>> shift_zero(torch.tensor([1, 2, 3]), -1, 0).tolist()
        [2, 3, 0]
    """
    out = torch.zeros_like(x)
    size = x.shape[dim]
    k = min(abs(shift), size)
    if shift >= 0:
        out.narrow(dim, k, size - k).copy_(x.narrow(dim, 0, size - k))
    else:
        out.narrow(dim, 0, size - k).copy_(x.narrow(dim, k, size - k))
    return out


def tta_views(x: torch.Tensor, *, flip: bool = False, shift: int = 0) -> list[torch.Tensor]:
    """The views of a batch: itself, its mirror (images), and its ±``shift`` shifts per axis.

    Args:
        x: images (N, C, H, W) or 1-D signals (N, C, L); other ranks only with no views asked.
        flip: add the horizontal mirror (flip of the last axis) of images; ignored for signals.
        shift: add copies shifted by +shift and −shift pixels (samples) along each spatial axis
            (H, then W; or L), zero-filled; 0 adds none.

    Returns:
        ``[x, mirror?, +shift along H, −shift along H, +shift along W, −shift along W]``
        (or ``[x, +shift, −shift]`` for signals); every view has x's shape, dtype and device.

    Example:
        >>> import torch
        >>> x = torch.arange(1.0, 4.0).view(1, 1, 3)
        >>> [v.flatten().tolist() for v in tta_views(x, flip=True, shift=1)]
        [[1.0, 2.0, 3.0], [0.0, 1.0, 2.0], [2.0, 3.0, 0.0]]
    """
    if isinstance(shift, bool) or not isinstance(shift, int) or shift < 0:
        raise ValueError(f"shift: expected a non-negative whole number, got {shift!r}")
    views = [x]
    if x.ndim not in (3, 4):
        if flip or shift:
            raise ValueError(
                f"test-time views need images (N, C, H, W) or signals (N, C, L), "
                f"got shape {tuple(x.shape)}"
            )
        return views
    if flip and x.ndim == 4:
        views.append(x.flip(-1))
    if shift:
        for dim in range(2, x.ndim):
            views.append(shift_zero(x, shift, dim))
            views.append(shift_zero(x, -shift, dim))
    return views


def tta_probabilities(
    model_fn: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    *,
    flip: bool = False,
    shift: int = 0,
) -> torch.Tensor:
    """Class probabilities (N, classes) averaged over the views of ``x``.

    Args:
        model_fn: maps a batch to logits (N, classes), e.g. a model in eval mode.
        x: the batch (see :func:`tta_views`).
        flip: add the horizontal mirror (images).
        shift: add the ±shift shifted copies along each spatial axis.

    Returns:
        The mean over views of ``softmax(model_fn(view), dim=-1)``, in float32 or wider.

    Example:
        >>> import torch
        >>> x = torch.zeros(2, 1, 5)
        >>> tta_probabilities(lambda b: b.sum(dim=2).expand(-1, 4), x, shift=2).tolist()
        [[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]
    """
    total: torch.Tensor | None = None
    views = tta_views(x, flip=flip, shift=shift)
    for view in views:
        logits = model_fn(view)
        dtype = torch.promote_types(logits.dtype, torch.float32)
        probs = torch.softmax(logits.to(dtype), dim=-1)
        total = probs if total is None else total + probs
    assert total is not None
    return total / len(views)
