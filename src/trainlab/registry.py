"""Name → component registries.

Recipes, studies and the command line speak in strings; a registry turns a
string into the component that implements it, and an unknown string into a
clear error that lists what exists.

Example:
    >>> from trainlab.registry import Registry
    >>> ACTS = Registry("activation")
    >>> @ACTS.register("double")
    ... def double(x):
    ...     return 2 * x
    >>> ACTS.get("double")(3)
    6
    >>> ACTS.names()
    ['double']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from trainlab.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """A named collection of components of one kind.

    Args:
        kind: what the components are ("dataset", "model", ...), used in errors.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._aliases: dict[str, str] = {}

    def register(self, name: str, *, aliases: tuple[str, ...] = ()) -> Callable[[T], T]:
        """Decorator that registers ``obj`` under ``name`` (and ``aliases``)."""

        def deco(obj: T) -> T:
            if name in self._items or name in self._aliases:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._items[name] = obj
            for alias in aliases:
                self._aliases[alias] = name
            return obj

        return deco

    def canonical(self, name: str) -> str:
        """The registered name behind ``name`` (resolving aliases)."""
        key = name.strip().lower().replace("_", "-")
        key = self._aliases.get(key, key)
        if key not in self._items:
            known = ", ".join(self.names())
            raise ConfigError(f"unknown {self.kind} {name!r}; expected one of: {known}")
        return key

    def get(self, name: str) -> T:
        """The component registered as ``name``; ``ConfigError`` if there is none."""
        return self._items[self.canonical(name)]

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._items)

    def items(self) -> list[tuple[str, T]]:
        """(name, component) pairs, sorted by name."""
        return [(n, self._items[n]) for n in self.names()]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        key = name.strip().lower().replace("_", "-")
        return key in self._items or key in self._aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._items)


#: data sets: name → loader returning a :class:`trainlab.data.DataBundle`
DATASETS: Registry = Registry("dataset")
#: models: name → builder(config, in_shape, num_classes) returning a StagedModel
MODELS: Registry = Registry("model")
#: activations: name → nn.Module class
ACTIVATIONS: Registry = Registry("activation")
#: weight initialization schemes: name → function(weight, *, std, generator) filling in place
INITS: Registry = Registry("init scheme")
#: normalizations: name → Normalizer class
NORMALIZERS: Registry = Registry("normalization")
#: optimizers: name → builder(param_groups, config)
OPTIMIZERS: Registry = Registry("optimizer")
#: learning-rate schedules: name → builder(optimizer, config, steps_per_epoch, epochs)
SCHEDULES: Registry = Registry("schedule")
#: training strategies: name → builder(recipe) returning a Callback or None
STRATEGIES: Registry = Registry("strategy")
#: batch augmentations: name → Augmentation class
AUGMENTATIONS: Registry = Registry("augmentation")
#: transfer strategies: name → builder(transfer config, stage names, copied, base lr) → plan
TRANSFERS: Registry = Registry("transfer strategy")
