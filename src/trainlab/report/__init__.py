"""Run reports: learning-curve and confusion-matrix figures, and one self-contained HTML page.

Example:
    >>> from trainlab.report import render_run_report, write_run_report
    >>> callable(render_run_report) and callable(write_run_report)
    True
"""

from trainlab.report.html import render_run_report, write_run_report
from trainlab.report.plots import plot_confusion_matrix, plot_learning_curves
from trainlab.report.study import render_study_markdown, render_study_report, write_study_report
from trainlab.report.study_plots import (
    plot_differences,
    plot_gap_bars,
    plot_layer_probes,
    plot_metric_bars,
    plot_variant_curves,
)

__all__ = [
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
