"""``trainlab study`` and ``trainlab studies``: variants × seeds, and the built-in studies.

The study file, its base recipe, every variant and the ``--set`` / ``--seeds``
overrides are validated before the study runner (and with it PyTorch) is
imported. ``--fresh`` discards the stored trials after saying what it
discards (asking first on a terminal, unless ``--yes``); ``--allow-mixed``
keeps stored trials that ran under other settings (threads, PyTorch, device).

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.study import studies
    >>> "lecture" in CliRunner().invoke(studies).output
    True
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainlab.cli._common import (
    fail,
    lang_option,
    out_dir_option,
    parse_seeds,
    quiet_option,
    set_option,
    workers_option,
)
from trainlab.core.words import count

if TYPE_CHECKING:
    from trainlab.workflows.study.spec import StudySpec


@click.command()
@click.argument("study", required=False)
@out_dir_option("studies", "Where the study folder <out-dir>/<study name> lives.")
@workers_option
@click.option(
    "--executor",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "inline", "processes", "ray"]),
    help="auto: processes when --workers > 1, else inline.",
)
@click.option("--address", default=None, help="Ray cluster address (with --executor ray).")
@click.option("--seeds", default=None, metavar="0,1,2", help="Override the study's seeds.")
@set_option("Override the base recipe for every variant, e.g. --set train.epochs=5.")
@lang_option("The report's language; a finished study's report is rewritten in it, untrained")
@click.option("--fresh", is_flag=True, help="Discard the stored trials and run the study anew.")
@click.option("--yes", "-y", is_flag=True, help="With --fresh: discard without asking.")
@click.option(
    "--allow-mixed",
    is_flag=True,
    help="Keep stored trials run under other settings (threads, PyTorch, device).",
)
@click.option(
    "--adaptive",
    is_flag=True,
    help="Add seeds to the comparisons not clear yet (alpha spending keeps the error rate).",
)
@click.option(
    "--max-seeds",
    default=10,
    show_default=True,
    type=click.IntRange(min=2),
    help="With --adaptive: the most seeds a variant gets.",
)
@click.option(
    "--spending",
    default="obrien-fleming",
    show_default=True,
    type=click.Choice(["obrien-fleming", "pocock"]),
    help="With --adaptive: how the error rate is spent over the looks.",
)
@click.option(
    "--seeds-for",
    "seeds_for",
    default=None,
    type=float,
    metavar="EFFECT",
    help="Do not train: say how many seeds would detect EFFECT (points of accuracy or R², "
    "else the metric's own units, e.g. of RMSE), from the stored results.",
)
@quiet_option
def study(
    study: str | None,
    out_dir: str,
    workers: int,
    executor: str,
    address: str | None,
    seeds: str | None,
    overrides: tuple[str, ...],
    lang: str | None,
    fresh: bool,
    yes: bool,
    allow_mixed: bool,
    adaptive: bool,
    max_seeds: int,
    spending: str,
    seeds_for: float | None,
    quiet: bool,
) -> None:
    """Run STUDY (a YAML file or a built-in name; default: lecture): variants × seeds.

    Run the same command again after an interruption: finished trials are kept.
    Without a terminal, a line per finished trial says how far it got.
    """
    spec = load_spec(study, seeds, overrides)
    if seeds_for is not None:
        _advise(spec, Path(out_dir) / spec.name, seeds_for)
        return
    plan = _adaptive_plan(spec, max_seeds, spending) if adaptive else None
    from trainlab.workflows.study.runner import run_study

    n = len(spec.trials())
    click.echo(
        f"trainlab: study {spec.name}: {count(len(spec.variants), 'variant')} × "
        f"{count(len(spec.seeds), 'seed')} = {count(n, 'trial')}, {count(workers, 'worker')}"
    )
    _hint_workers(spec, workers, executor)
    if fresh:
        _confirm_fresh(spec.name, Path(out_dir) / spec.name, yes)
    try:
        run_study(
            spec,
            out_dir=out_dir,
            workers=workers,
            executor=executor,
            address=address,
            progress=not quiet,
            echo=click.echo,
            lang=lang,  # type: ignore[arg-type]
            fresh=fresh,
            allow_mixed=allow_mixed,
            adaptive=plan,
        )
    except KeyboardInterrupt:
        fail("interrupted; finished trials are stored: run the same command again to go on", 130)


def _hint_workers(spec: StudySpec, workers: int, executor: str) -> None:
    """Say so when one worker leaves most CPUs idle (a trial's threads are fixed)."""
    from trainlab.core.cpus import cpu_count

    cpus, threads = cpu_count(), spec.threads
    if workers == 1 and executor in ("auto", "inline") and cpus >= 2 * threads:
        fit = cpus // threads
        click.echo(
            f"note: 1 worker uses {threads} of {cpus} CPUs; --workers {fit} runs {fit} trials "
            f"at once (each trial keeps {count(threads, 'thread')}: the numbers do not change)"
        )


def _adaptive_plan(spec: StudySpec, max_seeds: int, spending: str):
    from trainlab.workflows.study.adaptive import AdaptivePlan

    return AdaptivePlan(
        max_seeds=max_seeds, spending=spending, alpha=spec.alpha, correction=spec.correction
    )


def _advise(spec: StudySpec, folder: Path, effect: float) -> None:
    """Print the seed advice of ``spec`` from the results stored in ``folder``."""
    from trainlab.report.study_units import in_points
    from trainlab.workflows.study.metric import stored_metric
    from trainlab.workflows.study.seeds_advice import format_advice, seeds_advice
    from trainlab.workflows.study.store import read_trials

    trials = read_trials(folder)
    if not any(t.status == "done" for t in trials):
        fail(
            f"study {spec.name} has no finished trial in {folder}: run it first "
            "(the advice comes from the spread of its results)"
        )
    spec = stored_metric(spec, folder)  # the metric the study chose, without its data
    pct = in_points(str(spec.metric))
    rows = seeds_advice(spec, trials, effect=effect / 100 if pct else effect)
    stated = f"{effect:g} pt" if pct else f"{effect:g}"
    click.echo(format_advice(rows, percent=pct, stated=stated))


def _interactive() -> bool:
    """Whether a person can answer a question (standard input is a terminal)."""
    return sys.stdin.isatty()


def _confirm_fresh(name: str, folder: Path, yes: bool) -> None:
    """Say what ``--fresh`` discards; ask on a terminal unless ``yes``; refuse without one."""
    from trainlab.workflows.study.store import stored_counts

    counts = stored_counts(folder)
    total = sum(counts.values()) if counts else 0
    if counts is None or total == 0:
        return
    unfinished = counts["pending"] + counts["running"]
    what = (
        f"{count(total, 'stored trial')} ({counts['done']} done, {counts['failed']} failed, "
        f"{counts['diverged']} diverged{f', {unfinished} unfinished' if unfinished else ''}) "
        f"of study {name} in {folder}"
    )
    if not yes and not _interactive():
        fail(f"--fresh would discard {what}; add --yes to discard them without a terminal")
    click.echo(f"discarding {what}")
    if not yes and not click.confirm("discard them?"):
        fail("nothing discarded; the stored trials are kept", 1)


def load_spec(study: str | None, seeds: str | None, overrides: tuple[str, ...]) -> StudySpec:
    """The validated study STUDY (default: the built-in default) with ``--seeds`` and ``--set``."""
    from trainlab.config.recipe import parse_assignments
    from trainlab.workflows.study.builtin import DEFAULT_STUDY
    from trainlab.workflows.study.spec import StudySpec

    spec = StudySpec.load(study or DEFAULT_STUDY)
    if seeds is None and not overrides:
        return spec
    data = spec.to_dict()
    if seeds is not None:
        data["seeds"] = parse_seeds(seeds)
    data["base_set"] = {**data.get("base_set", {}), **parse_assignments(list(overrides))}
    data["base"] = spec.base_source
    return StudySpec.from_dict(data, source=spec.source)


@click.command()
def studies() -> None:
    """List the built-in studies."""
    from trainlab.workflows.study.builtin import builtin_studies
    from trainlab.workflows.study.spec import StudySpec

    for name, path in builtin_studies().items():
        spec = StudySpec.load(path)
        variants, seeds = count(len(spec.variants), "variant"), count(len(spec.seeds), "seed")
        click.echo(f"{name:<16}{variants:>12} × {seeds:<8}  {spec.description}")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (study, studies)
