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

import click

from trainlab.cli._common import load_recipe, set_option


@click.command()
def recipes() -> None:
    """List the built-in recipes."""
    import yaml

    from trainlab.config.recipes import builtin_recipes

    for name, path in builtin_recipes().items():
        first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        click.echo(f"{name:<20}{data['data']['dataset']:<15}{first}")


@click.command()
def datasets() -> None:
    """List the data sets."""
    from trainlab.data.datasets import dataset_descriptions

    for name, text in dataset_descriptions().items():
        click.echo(f"{name:<16}{text}")


@click.command()
@click.argument("recipe", required=False)
@set_option()
def show(recipe: str | None, overrides: tuple[str, ...]) -> None:
    """Print RECIPE fully resolved (every default filled in), with overrides applied."""
    click.echo(load_recipe(recipe, overrides).to_yaml(), nl=False)


@click.command()
def components() -> None:
    """List every registered component: models, init schemes, strategies, …"""
    from trainlab.augment.registry import AUGMENTATIONS
    from trainlab.data.datasets.registry import DATASETS
    from trainlab.engine.optim import OPTIMIZERS, SCHEDULES
    from trainlab.engine.transfer.plans import TRANSFERS
    from trainlab.models.activations import ACTIVATIONS
    from trainlab.models.init import INITS
    from trainlab.models.registry import MODELS
    from trainlab.preprocess.normalize import NORMALIZERS
    from trainlab.workflows.assemble import STRATEGY_CALLBACKS

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
    click.echo(f"{'strategies':<22}{', '.join(name for name, _ in STRATEGY_CALLBACKS)}")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (recipes, datasets, components, show)
