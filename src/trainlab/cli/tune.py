"""``trainlab tune``: which dropout rate, which L2 λ: Optuna over recipe keys, then verified.

The search space and the recipe are checked before PyTorch or Optuna load.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.tune import tune
    >>> result = CliRunner().invoke(tune, ["wine-mlp", "--param", "model.dropout=float:0.5:0.1"])
    >>> type(result.exception).__name__
    'ConfigError'
"""

from __future__ import annotations

import click

from trainlab.cli._common import load_recipe, out_dir_option, parse_seeds, quiet_option, set_option
from trainlab.cli._summary import echo_row


@click.command()
@click.argument("recipe", required=False)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=KIND:…",
    help="A recipe key and its range: model.dropout=float:0:0.5, regularization.l2=log:1e-5:1e-2, "
    "model.convs_per_stage=int:1:3, optimizer.name=choice:adam,sgd (repeatable).",
)
@set_option()
@click.option("--trials", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--metric", default="val_acc", show_default=True, help="A validation metric.")
@click.option("--name", default=None, help="The tuning's folder (default: RECIPE-tune).")
@out_dir_option("tunes")
@click.option(
    "--verify-seeds",
    default="0,1,2",
    show_default=True,
    help="Seeds of the study that checks the best values against the recipe ('' to skip).",
)
@click.option(
    "--workers", "-w", default=1, type=click.IntRange(min=1), help="Verification trials at once."
)
@quiet_option
def tune(
    recipe: str | None,
    params: tuple[str, ...],
    overrides: tuple[str, ...],
    trials: int,
    metric: str,
    name: str | None,
    out_dir: str,
    verify_seeds: str,
    workers: int,
    quiet: bool,
) -> None:
    """Tune recipe keys with Optuna (TPE, median pruning; resumable), then verify over seeds.

    Run it again with the same arguments to continue a tuning that was stopped,
    or with a larger --trials to add trials.
    """
    from trainlab.workflows.tune.space import parse_param, shown_params

    space = [parse_param(p) for p in params]
    seeds = parse_seeds(verify_seeds)
    r = load_recipe(recipe, overrides)
    from trainlab.workflows.tune.runner import run_tune, verify

    result = run_tune(
        r, space, trials=trials, metric=metric, out_dir=out_dir, name=name, progress=not quiet
    )
    echo_row("best", shown_params(result.best), f"{metric} {result.best_value:.4f}")
    echo_row("trials", f"{result.completed} finished, {result.pruned} pruned")
    echo_row("tuning folder", str(result.folder))
    if seeds:
        study = verify(result, metric, seeds, workers=workers, progress=not quiet)
        echo_row("verification", str(study.folder / "report.html"))


COMMANDS = [tune]
