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
from pathlib import Path

import click

from trainlab.cli._common import (
    fail,
    lang_option,
    load_recipe,
    out_dir_option,
    quiet_option,
    set_option,
)


@click.command()
@click.argument("recipe", required=False)
@set_option()
@out_dir_option("runs")
@click.option("--name", default=None, help="Run folder name (default: recipe name and time).")
@click.option("--resume", default=None, type=click.Path(), help="Continue an interrupted run.")
@lang_option("The report's language; a resumed run keeps the one it was started with")
@quiet_option
def run(
    recipe: str | None,
    overrides: tuple[str, ...],
    out_dir: str,
    name: str | None,
    resume: str | None,
    lang: str | None,
    quiet: bool,
) -> None:
    """Train and evaluate RECIPE (a YAML file or a built-in name; default: digits-cnn)."""
    if resume is not None and (recipe or overrides):
        fail("--resume continues a run with its saved recipe: give no RECIPE or --set")
    r = load_recipe(recipe, overrides)
    if quiet:
        r = r.override({"train.progress": False})
    from trainlab.workflows.run import RunInterrupted, run_recipe

    if resume is None:
        click.echo(f"trainlab: training {r.name} on {r.data.dataset} ({r.model.name})")
    try:
        result = run_recipe(r, out_dir=out_dir, name=name, resume=resume, lang=lang)  # type: ignore[arg-type]
    except RunInterrupted as exc:
        fail(f"interrupted; continue with: trainlab run --resume {exc.partial}", 130)
    _print_summary(result.metrics, result.folder, result.transfer)


def _print_summary(metrics: dict, folder: Path, transfer: dict | None = None) -> None:
    rows = [
        ("test accuracy", metrics.get("test_acc")),
        ("validation accuracy", metrics.get("val_acc")),
        ("train accuracy", metrics.get("train_acc")),
        ("generalization gap", metrics.get("gap")),
    ]
    for label, value in rows:
        if value is not None:
            click.echo(f"  {label:<22}{value:.4f}")
    click.echo(f"  {'epochs':<22}{metrics.get('epochs_run')}")
    click.echo(f"  {'training time':<22}{metrics.get('seconds', 0.0):.1f} s")
    click.echo(f"  {'verdict':<22}{metrics.get('verdict')}")
    if transfer:
        from trainlab.workflows.transfer_setup import describe_transfer

        click.echo(f"  {'transfer':<22}{describe_transfer(transfer)}")
    click.echo(f"  {'run folder':<22}{folder}")
    click.echo(f"  {'report':<22}{folder / 'report.html'}")


@click.command()
@click.argument("checkpoint", type=click.Path())
@click.option(
    "--split", type=click.Choice(["train", "val", "test"]), default="test", show_default=True
)
@set_option("Override the saved recipe's data settings, e.g. --set data.options.path=x.csv")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(checkpoint: str, split: str, overrides: tuple[str, ...], as_json: bool) -> None:
    """Score a saved model (a run's model.safetensors) on a split of its data."""
    from trainlab.config.recipe import parse_assignments

    parse_assignments(list(overrides))  # a malformed --set fails before PyTorch loads
    from trainlab.workflows.evaluate import evaluate_checkpoint

    metrics = evaluate_checkpoint(checkpoint, split=split, overrides=list(overrides))
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
        return
    click.echo(
        f"{metrics['dataset']} [{split}] n={metrics['n']}  "
        f"accuracy {metrics['acc']:.4f}  loss {metrics['loss']:.4f}"
    )


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (run, evaluate)
