"""The ``trainlab`` command line: a thin shell over the Python API.

Every user mistake ends in one line on standard error and exit status 2.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli import cli
    >>> "digits" in CliRunner().invoke(cli, ["datasets"]).output
    True
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from trainlab.core.errors import TrainlabError

_SET_HELP = "Override a recipe value, e.g. --set model.dropout=0.3 (repeatable)."


def _set_option(text: str = _SET_HELP):
    """``--set KEY=VALUE`` (repeatable), collected as ``overrides``."""
    return click.option("--set", "-s", "overrides", multiple=True, metavar="KEY=VALUE", help=text)


def _out_dir_option(default: str, text: str | None = None):
    """``--out-dir`` with ``default``."""
    return click.option(
        "--out-dir", default=default, show_default=True, type=click.Path(file_okay=False), help=text
    )


_quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
_workers_option = click.option(
    "--workers",
    "-w",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Trials run at once (local processes, each with its share of threads).",
)


def _fail(message: str, status: int = 2) -> None:
    click.echo(f"trainlab: error: {message}", err=True)
    sys.exit(status)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trainlab")
def cli() -> None:
    """Training strategies for deep learning, side by side, with evidence."""


@cli.command()
@click.argument("recipe", required=False)
@_set_option()
@_out_dir_option("runs")
@click.option("--name", default=None, help="Run folder name (default: recipe name and time).")
@click.option("--resume", default=None, type=click.Path(), help="Continue an interrupted run.")
@_quiet_option
def run(
    recipe: str | None,
    overrides: tuple[str, ...],
    out_dir: str,
    name: str | None,
    resume: str | None,
    quiet: bool,
) -> None:
    """Train and evaluate RECIPE (a YAML file or a built-in name; default: digits-cnn)."""
    from trainlab.config.recipe import Recipe
    from trainlab.config.recipes import DEFAULT_RECIPE
    from trainlab.workflows.run import RunInterrupted, run_recipe

    if resume is not None and (recipe or overrides):
        _fail("--resume continues a run with its saved recipe: give no RECIPE or --set")
    r = Recipe.load(recipe or DEFAULT_RECIPE).override(list(overrides))
    if quiet:
        r = r.override({"train.progress": False})
    if resume is None:
        click.echo(f"trainlab: training {r.name} on {r.data.dataset} ({r.model.name})")
    try:
        result = run_recipe(r, out_dir=out_dir, name=name, resume=resume)
    except RunInterrupted as exc:
        _fail(f"interrupted; continue with: trainlab run --resume {exc.partial}", 130)
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


@cli.command()
@click.argument("checkpoint", type=click.Path())
@click.option(
    "--split", type=click.Choice(["train", "val", "test"]), default="test", show_default=True
)
@_set_option("Override the saved recipe's data settings, e.g. --set data.options.path=x.csv")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(checkpoint: str, split: str, overrides: tuple[str, ...], as_json: bool) -> None:
    """Score a saved model (a run's model.safetensors) on a split of its data."""
    from trainlab.workflows.evaluate import evaluate_checkpoint

    metrics = evaluate_checkpoint(checkpoint, split=split, overrides=list(overrides))
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
        return
    click.echo(
        f"{metrics['dataset']} [{split}] n={metrics['n']}  "
        f"accuracy {metrics['acc']:.4f}  loss {metrics['loss']:.4f}"
    )


@cli.command()
@click.argument("study", required=False)
@_out_dir_option("studies", "Where the study folder <out-dir>/<study name> lives.")
@_workers_option
@click.option(
    "--executor",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "inline", "processes", "ray"]),
    help="auto: processes when --workers > 1, else inline.",
)
@click.option("--address", default=None, help="Ray cluster address (with --executor ray).")
@click.option("--seeds", default=None, metavar="0,1,2", help="Override the study's seeds.")
@_set_option("Override the base recipe for every variant, e.g. --set train.epochs=5.")
@_quiet_option
def study(
    study: str | None,
    out_dir: str,
    workers: int,
    executor: str,
    address: str | None,
    seeds: str | None,
    overrides: tuple[str, ...],
    quiet: bool,
) -> None:
    """Run STUDY (a YAML file or a built-in name; default: lecture): variants × seeds.

    Run the same command again after an interruption: finished trials are kept.
    """
    from trainlab.config.recipe import parse_assignments
    from trainlab.workflows.study.builtin import DEFAULT_STUDY
    from trainlab.workflows.study.runner import run_study
    from trainlab.workflows.study.spec import StudySpec

    spec = StudySpec.load(study or DEFAULT_STUDY)
    if seeds is not None or overrides:
        data = spec.to_dict()
        if seeds is not None:
            data["seeds"] = _parse_seeds(seeds)
        data["base_set"] = {**data.get("base_set", {}), **parse_assignments(list(overrides))}
        data["base"] = spec.base_source
        spec = StudySpec.from_dict(data, source=spec.source)
    n = len(spec.trials())
    click.echo(
        f"trainlab: study {spec.name}: {len(spec.variants)} variants × {len(spec.seeds)} seeds "
        f"= {n} trials, {workers} worker{'s' if workers > 1 else ''}"
    )
    try:
        run_study(
            spec,
            out_dir=out_dir,
            workers=workers,
            executor=executor,
            address=address,
            progress=not quiet,
            echo=click.echo,
        )
    except KeyboardInterrupt:
        _fail("interrupted; finished trials are stored: run the same command again to go on", 130)


