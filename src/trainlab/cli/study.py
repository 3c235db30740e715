"""``trainlab study`` and ``trainlab studies``: variants × seeds, and the built-in studies.

The study file, its base recipe, every variant and the ``--set`` / ``--seeds``
overrides are validated before the study runner (and with it PyTorch) is
imported.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.study import studies
    >>> "lecture" in CliRunner().invoke(studies).output
    True
"""

from __future__ import annotations

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
    quiet: bool,
) -> None:
    """Run STUDY (a YAML file or a built-in name; default: lecture): variants × seeds.

    Run the same command again after an interruption: finished trials are kept.
    """
    spec = _load_spec(study, seeds, overrides)
    from trainlab.workflows.study.runner import run_study

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
            lang=lang,  # type: ignore[arg-type]
        )
    except KeyboardInterrupt:
        fail("interrupted; finished trials are stored: run the same command again to go on", 130)


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
        click.echo(
            f"{name:<16}{len(spec.variants):>3} variants × {len(spec.seeds)} seeds  "
            f"{spec.description}"
        )


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (study, studies)
