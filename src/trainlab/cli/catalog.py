"""``trainlab recipes``, ``datasets``, ``components`` and ``show``: what there is to use.

``recipes``, ``datasets`` and ``show`` read YAML files and docstrings only,
so they answer without importing PyTorch or the data sets' loaders'
dependencies; ``components`` imports the registries, and so PyTorch.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.catalog import datasets, recipes
    >>> "digits" in CliRunner().invoke(datasets).output
    True
    >>> "digits-cnn" in CliRunner().invoke(recipes).output
    True
"""

from __future__ import annotations

import re
import shutil
import textwrap

import click

from trainlab.cli._common import load_recipe, set_option

#: a sentence ends at . ! or ? followed by a space and a capital (not "e.g. the", "et al. (")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, whole, with its lines joined.

    Example:
        >>> first_sentence("A net on\\nthe digits (Xiao et al., 2017). Fast. More.")
        'A net on the digits (Xiao et al., 2017).'
    """
    joined = " ".join(text.split())
    return _SENTENCE_END.split(joined, maxsplit=1)[0]


def leading_comment(text: str) -> str:
    """The comment block that opens a YAML file, without the ``#`` marks.

    Example:
        >>> leading_comment("# Tabular: wine.\\n# Small.\\nname: wine-mlp\\n")
        'Tabular: wine.\\nSmall.'
    """
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def listing_row(label: str, text: str) -> str:
    """``label`` then ``text``, wrapped to the terminal with continuation lines under ``text``.

    Example:
        >>> listing_row("wine      ", "Wine: 178 wines.")
        'wine      Wine: 178 wines.'
    """
    width = max(shutil.get_terminal_size().columns, len(label) + 40)
    indent = " " * len(label)
    return textwrap.fill(
        text, width, initial_indent=label, subsequent_indent=indent, break_on_hyphens=False
    )


@click.command()
def recipes() -> None:
    """List the built-in recipes.

    Each with its data set and the first sentence of the comment that opens its file.
    """
    import yaml

    from trainlab.config.recipes import builtin_recipes

    for name, path in builtin_recipes().items():
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        about = first_sentence(leading_comment(text))
        click.echo(listing_row(f"{name:<20}{data['data']['dataset']:<15}", about))


@click.command()
def datasets() -> None:
    """List the data sets."""
    from trainlab.data.datasets import dataset_descriptions

    for name, text in dataset_descriptions().items():
        click.echo(listing_row(f"{name:<16}", text))


@click.command()
@click.argument("recipe", required=False)
@set_option()
def show(recipe: str | None, overrides: tuple[str, ...]) -> None:
    """Print RECIPE fully resolved (every default filled in), with overrides applied."""
    click.echo(load_recipe(recipe, overrides).to_yaml(), nl=False)


@click.command()
def components() -> None:
    """List every registered component: data sets, models, init schemes, augmentations, …

    The strategies line is the catalogue's (``trainlab strategies`` shows it in full).
    """
    from trainlab.augment.registry import AUGMENTATIONS
    from trainlab.config.catalogue import ROWS
    from trainlab.data.datasets.registry import DATASETS
    from trainlab.engine.optim import OPTIMIZERS, SCHEDULES
    from trainlab.engine.transfer.plans import TRANSFERS
    from trainlab.models.activations import ACTIVATIONS
    from trainlab.models.init import INITS
    from trainlab.models.registry import MODELS
    from trainlab.preprocess.normalize import NORMALIZERS

    for reg in (
        DATASETS,
        MODELS,
        ACTIVATIONS,
        INITS,
        NORMALIZERS,
        OPTIMIZERS,
        SCHEDULES,
        AUGMENTATIONS,
        TRANSFERS,
    ):
        plural = reg.kind[:-1] + "ies" if reg.kind.endswith("y") else reg.kind + "s"
        click.echo(f"{plural:<22}{', '.join(reg.names())}")
    built = sorted({row.english for row in ROWS if row.status == "built"})
    click.echo(f"{'strategies':<22}{', '.join(built)} (trainlab strategies WORD)")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (recipes, datasets, components, show)
