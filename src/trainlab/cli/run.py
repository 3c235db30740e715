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
import textwrap
from typing import TYPE_CHECKING, Any

import click

from trainlab.cli._common import (
    fail,
    lang_option,
    load_recipe,
    out_dir_option,
    quiet_option,
    set_option,
)

if TYPE_CHECKING:  # the workflow (and with it PyTorch) is imported only to run
    from trainlab.workflows.run import RunResult


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
    _print_summary(result)


#: the width of the summary's labels
LABEL = 24
#: the summary's lines are wrapped to this width
WIDTH = 100


def _echo(label: str, value: str, note: str = "") -> None:
    line = f"  {label:<{LABEL}}{value}" + (f"  {note}" if note else "")
    indent = " " * (LABEL + 2)
    wrapped = textwrap.fill(
        line, WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    click.echo(wrapped)


def _running_train_acc(rows: list[dict[str, Any]]) -> tuple[float, int] | None:
    """Member 0's running training accuracy in its last epoch, and that epoch."""
    mine = [r for r in rows if r.get("member", 0) == 0 and r.get("train_acc") is not None]
    return (float(mine[-1]["train_acc"]), int(mine[-1]["epoch"])) if mine else None


def ref_is_test(metrics: dict[str, Any]) -> bool:
    """Whether the run's ``gap`` subtracts the test accuracy (else the validation one)."""
    return metrics.get("gap") is not None and metrics.get("test_acc") is not None


def _print_summary(result: RunResult) -> None:
    """The end-of-run summary: the final weights' accuracies, the running one, the verdict,
    its sentence and any budget warning (the words of the run's report)."""
    m = result.metrics
    for label, key in (("test accuracy", "test_acc"), ("validation accuracy", "val_acc")):
        if m.get(key) is not None:
            _echo(label, f"{m[key]:.4f}")
    if m.get("train_acc") is not None:
        _echo("training accuracy", f"{m['train_acc']:.4f}", "final weights, evaluation mode")
    running = _running_train_acc(result.history.rows)
    if running is not None:
        acc, epoch = running
        note = f"during epoch {epoch}, in training mode (dropout on, weights moving)"
        _echo("running train accuracy", f"{acc:.4f}", note)
    if m.get("gap") is not None:
        ref = "test" if m.get("test_acc") is not None else "validation"
        _echo("generalization gap", f"{m['gap']:.4f}", f"training − {ref} accuracy, final weights")
    if ref_is_test(m) and m.get("train_acc") is not None and m.get("val_acc") is not None:
        gap = m["train_acc"] - m["val_acc"]  # the gap the diagnosis judges overfitting by
        _echo("validation gap", f"{gap:.4f}", "training − validation accuracy, final weights")
    _echo("epochs", str(m.get("epochs_run")))
    _echo("training time", f"{m.get('seconds', 0.0):.1f} s")
    _echo("verdict", str(m.get("verdict")))
    d = result.diagnosis
    if d is not None:
        _echo("diagnosis", d.message)
        for warning in d.warnings:
            _echo("warning", warning)
    if result.transfer:
        from trainlab.workflows.transfer_setup import describe_transfer

        _echo("transfer", describe_transfer(result.transfer))
    _echo("run folder", str(result.folder))
    _echo("report", str(result.folder / "report.html"))


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
