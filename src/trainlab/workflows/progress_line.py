"""A progress line of a step that runs before or instead of the epochs (pretraining,
meta-training): on stderr, flushed, so it reads the same in a log without a terminal.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> say(Recipe().override({"train.progress": False}), "not shown")
"""

from __future__ import annotations

import sys

from trainlab.config.recipe import Recipe


def say(recipe: Recipe, line: str) -> None:
    """Print ``line`` to stderr unless the recipe turned progress off (``train.progress``)."""
    if recipe.train.progress:
        print(line, file=sys.stderr, flush=True)
