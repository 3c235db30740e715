"""Reports: run and study pages (HTML and Markdown), their figures, the terminal summary table.

Example:
    >>> from trainlab.report import render_run_report, write_run_report, write_study_report
    >>> callable(render_run_report) and callable(write_run_report) and callable(write_study_report)
    True
"""

from trainlab.report.figures import (
    plot_confusion_matrix,
    plot_differences,
    plot_gap_bars,
    plot_layer_probes,
    plot_learning_curves,
    plot_metric_bars,
    plot_variant_curves,
)
from trainlab.report.html import render_run_report, write_run_report
from trainlab.report.study import render_study_markdown, render_study_report, write_study_report
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
    "plot_variant_curves",
    "render_run_report",
    "render_study_markdown",
    "render_study_report",
    "write_run_report",
    "write_study_report",
]
