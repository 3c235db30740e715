"""Batches as mappings: what one step of training sees.

A batch is a plain mapping of named parts, so text, audio, video and pairs of
augmented views fit the loop without special cases:

- ``"x"``: the model's inputs (a tensor);
- ``"y"``: the targets: a tensor (one task) or a mapping ``{task name: tensor}``
  (multitask learning);
- anything else a data source adds (``"lengths"`` of variable-length
  sequences, ``"views"`` of one example, …), carried along untouched.

In-memory data are one such mapping holding every example; a training batch is
the same mapping indexed by a slice of a permutation (:func:`take`), so no
per-example collation happens.

Example:
    >>> import torch
    >>> from trainlab.engine.batch import as_batch, batch_size, take
    >>> b = as_batch((torch.arange(6.0).reshape(3, 2), {"a": torch.tensor([0, 1, 0])}))
    >>> sub = take(b, torch.tensor([2, 0]))
    >>> sub["x"].tolist(), sub["y"]["a"].tolist(), batch_size(sub)
    ([[4.0, 5.0], [0.0, 1.0]], [0, 0], 2)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch

#: a batch: ``{"x": inputs, "y": targets (tensor or {name: tensor}), ...}``
Batch = dict[str, Any]


def as_batch(data: Any) -> Batch:
    """A mapping batch from ``data``: a mapping (copied) or an ``(x, y)`` pair."""
    if isinstance(data, Mapping):
        if "x" not in data:
            raise ValueError(f"a batch needs an 'x' entry, got keys {sorted(data)}")
        return dict(data)
    x, y = data
    return {"x": x, "y": y}


def map_tensors(value: Any, fn: Callable[[torch.Tensor], torch.Tensor]) -> Any:
    """``fn`` applied to every tensor in ``value`` (nested mappings, lists and tuples)."""
    if isinstance(value, torch.Tensor):
        return fn(value)
    if isinstance(value, Mapping):
        return {k: map_tensors(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(map_tensors(v, fn) for v in value)
    return value


def take(batch: Batch, index: torch.Tensor) -> Batch:
    """The examples at ``index`` of every tensor of ``batch``."""
    return map_tensors(batch, lambda t: t[index])


def to_device(batch: Batch, device: torch.device) -> Batch:
    """Every tensor of ``batch`` on ``device`` (without blocking)."""
    return map_tensors(batch, lambda t: t.to(device, non_blocking=True))


def batch_size(batch: Batch) -> int:
    """The number of examples in ``batch`` (the length of its inputs)."""
    return len(batch["x"])


def concat(parts: list[Any]) -> Any:
    """Tensors, or mappings of tensors, of several batches joined along the first axis."""
    first = parts[0]
    if isinstance(first, Mapping):
        return {k: concat([p[k] for p in parts]) for k in first}
    return torch.cat(parts)
