"""The figures of trainlab's reports, one family per module, as PNG files.

Run reports: :func:`plot_learning_curves`, :func:`plot_confusion_matrix` (a
meta-learning run: :func:`plot_meta_curves`) and, for
audio, :func:`plot_spectrograms` (also the audio augmentation preview); for video,
:func:`plot_video_clips` (frames, flow pictures and motion masks as strips; also the
video augmentation preview).
Study reports: :func:`plot_metric_bars`, :func:`plot_differences`,
:func:`plot_gap_bars`, :func:`plot_variant_curves` and
:func:`plot_layer_probes`. The transferability study:
:func:`plot_transferability`.

Example:
    >>> from trainlab.report.figures import plot_learning_curves, plot_metric_bars
    >>> callable(plot_learning_curves) and callable(plot_metric_bars)
    True
"""

from trainlab.report.figures.confusion import plot_confusion_matrix
from trainlab.report.figures.differences import plot_differences
from trainlab.report.figures.gap_bars import plot_gap_bars
from trainlab.report.figures.layer_probes import plot_layer_probes
from trainlab.report.figures.learning_curves import plot_learning_curves
from trainlab.report.figures.meta_curves import plot_meta_curves
from trainlab.report.figures.metric_bars import plot_metric_bars
from trainlab.report.figures.spectrograms import plot_spectrograms
from trainlab.report.figures.transferability import plot_transferability
from trainlab.report.figures.variant_curves import plot_variant_curves
from trainlab.report.figures.video_clips import Clip, plot_video_clips

__all__ = [
    "Clip",
    "plot_confusion_matrix",
    "plot_differences",
    "plot_gap_bars",
    "plot_layer_probes",
    "plot_learning_curves",
    "plot_meta_curves",
    "plot_metric_bars",
    "plot_spectrograms",
    "plot_transferability",
    "plot_variant_curves",
    "plot_video_clips",
]
