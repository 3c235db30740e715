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
    quiet: bool,
) -> None:
    """Run STUDY (a YAML file or a built-in name; default: lecture): variants × seeds.

    Run the same command again after an interruption: finished trials are kept.
    Without a terminal, a line per finished trial says how far it got.
    """
    spec = _load_spec(study, seeds, overrides)
    from trainlab.workflows.study.runner import run_study

    n = len(spec.trials())
    click.echo(
        f"trainlab: study {spec.name}: {count(len(spec.variants), 'variant')} × "
        f"{count(len(spec.seeds), 'seed')} = {count(n, 'trial')}, {count(workers, 'worker')}"
    )
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
        )
    except KeyboardInterrupt:
        fail("interrupted; finished trials are stored: run the same command again to go on", 130)


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless one: ``count(1, "seed") == "1 seed"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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


def _load_spec(study: str | None, seeds: str | None, overrides: tuple[str, ...]) -> StudySpec:
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
