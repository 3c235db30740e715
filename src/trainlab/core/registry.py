"""Name → component registries.

Recipes, studies and the command line speak in strings; a registry turns a
string into the component that implements it, and an unknown string into a
clear error that lists what exists.

Each package lists its own components in one table (``data/datasets/registry.py``,
``models/registry.py``, ``augment/registry.py``, …), so what a registry holds is
visible in one place and never depends on which modules happen to be imported;
``add`` puts a user's own component in a table.

Example:
    >>> from trainlab.core.registry import Registry
    >>> def double(x):
    ...     return 2 * x
    >>> ACTS = Registry("activation", {"double": double}, aliases={"twice": "double"})
    >>> ACTS.get("twice")(3)
    6
    >>> ACTS.names()
    ['double']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from trainlab.core.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """A named collection of components of one kind.

    Args:
        kind: what the components are ("dataset", "model", ...), used in errors.
    """

    def __init__(
        self,
        kind: str,
        entries: Mapping[str, T] | None = None,
        *,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._aliases: dict[str, str] = {}
        for name, obj in (entries or {}).items():
            self.add(name, obj)
        for alias, name in (aliases or {}).items():
            if name not in self._items:
                raise ValueError(f"{self.kind} alias {alias!r} names no entry {name!r}")
            self._aliases[alias] = name

    def add(self, name: str, obj: T, *, aliases: tuple[str, ...] = ()) -> T:
        """Register ``obj`` under ``name`` (and ``aliases``); returns ``obj``."""
        if name in self._items or name in self._aliases:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = obj
        for alias in aliases:
            self._aliases[alias] = name
        return obj

    def register(self, name: str, *, aliases: tuple[str, ...] = ()) -> Callable[[T], T]:
        """Decorator that registers ``obj`` under ``name`` (and ``aliases``)."""

        def deco(obj: T) -> T:
            return self.add(name, obj, aliases=aliases)

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
