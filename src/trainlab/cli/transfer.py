"""``trainlab transfer-study`` and ``trainlab import-model``: transfer of knowledge.

``transfer-study`` runs Yosinski et al. (2014), "How transferable are features
in deep neural networks?", on a recipe; ``import-model`` turns a torchvision or
timm model into a checkpoint a recipe can transfer from. The recipe and its
overrides are validated before the study (and PyTorch) is imported.

Example:
    >>> from trainlab.cli.transfer import parse_list
    >>> parse_list("0, 1,cat", "--task-a"), parse_list("1,2", "--depths", integers=True)
    ([0, 1, 'cat'], [1, 2])
"""

from __future__ import annotations

from pathlib import Path

import click

from trainlab.cli._common import (
    fail,
    load_recipe,
    out_dir_option,
    parse_seeds,
    quiet_option,
    set_option,
    workers_option,
)


def parse_list(text: str | None, what: str, *, integers: bool = False) -> list | None:
    """Comma-separated values of option ``what`` (digits as integers); None for None."""
    from trainlab.core.errors import ConfigError

    if text is None:
        return None
    items = [x.strip() for x in text.split(",") if x.strip()]
    if not items:
        raise ConfigError(f"{what} {text!r}: expected values separated by commas")
    if not integers:
        return [int(x) if x.isdigit() else x for x in items]
    try:
        return [int(x) for x in items]
    except ValueError:
        raise ConfigError(f"{what} {text!r}: expected integers separated by commas") from None


@click.command("transfer-study")
@click.argument("recipe", required=False)
@click.option(
    "--task-a", default=None, metavar="0,1,2", help="Task A's classes (default: first half)."
)
@click.option(
    "--task-b", default=None, metavar="5,6,7", help="Task B's classes (default: the rest)."
)
@click.option("--seeds", default="0,1,2", show_default=True, metavar="0,1,2")
@click.option(
    "--epochs",
    "-e",
    default=None,
    type=click.IntRange(min=1),
    help="E: epochs of each phase (default: the recipe's).",
)
@click.option(
    "--depths",
    default=None,
    metavar="1,2,3",
    help="Values of n, stages copied (default: 1 to the number of stages).",
)
@click.option("--arms", default="BnB,BnB+,AnB,AnB+", show_default=True)
@click.option("--name", default=None, help="Study name and folder (default: transfer-<recipe>).")
@out_dir_option("studies")
@workers_option
@set_option()
@quiet_option
def transfer_study_cmd(
    recipe: str | None,
    task_a: str | None,
    task_b: str | None,
    seeds: str,
    epochs: int | None,
    depths: str | None,
    arms: str,
    name: str | None,
    out_dir: str,
    workers: int,
    overrides: tuple[str, ...],
    quiet: bool,
) -> None:
    """How transferable is each stage? Yosinski et al. (2014) on RECIPE (default: digits-cnn).

    Splits the classes into tasks A and B, trains base models on each, then
    for every n copies the first n stages (frozen: BnB, AnB; fine-tuned: BnB+,
    AnB+) and plots test accuracy against n. Run it again after an
    interruption: finished trials are kept.
    """
    from trainlab.config.recipe import parse_assignments

    recipe = recipe or "digits-cnn"
    load_recipe(recipe, overrides)  # a typo fails here, before the study's imports
    from trainlab.workflows.transfer_study import TransferStudy, run_transfer_study

    study = TransferStudy(
        recipe=recipe,
        task_a=parse_list(task_a, "--task-a"),
        task_b=parse_list(task_b, "--task-b"),
        seeds=parse_seeds(seeds),
        epochs=epochs,
        depths=parse_list(depths, "--depths", integers=True),
        arms=parse_list(arms, "--arms") or [],
        overrides=parse_assignments(list(overrides)),
        name=name or f"transfer-{Path(recipe).stem}",
    )
    try:
        run_transfer_study(
            study, out_dir=out_dir, workers=workers, progress=not quiet, echo=click.echo
        )
    except KeyboardInterrupt:
        fail("interrupted; finished trials are stored: run the same command again to go on", 130)


@click.command("import-model")
@click.argument("source")
@click.argument("out", type=click.Path(dir_okay=True))
@click.option("--download", is_flag=True, help="Fetch the weights when they are not on disk.")
def import_model_cmd(source: str, out: str, download: bool) -> None:
    """Save SOURCE (torchvision:resnet18, timm:NAME) as a trainlab checkpoint at OUT.

    The checkpoint carries the model in stages and the normalization its
    weights were trained with, so a recipe can transfer from it
    (transfer.checkpoint: OUT, transfer.architecture: checkpoint).
    """
    from trainlab.workflows.model_import import import_model

    path = import_model(source, out, download=download)
    click.echo(f"trainlab: {source} saved as {path}")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (transfer_study_cmd, import_model_cmd)
