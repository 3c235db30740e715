"""Built-in recipes, shipped as YAML files beside this module.

Example:
    >>> from trainlab.config.recipes import builtin_recipes
    >>> "digits-cnn" in builtin_recipes()
    True
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent

#: the recipe ``trainlab run`` uses when none is given
DEFAULT_RECIPE = "digits-cnn"


def builtin_recipes() -> dict[str, Path]:
    """Name → path of every built-in recipe."""
    return {p.stem: p for p in sorted(_HERE.glob("*.yaml"))}


def builtin_recipe_path(name: str) -> Path | None:
    """The path of the built-in recipe ``name`` (with or without ``.yaml``), or None."""
    return builtin_recipes().get(name.removesuffix(".yaml"))
