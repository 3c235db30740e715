"""Heads for several tasks: the architecture's own head, once per task.

A multitask network predicts a mapping ``{task name: output}``: one head per
task (Caruana, *Multitask Learning*, Machine Learning 28, 1997), each the
architecture's single-task head with its last linear layer sized for that
task: for an MLP a ``Linear``; for a CNN global average pooling, flatten and a
``Linear`` (Lin et al., 2014). :func:`task_head` makes such a head from the one
an architecture already builds, so the head's layout is defined in one place
(``mlp.py``, ``cnn.py``), and :class:`MultiHead` holds one per task.

A task's name keys the heads' (and the soft-sharing copies') modules, so it
must be usable as a module name: :func:`check_outputs` says which is not.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.models.heads import MultiHead, task_head
    >>> shared = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))
    >>> head = MultiHead({"digit": shared, "parity": task_head(shared, 2)})
    >>> {k: tuple(v.shape) for k, v in head(torch.zeros(4, 8, 3, 3)).items()}
    {'digit': (4, 10), 'parity': (4, 2)}
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

import torch
from torch import nn

from trainlab.core.errors import ConfigError


def check_outputs(outputs: Mapping[str, int]) -> dict[str, int]:
    """``outputs`` as a plain dict of task name → output size, validated.

    Raises:
        ConfigError: no task, a size that is not a positive integer, or a name
            that cannot name a module (empty, with a dot, or an attribute of
            torch's module containers such as ``keys`` or ``type``).

    Example:
        >>> from trainlab.models.heads import check_outputs
        >>> check_outputs({"digit": 10, "parity": 2})
        {'digit': 10, 'parity': 2}
        >>> try:
        ...     check_outputs({"digit": 10, "a.b": 2})
        ... except ConfigError as e:
        ...     print(e)
        model: task name 'a.b' cannot name a module; expected a non-empty name without '.'
    """
    if not isinstance(outputs, Mapping) or not outputs:
        raise ConfigError(
            f"model: expected outputs as a mapping of task name to size, got {outputs!r}"
        )
    reserved = nn.ModuleDict()
    for name, size in outputs.items():
        if not isinstance(name, str) or not name or "." in name:
            raise ConfigError(
                f"model: task name {name!r} cannot name a module; "
                "expected a non-empty name without '.'"
            )
        if hasattr(reserved, name):
            raise ConfigError(
                f"model: task name {name!r} is an attribute of torch modules; "
                "expected another name for that target"
            )
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ConfigError(
                f"model: task {name!r} has {size!r} outputs; expected a positive integer"
            )
    return dict(outputs)


def last_linear(head: nn.Module) -> tuple[str, nn.Linear]:
    """The name (``""``: the head itself) and module of ``head``'s last ``nn.Linear``.

    Example:
        >>> from torch import nn
        >>> from trainlab.models.heads import last_linear
        >>> last_linear(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))
        ('1', Linear(in_features=4, out_features=2, bias=True))
    """
    found = [(n, m) for n, m in head.named_modules() if isinstance(m, nn.Linear)]
    if not found:
        raise ConfigError(
            f"model: its head ({type(head).__name__}) has no linear layer to size per task; "
            "expected a head that ends in nn.Linear"
        )
    return found[-1]


def task_head(head: nn.Module, out_features: int) -> nn.Module:
    """A new head like ``head`` whose last ``nn.Linear`` has ``out_features`` outputs.

    The layers before the last linear one (pooling, flatten) are copied; the new
    linear layer is freshly initialized by PyTorch (same input size, same bias
    choice). ``head`` itself is left unchanged.

    Example:
        >>> from torch import nn
        >>> from trainlab.models.heads import task_head
        >>> task_head(nn.Linear(16, 10), 3)
        Linear(in_features=16, out_features=3, bias=True)
        >>> task_head(nn.Sequential(nn.Flatten(), nn.Linear(16, 10)), 1)[1].out_features
        1
    """
    name, last = last_linear(head)
    fresh = nn.Linear(
        last.in_features,
        out_features,
        bias=last.bias is not None,
        device=last.weight.device,
        dtype=last.weight.dtype,
    )
    if name == "":
        return fresh
    new = copy.deepcopy(head)
    parent, _, child = name.rpartition(".")
    setattr(new.get_submodule(parent) if parent else new, child, fresh)
    return new


class MultiHead(nn.ModuleDict):
    """One head per task, keyed by task name: features → ``{task: output}``.

    Given a tensor (hard sharing: one representation for all tasks), every head
    reads it; given a mapping (soft sharing: one representation per task), each
    head reads its own task's entry.

    Args:
        heads: task name → head module, in task order (the main task first).
    """

    def __init__(self, heads: Mapping[str, nn.Module]) -> None:
        check_outputs({name: 1 for name in heads})
        super().__init__(heads)

    @property
    def tasks(self) -> list[str]:
        """The task names, in order."""
        return list(self.keys())

    def forward(
        self, features: torch.Tensor | Mapping[str, torch.Tensor]
    ) -> dict[str, torch.Tensor]:
        if isinstance(features, Mapping):
            return {name: head(features[name]) for name, head in self.items()}
        return {name: head(features) for name, head in self.items()}
