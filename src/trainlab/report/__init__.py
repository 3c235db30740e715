"""Run reports: learning-curve and confusion-matrix figures, and one self-contained HTML page.

Example:
    >>> from trainlab.report import render_run_report, write_run_report
    >>> callable(render_run_report) and callable(write_run_report)
    True
"""

from trainlab.report.html import render_run_report, write_run_report
from trainlab.report.plots import plot_confusion_matrix, plot_learning_curves

__all__ = [
    "plot_confusion_matrix",
    "plot_learning_curves",
    "render_run_report",
    "write_run_report",
]
