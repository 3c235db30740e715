"""The transferability study's report: HTML page, Markdown summary and JSON numbers.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.transferability import analyze
    >>> from trainlab.report.transfer import write_transfer_report
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a + s / 100},
    ...             history=[]) for s in (0, 1, 2)
    ...           for v, a in (("baseB", 0.9), ("AnB1", 0.88), ("AnB+1", 0.93))]
    >>> html = write_transfer_report(Path(tempfile.mkdtemp()), analyze(trials), title="demo")
    >>> "AnB+ beats baseB" in html.read_text(encoding="utf-8")
    True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import trainlab
from trainlab.core.atomic import write_text_atomic
from trainlab.report.figures.transferability import plot_transferability
from trainlab.report.format import DASH, p_plain, percent_interval, plain_interval, points_interval
from trainlab.report.pages import data_uri, html_environment
from trainlab.stats.compare import Interval, PairedDiff
from trainlab.stats.transferability import TransferAnalysis

METHOD = (
    "Yosinski et al. (2014), at small scale. The classes are split into tasks A and B; baseA "
    "and baseB train from scratch for E epochs. For each n, the first n stages of a base "
    "model are copied, the rest re-initialized and trained on B for E epochs: BnB and AnB "
    "keep the copied stages frozen, BnB+ and AnB+ fine-tune them. A fine-tuned copy has had "
    "2E epochs in all, so baseB-2x (2E epochs from scratch) and BnB+ are its budget controls."
)


def _pct(ci: Interval) -> str:
    return percent_interval(ci.mean, ci.lo, ci.hi)


def _times(ci: Interval, unit: str = "") -> str:
    return plain_interval(ci.mean, ci.lo, ci.hi, unit)


def _diff(d: PairedDiff) -> str:
    return points_interval(d.mean, d.lo, d.hi)


def report_context(a: TransferAnalysis) -> dict[str, Any]:
    """The numbers of the report as strings, shared by the HTML and Markdown versions."""
    arm_rows = [
        {
            "n": n,
            "cells": [_pct(a.points[arm][n]) if n in a.points[arm] else DASH for arm in a.arms],
        }
        for n in a.depths
    ]
    bases = "; ".join(f"{k} {_pct(v)}" for k, v in a.bases.items())
    comparisons = [
        {
            "variant": c.variant,
            "reference": c.reference,
            "diff": _diff(c.diff),
            "p": p_plain(c.diff.p),
            "effect": c.effect,
        }
        for c in a.comparisons
    ]
    epochs = [
        {
            "variant": e.variant,
            "ratio": _times(e.ratio, "×"),
            "epochs": _times(e.epochs),
            "scratch": _times(e.scratch),
            "reached": f"{e.reached} of {e.seeds}",
        }
        for e in a.epochs
    ]
    return {
        "arms": a.arms,
        "arm_rows": arm_rows,
        "bases_line": f"Base models: {bases}." if bases else "",
        "comparisons": comparisons,
        "epochs": epochs,
        "conclusions": a.conclusions,
    }


def _markdown(title: str, subtitle: str, ctx: dict[str, Any]) -> str:
    lines = [f"# {title}", "", subtitle, "", "## Findings", ""]
    lines += [f"- {c}" for c in ctx["conclusions"]] or ["- not enough finished trials"]
    lines += [
        "",
        "## Arms (mean and 95% interval)",
        "",
        "| n | " + " | ".join(ctx["arms"]) + " |",
        "|---" * (len(ctx["arms"]) + 1) + "|",
    ]
    lines += [f"| {r['n']} | " + " | ".join(r["cells"]) + " |" for r in ctx["arm_rows"]]
    lines += [
        "",
        ctx["bases_line"],
        "",
        "## Paired comparisons (points)",
        "",
        "| arm | against | difference | p | reading |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {c['variant']} | {c['reference']} | {c['diff']} | {c['p']} | {c['effect']} |"
        for c in ctx["comparisons"]
    ]
    if ctx["epochs"]:
        lines += [
            "",
            "## Epochs to reach baseB's final validation accuracy",
            "",
            "| arm | ratio to baseB | epochs | baseB's epochs | reached |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {e['variant']} | {e['ratio']} | {e['epochs']} | {e['scratch']} | {e['reached']} |"
            for e in ctx["epochs"]
        ]
    return "\n".join(lines) + "\n"


def write_transfer_report(
    folder: Path, analysis: TransferAnalysis, *, title: str, subtitle: str = "", footer: str = ""
) -> Path:
    """Write ``transferability.png``, ``transfer.html``, ``transfer.md`` and ``transfer.json``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figure = None
    if analysis.depths:
        png = plot_transferability(analysis, folder / "transferability.png", title=title)
        figure = data_uri(png)
    ctx = report_context(analysis)
    html = (
        html_environment()
        .get_template("transfer.html")
        .render(
            title=title,
            subtitle=subtitle,
            method=METHOD,
            figure=figure,
            footer=footer,
            version=trainlab.__version__,
            **ctx,
        )
    )
    write_text_atomic(folder / "transfer.html", html)
    write_text_atomic(folder / "transfer.md", _markdown(title, subtitle, ctx))
    numbers = {
        "metric": analysis.metric,
        "points": {
            a: {str(n): ci.to_dict() for n, ci in p.items()} for a, p in analysis.points.items()
        },
        "bases": {k: v.to_dict() for k, v in analysis.bases.items()},
        "comparisons": [
            {"variant": c.variant, "reference": c.reference, **c.diff.to_dict()}
            for c in analysis.comparisons
        ],
        "epochs_to_accuracy": [
            {
                "variant": e.variant,
                "ratio": e.ratio.to_dict(),
                "reached": e.reached,
                "seeds": e.seeds,
            }
            for e in analysis.epochs
        ],
        "conclusions": analysis.conclusions,
    }
    write_text_atomic(folder / "transfer.json", json.dumps(numbers, indent=2, default=str) + "\n")
    return folder / "transfer.html"
