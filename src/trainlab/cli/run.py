"""``trainlab run`` and ``trainlab evaluate``: train a recipe, score a saved model.

The recipe and its ``--set`` overrides are validated before the training
workflow (and with it PyTorch) is imported, so a typo is reported at once.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.run import run
    >>> result = CliRunner().invoke(run, ["--set", "model.droput=0.3"])
    >>> type(result.exception).__name__, "model.droput" in str(result.exception)
    ('ConfigError', True)
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import click

from trainlab.cli._common import (
    fail,
    lang_option,
    load_recipe,
    out_dir_option,
    quiet_option,
    set_option,
)
from trainlab.cli._summary import evaluation_line, print_meta_summary, print_summary

if TYPE_CHECKING:  # the workflow (and with it PyTorch) is imported only to run
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.run import RunResult


@click.command()
@click.argument("recipe", required=False)
@set_option()
@out_dir_option("runs")
@click.option("--name", default=None, help="Run folder name (default: recipe name and time).")
@click.option("--resume", default=None, type=click.Path(), help="Continue an interrupted run.")
@lang_option("The report's language; a resumed run keeps the one it was started with")
@quiet_option
@click.option(
    "--nproc",
    type=int,
    default=None,
    help="Train on this many processes per machine with DistributedDataParallel "
    "(started as torchrun starts them).",
)
@click.option("--nnodes", type=int, default=1, show_default=True, help="Machines (with --nproc).")
@click.option("--rdzv", default=None, help="HOST:PORT of the first machine (with --nnodes > 1).")
def run(
    recipe: str | None,
    overrides: tuple[str, ...],
    out_dir: str,
    name: str | None,
    resume: str | None,
    lang: str | None,
    quiet: bool,
    nproc: int | None,
    nnodes: int,
    rdzv: str | None,
) -> None:
    """Train and evaluate RECIPE (a YAML file or a built-in name; default: digits-cnn)."""
    if resume is not None and (recipe or overrides):
        fail("--resume continues a run with its saved recipe: give no RECIPE or --set")
    r = load_recipe(recipe, overrides)
    if quiet:
        r = r.override({"train.progress": False})
    if nproc is not None:
        _launch(r, recipe, list(overrides), out_dir, name, resume, lang, quiet, nproc, nnodes, rdzv)
        return
    from trainlab.workflows.model_choice import is_auto
    from trainlab.workflows.run import RunInterrupted, run_recipe

    main = os.environ.get("RANK", "0") == "0"  # a DDP rank other than 0 says nothing
    auto = resume is None and is_auto(r)
    if resume is None and main:
        model = "model picked by the data" if auto else r.model.name
        ranks = f", {os.environ['WORLD_SIZE']} processes" if "WORLD_SIZE" in os.environ else ""
        click.echo(f"trainlab: training {r.name} on {r.data.dataset} ({model}{ranks})")
    try:
        result = run_recipe(r, out_dir=out_dir, name=name, resume=resume, lang=lang)  # type: ignore[arg-type]
    except RunInterrupted as exc:
        fail(f"interrupted; continue with: trainlab run --resume {exc.partial}", 130)
    if result.rank != 0:
        return
    if "test_episodes" in result.metrics:  # a meta-learning run
        print_meta_summary(result)
        return
    picked = str(result.models[0].config["name"]) if auto else None
    print_summary(result, _primary(result), picked)


def _launch(
    r: Recipe,
    recipe: str | None,
    overrides: list[str],
    out_dir: str,
    name: str | None,
    resume: str | None,
    lang: str | None,
    quiet: bool,
    nproc: int,
    nnodes: int,
    rdzv: str | None,
) -> None:
    """``--nproc N``: the same run on N processes (:mod:`trainlab.workflows.launch`)."""
    from trainlab.workflows.launch import check_launch, child_arguments, launch_run
    from trainlab.workflows.run_folder import RunFolder, default_run_name

    check_launch(nproc, nnodes, rdzv)
    if resume is None and r.meta.enabled:
        fail("meta-learning runs in one process: drop --nproc")
    if resume is not None:
        partial = RunFolder.resume(resume).partial
    else:  # named here, so that a failed run's resume hint can name its folder
        name = RunFolder.free_name(out_dir, name or default_run_name(r))
        partial = RunFolder.partial_path(out_dir, name)
    args = child_arguments(
        recipe, overrides, out_dir=out_dir, name=name, resume=resume, lang=lang, quiet=quiet
    )
    outcome = launch_run(args, nproc=nproc, nnodes=nnodes, rdzv=rdzv, partial=partial)
    if outcome.status:
        fail(outcome.message, outcome.status)


def _primary(result: RunResult) -> str:
    """The main metric of the run's task (``acc``, ``rmse``, ``digit_acc``)."""
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.task_setup import build_task

    recipe = Recipe.load(result.folder / "recipe.yaml")
    return build_task(recipe, result.data).primary


@click.command()
@click.argument("model", metavar="MODEL", type=click.Path())
@click.option(
    "--split",
    type=click.Choice(["train", "val", "test", "all"]),
    default=None,
    help="The part of the saved recipe's data to score; all: every example "
    "[default: test; all with --file].",
)
@click.option(
    "--file",
    "file",
    type=click.Path(),
    default=None,
    help="Score every row of this file (a CSV file, an image folder) instead of a split.",
)
@set_option("Override the saved recipe's data settings, e.g. --set data.options.path=x.csv")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(
    model: str, split: str | None, file: str | None, overrides: tuple[str, ...], as_json: bool
) -> None:
    """Score a saved model (a run folder or its model.safetensors) with its task's metrics.

    On a split of the data it was trained on (default: the test split), on all of
    it (--split all), or on every row of another file (--file FILE).
    """
    from trainlab.config.recipe import parse_assignments

    parse_assignments(list(overrides))  # a malformed --set fails before PyTorch loads
    if file is not None and split not in (None, "all"):
        fail(f"--file scores every row of {file}; --split {split} does not apply")
    from trainlab.workflows.evaluate import evaluate_checkpoint

    chosen = split or ("all" if file is not None else "test")
    metrics = evaluate_checkpoint(model, split=chosen, overrides=list(overrides), file=file)
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
        return
    click.echo(evaluation_line(metrics))


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (run, evaluate)
