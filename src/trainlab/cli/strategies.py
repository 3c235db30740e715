"""``trainlab strategies [WORD]``: the lecture's strategies, found in Spanish or English.

Without WORD, the whole catalogue (:mod:`trainlab.config.catalogue`) grouped by
the lecture's sections, one line per strategy; with WORD, every row that
matches it (any term or synonym, in either language, with or without accents:
"paro temprano", "desercion", "He") in full: the lecture's slide, the recipe
keys and a ``trainlab run --set …`` that switches it on, the code, the paper
and the built-in study. Nothing here imports torch, so the answer is instant.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.strategies import strategies_command
    >>> out = CliRunner().invoke(strategies_command(), ["desercion"]).output
    >>> "trainlab run --set model.dropout=0.5" in out
    True
"""

from __future__ import annotations

import shlex
import textwrap
from collections.abc import Sequence

import click

from trainlab.config.catalogue import ROWS, SECTIONS, Row, find, section
from trainlab.core.errors import ConfigError

#: width the long lines of a row's details wrap at
WIDTH = 92
_LABEL = 10


def format_table(rows: Sequence[Row] = ROWS) -> str:
    """One line per row (status, Spanish — English), grouped by the lecture's sections.

    Example:
        >>> for line in format_table().splitlines()[:2]:
        ...     print(line)
        Preprocesamiento de datos — Data preprocessing
          built    estandarización — standardization
    """
    blocks = []
    for part in SECTIONS:
        mine = [f"  {row.status:<8} {_term(row)}" for row in rows if row.section == part.key]
        if mine:
            blocks.append("\n".join([f"{part.spanish} — {part.english}", *mine]))
    built = sum(row.status == "built" for row in rows)
    blocks.append(
        f"{len(rows)} strategies: {built} built, {len(rows) - built} planned; "
        "† built beyond the lecture (the Spanish name is ours).\n"
        "trainlab strategies WORD: every strategy matching WORD, in Spanish or English, in full."
    )
    return "\n\n".join(blocks)


def format_details(rows: Sequence[Row]) -> str:
    """Every detail of each row, one block per row.

    Example:
        >>> from trainlab.config.catalogue import find
        >>> details = format_details(find("l2")[:1]).splitlines()
        >>> print(details[0])
        penalización con norma ℓ2 — L2 penalty
        >>> print(next(line for line in details if "try" in line))
          try       trainlab run --set regularization.l2=0.001
    """
    return "\n\n".join(_details(row) for row in rows)


def _term(row: Row) -> str:
    return f"{row.spanish}{'' if row.lecture else ' †'} — {row.english}"


def _details(row: Row) -> str:
    where = f"{section(row.section).spanish} › {row.topic}"
    run = " ".join(f"--set {shlex.quote(s)}" for s in row.sets)
    study = f"trainlab study {row.study}" if row.study else ""
    fields = (
        ("lecture", where + ("" if row.lecture else " (built beyond the lecture)")),
        ("status", f"planned: {row.missing}" if row.status == "planned" else "built"),
        ("also", ", ".join(row.words)),
        ("recipe", ", ".join(row.keys)),
        ("try", f"trainlab run {run}" if run else ""),
        ("command", row.command or ""),
        ("code", "\n".join(row.symbols)),
        ("paper", str(row.paper or "")),
        ("study", study + (f" (variant {row.variant})" if row.variant else "")),
    )
    lines = [_term(row)]
    for label, text in fields:
        for i, part in enumerate(text.splitlines()):
            head = f"  {label if i == 0 else '':<{_LABEL}}"
            lines.append(
                textwrap.fill(part, WIDTH, initial_indent=head, subsequent_indent=" " * len(head))
            )
    return "\n".join(lines)


def strategies_command() -> click.Command:
    """The ``strategies`` command, for a command group to add (``group.add_command``)."""

    @click.command("strategies")
    @click.argument("word", nargs=-1)
    def strategies(word: tuple[str, ...]) -> None:
        """The lecture's strategies; with WORD, those that match it (Spanish or English) in full.

        WORD may be several words (paro temprano) and needs no accents (desercion).
        """
        if not word:
            click.echo(format_table())
            return
        text = " ".join(word)
        rows = find(text)
        if not rows:
            raise ConfigError(
                f"no strategy matches {text!r}; expected a term in Spanish or English, "
                "e.g. 'paro temprano' or 'dropout' (trainlab strategies lists them all)"
            )
        click.echo(f"{len(rows)} strateg{'y' if len(rows) == 1 else 'ies'} matching {text!r}:\n")
        click.echo(format_details(rows))

    return strategies


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (strategies_command(),)
