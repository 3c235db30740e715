"""Reports: run and study pages (HTML and Markdown), their figures, the terminal summary table.

The names below are imported from their modules on first use (PEP 562), so
that a page that needs no figure (a comparison of two studies, printed by a
command that must answer without PyTorch) can import ``trainlab.report.…``
without loading matplotlib and the figures' dependencies.

Example:
    >>> from trainlab.report import render_run_report, write_run_report, write_study_report
    >>> callable(render_run_report) and callable(write_run_report) and callable(write_study_report)
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainlab.report.figures import (
        plot_confusion_matrix,
        plot_differences,
        plot_gap_bars,
        plot_layer_probes,
        plot_learning_curves,
        plot_metric_bars,
        plot_spectrograms,
        plot_variant_curves,
    )
    from trainlab.report.html import render_run_report, write_run_report
    from trainlab.report.study import (
        render_study_markdown,
        render_study_report,
        write_study_report,
    )
    from trainlab.report.study_results import (
        LastRun,
        LayerStats,
        ProbeRecord,
        RunFacts,
        StudyResults,
        StudyVariant,
        TrialProbes,
        TrialResult,
    )
    from trainlab.report.summary_table import format_table

#: each public name and the module it comes from
_MODULES: dict[str, tuple[str, ...]] = {
    "trainlab.report.figures": (
        "plot_confusion_matrix",
        "plot_differences",
        "plot_gap_bars",
        "plot_layer_probes",
        "plot_learning_curves",
        "plot_metric_bars",
        "plot_spectrograms",
        "plot_variant_curves",
    ),
    "trainlab.report.html": ("render_run_report", "write_run_report"),
    "trainlab.report.study": ("render_study_markdown", "render_study_report", "write_study_report"),
    "trainlab.report.study_results": (
        "LastRun",
        "LayerStats",
        "ProbeRecord",
        "RunFacts",
        "StudyResults",
        "StudyVariant",
        "TrialProbes",
        "TrialResult",
    ),
    "trainlab.report.summary_table": ("format_table",),
}

__all__ = [
    "LastRun",
    "LayerStats",
    "ProbeRecord",
    "RunFacts",
    "StudyResults",
    "StudyVariant",
    "TrialProbes",
    "TrialResult",
    "format_table",
    "plot_confusion_matrix",
    "plot_differences",
    "plot_gap_bars",
    "plot_layer_probes",
    "plot_learning_curves",
    "plot_metric_bars",
    "plot_spectrograms",
    "plot_variant_curves",
    "render_run_report",
    "render_study_markdown",
    "render_study_report",
    "write_run_report",
    "write_study_report",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    for module, names in _MODULES.items():
        if name in names:
            return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
