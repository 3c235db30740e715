"""The catalogue as a Markdown page: ``docs/lecture.md``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from trainlab.config.catalogue._row import SECTIONS, Row
from trainlab.config.catalogue.rows import ROWS
from trainlab.core.atomic import write_text_atomic

_MD_COLUMNS = ("lecture (es)", "English", "switch it on", "code", "paper", "study", "status")
_REGENERATE = "python -m trainlab.config.catalogue docs/lecture.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _codes(items: Sequence[str]) -> str:
    return "<br>".join(f"`{item}`" for item in items) or "—"


def _md_row(row: Row) -> str:
    mark = "" if row.lecture else " †"
    paper = f"{row.paper.authors} ({row.paper.year}), *{row.paper.title}*" if row.paper else "—"
    study = f"`{row.study}`" + (f" (`{row.variant}`)" if row.variant else "") if row.study else "—"
    status = f"planned: {row.missing}" if row.status == "planned" else "built"
    setting = [*(row.sets or row.keys), *([row.command] if row.command else [])]
    term = f"{row.spanish}{mark}<br>*{row.topic}*"
    cells = (term, row.english, _codes(setting), _codes(row.symbols), paper, study, status)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render_markdown(rows: Sequence[Row] = ROWS) -> str:
    """The catalogue as a Markdown page (``docs/lecture.md``), one table per lecture section.

    Example:
        >>> from trainlab.config.catalogue import render_markdown
        >>> page = render_markdown()
        >>> page.startswith("# "), "| paro temprano<br>*Paro temprano* | early stopping |" in page
        (True, True)
    """
    built = sum(row.status == "built" for row in rows)
    lines = [
        "# The lecture's strategies, in Spanish and English",
        "",
        f"<!-- generated from src/trainlab/config/catalogue/ by `{_REGENERATE}`;"
        " edit the table there, not this page -->",
        "",
        "Every strategy of the lecture *Estrategias de entrenamiento* (Berenice y Ricardo",
        "Montalvo Lezama, UNAM, 2021) under the lecture's own Spanish term, with its English",
        "name, the `--set` that switches it on, the code, the paper and the built-in study that",
        "shows it. `trainlab strategies` prints this table; `trainlab strategies WORD` finds a",
        "strategy by any of its names, in either language, with or without accents. † marks a",
        "strategy built beyond the lecture (its Spanish name is ours).",
        "",
        f"{len(rows)} strategies: {built} built, {len(rows) - built} planned.",
    ]
    for part in SECTIONS:
        mine = [row for row in rows if row.section == part.key]
        if mine:
            lines += ["", f"## {part.spanish} — {part.english}", ""]
            lines += ["| " + " | ".join(_MD_COLUMNS) + " |", "|---" * len(_MD_COLUMNS) + "|"]
            lines += [_md_row(row) for row in mine]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m trainlab.config.catalogue [OUT]``: write the Markdown page (atomically)."""
    parser = argparse.ArgumentParser(
        prog="python -m trainlab.config.catalogue", description="Write the strategy catalogue."
    )
    parser.add_argument("out", nargs="?", default="docs/lecture.md", help="the Markdown file")
    path = write_text_atomic(parser.parse_args(argv).out, render_markdown())
    print(f"wrote {path} ({len(ROWS)} strategies)")