def _parse_seeds(text: str) -> list[int]:
    from trainlab.core.errors import ConfigError

    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ConfigError(f"--seeds {text!r}: expected integers separated by commas") from None


def _parse_list(text: str | None, what: str, *, integers: bool = False) -> list | None:
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


@cli.command("transfer-study")
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
@_out_dir_option("studies")
@_workers_option
@_set_option()
@_quiet_option
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
    from trainlab.workflows.transfer_study import TransferStudy, run_transfer_study

    recipe = recipe or "digits-cnn"
    study = TransferStudy(
        recipe=recipe,
        task_a=_parse_list(task_a, "--task-a"),
        task_b=_parse_list(task_b, "--task-b"),
        seeds=_parse_seeds(seeds),
        epochs=epochs,
        depths=_parse_list(depths, "--depths", integers=True),
        arms=_parse_list(arms, "--arms") or [],
        overrides=parse_assignments(list(overrides)),
        name=name or f"transfer-{Path(recipe).stem}",
    )
    try:
        run_transfer_study(
            study, out_dir=out_dir, workers=workers, progress=not quiet, echo=click.echo
        )
    except KeyboardInterrupt:
        _fail("interrupted; finished trials are stored: run the same command again to go on", 130)


@cli.command("import-model")
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


@cli.command()
def studies() -> None:
    """List the built-in studies."""
    from trainlab.workflows.study.builtin import builtin_studies
    from trainlab.workflows.study.spec import StudySpec

    for name, path in builtin_studies().items():
        spec = StudySpec.load(path)
        click.echo(
            f"{name:<16}{len(spec.variants):>3} variants × {len(spec.seeds)} seeds  "
            f"{spec.description}"
        )


@cli.command("augment-preview")
@click.argument("recipe", required=False)
@_set_option()
@click.option("--rows", default=4, show_default=True, type=click.IntRange(1, 32))
@click.option("--draws", default=6, show_default=True, type=click.IntRange(1, 32))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--out", default="augment-preview.png", show_default=True, type=click.Path())
def augment_preview_cmd(
    recipe: str | None, overrides: tuple[str, ...], rows: int, draws: int, seed: int, out: str
) -> None:
    """Write a PNG grid of RECIPE's augmentations: originals and random draws."""
    from trainlab.config.recipe import Recipe
    from trainlab.config.recipes import DEFAULT_RECIPE
    from trainlab.workflows.preview import augment_preview

    r = Recipe.load(recipe or DEFAULT_RECIPE).override(list(overrides))
    path = augment_preview(r, out, rows=rows, draws=draws, seed=seed)
    click.echo(f"trainlab: wrote {path}")


@cli.command()
def datasets() -> None:
    """List the data sets."""
    from trainlab.data.datasets import dataset_descriptions

    for name, text in dataset_descriptions().items():
        click.echo(f"{name:<16}{text}")


@cli.command()
def recipes() -> None:
    """List the built-in recipes."""
    import yaml

    from trainlab.config.recipes import builtin_recipes

    for name, path in builtin_recipes().items():
        first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        click.echo(f"{name:<20}{data['data']['dataset']:<15}{first}")


@cli.command()
@click.argument("recipe", required=False)
@_set_option()
def show(recipe: str | None, overrides: tuple[str, ...]) -> None:
    """Print RECIPE fully resolved (every default filled in), with overrides applied."""
    from trainlab.config.recipe import Recipe
    from trainlab.config.recipes import DEFAULT_RECIPE

    click.echo(Recipe.load(recipe or DEFAULT_RECIPE).override(list(overrides)).to_yaml(), nl=False)


@cli.command()
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


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one line each, without source locations."""
    text = str(message).replace("\n", " ")
    click.echo(f"trainlab: warning: {text}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the command, turning user errors into one line and exit 2."""
    import warnings

    warnings.showwarning = _show_warning
    try:
        cli.main(args=argv, prog_name="trainlab", standalone_mode=False)
    except click.UsageError as exc:
        _fail(exc.format_message().strip().replace("\n", " "))
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except TrainlabError as exc:
        _fail(str(exc).replace("\n", " "))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except OSError as exc:
        if getattr(exc, "filename", None):
            _fail(f"{exc.filename}: {exc.strerror}")
        raise


if __name__ == "__main__":
    main()
