"""``trainlab compare A B``: two study folders side by side, with differences and intervals.

The folders are only read (never written, locked or migrated), so a study can
be compared while it runs, and a folder copied from another machine stays as
it came. The command imports neither PyTorch nor the figures.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.compare import compare
    >>> "Compare two study folders" in CliRunner().invoke(compare, ["--help"]).output
    True
"""

from __future__ import annotations

import click

#: the output formats (as :data:`trainlab.report.study_compare.FORMATS`; kept here so that
#: parsing the options imports nothing; a test checks that the two agree)
FORMAT_CHOICES = ("text", "markdown", "json")


@click.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option(
    "--format", "fmt", default="text", show_default=True, type=click.Choice(FORMAT_CHOICES)
)
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the comparison to FILE (atomically) instead of standard output.",
)
@click.option(
    "--correction",
    default="holm",
    show_default=True,
    help="Multiple-comparison correction across the variants: holm, bh, bonferroni or none.",
)
@click.option(
    "--confidence",
    default=0.95,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Level of every interval; verdicts test the adjusted p-values at 1 − confidence.",
)
def compare(a: str, b: str, fmt: str, out: str | None, correction: str, confidence: float) -> None:
    """Compare two study folders A and B (e.g. studies/lecture from two machines).

    For every variant both have: A's mean [interval], B's, and B − A, paired by
    seed over the seeds both finished (Welch's unpaired interval when they share
    fewer than two), with raw and adjusted p-values and a verdict; then the
    variants only one has and what their definitions and runs do not share.
    """
    from trainlab.workflows.compare import compare_studies, read_study

    study_a, study_b = read_study(a), read_study(b)
    from trainlab.report.study_compare import render_comparison

    result = compare_studies(study_a, study_b, confidence=confidence, correction=correction)
    text = render_comparison(result, fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    from trainlab.core.atomic import write_text_atomic

    write_text_atomic(out, text)
    click.echo(f"comparison  {out}")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (compare,)
