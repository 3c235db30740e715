"""The study report: which training strategies helped, with evidence, as HTML and Markdown.

A study trains named variants of one recipe (baseline, dropout, L2, an
initialization scheme, …) over the same seeds; its typed results
(:class:`~trainlab.report.study_results.StudyResults`: per variant the mean
and 95% confidence interval of the metric, and the paired difference from its
reference with its interval and its p-value, alone and adjusted for the
study's comparisons) become a report a student can read without statistics:
for each variant one honest sentence in plain words
(:mod:`trainlab.report.study_sentences`; a variant that diverged says where),
the smallest effects the seeds could detect, the table, the figures of
:mod:`trainlab.report.figures`, the learning-curve verdicts and the
layer-probe findings per variant, the trials that failed with an error (apart:
they are no result), and the study definition, so the page alone is enough to
discuss and to rerun the study.

Both pages are rendered from one context (:func:`~trainlab.report.study_context.study_page`):
the HTML page is self-contained like the run report (figures as base64
``data:`` URIs, inline CSS, no JavaScript, Jinja2 with autoescaping); the
Markdown twin says the same and links the figure files by relative path.

Example:
    >>> import tempfile
    >>> from types import SimpleNamespace as T
    >>> from trainlab.report.study_results import StudyResults, StudyVariant
    >>> from trainlab.stats.compare import summarize
    >>> rows = summarize([T(variant="<b>", seed=s, status="done", metrics={"test_acc": 0.9})
    ...                   for s in (0, 1)], baseline="<b>")
    >>> study = StudyResults(name="demo", title="demo", base="", dataset="", metric="test_acc",
    ...     higher_is_better=True, baseline="<b>", seeds=(0, 1),
    ...     variants=(StudyVariant("<b>"),), summaries=tuple(rows))
    >>> html, md = write_study_report(Path(tempfile.mkdtemp()), study)
    >>> page = html.read_text(encoding="utf-8")
    >>> "&lt;b&gt;" in page and "<b>" not in page, (md.parent / "figures" / "metric.png").is_file()
    (True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

from trainlab.core.atomic import write_text_atomic
from trainlab.engine.diagnose.messages import Lang
from trainlab.report.figures.differences import plot_differences
from trainlab.report.figures.gap_bars import plot_gap_bars
from trainlab.report.figures.layer_probes import plot_layer_probes
from trainlab.report.figures.metric_bars import plot_metric_bars
from trainlab.report.figures.variant_curves import plot_variant_curves
from trainlab.report.format import number
from trainlab.report.pages import html_environment, markdown_environment
from trainlab.report.study_context import study_page
from trainlab.report.study_results import StudyResults, gap_scale, references, seed_points
from trainlab.report.study_sentences import describe_effect, describe_gap

__all__ = [
    "curve_keys",
    "describe_effect",
    "describe_gap",
    "make_study_figures",
    "render_study_markdown",
    "render_study_report",
    "write_study_report",
]


def render_study_report(
    study: StudyResults,
    figures: Mapping[str, Path],
    *,
    generated: datetime | None = None,
    lang: Lang = "en",
) -> str:
    """Render the study report as one self-contained HTML5 page.

    Sections: the headline (what was compared, on what data, with how many
    seeds, the wall time of the last run; with several comparisons, which
    variants against which reference), "What helped" in plain words, per
    comparison (helped, hurt, no clear effect, diverged), with a note on what
    these seeds can show (the correction for the study's comparisons, the
    detectable effects) and an adaptive study's looks, the variants table, the
    figures, the learning-curve verdicts per variant (the most common one, with
    an example message and its remedies), the layer-probe findings per variant
    (with how many seeds showed each), the trials that failed with an error, the
    study definition as YAML, and a footer with where it ran. NaN numbers show
    as "—".

    Args:
        study: the study's typed results.
        figures: image files by key (see :func:`make_study_figures`); other keys go
            under "Figures" with the key as title. Embedded as ``data:`` URIs; a
            missing file is reported in the page instead.
        generated: the time printed in the footer (default: now, UTC).

    Returns:
        The HTML text.

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.report.study_results import StudyResults, StudyVariant
        >>> from trainlab.stats.compare import summarize
        >>> rows = summarize([T(variant="base", seed=0, status="done", metrics={"test_acc": 0.9})],
        ...                  baseline="base")
        >>> study = StudyResults(name="demo", title="demo", base="", dataset="",
        ...     metric="test_acc", higher_is_better=True, baseline="base", seeds=(0,),
        ...     variants=(StudyVariant("base"),), summaries=tuple(rows))
        >>> page = render_study_report(study, {"metric": Path("missing.png")})
        >>> page.startswith("<!DOCTYPE html>"), "Figure not found: missing.png" in page
        (True, True)
    """
    page = study_page(study, figures, generated=generated, lang=lang)
    return html_environment().get_template("study.html").render(page.as_context())


def render_study_markdown(
    study: StudyResults,
    figures: Mapping[str, Path],
    *,
    base: Path | None = None,
    generated: datetime | None = None,
    lang: Lang = "en",
) -> str:
    """Render the study report as Markdown (CommonMark with GitHub tables).

    The same content as :func:`render_study_report`; figures are linked, not
    embedded: by their path relative to ``base`` (the folder the Markdown file
    will be in), else by their path as given when it is relative, else by file
    name. Names and messages are escaped, so a variant called ``<script>``
    shows as text.

    Args:
        study: the study's typed results.
        figures: image files by key.
        base: the folder that figure links are relative to.
        generated: the time printed at the end (default: now, UTC).

    Returns:
        The Markdown text.

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.report.study_results import StudyResults, StudyVariant
        >>> from trainlab.stats.compare import summarize
        >>> rows = summarize([T(variant="base", seed=s, status="done", metrics={"test_acc": 0.9})
        ...                   for s in (0, 1, 2)], baseline="base")
        >>> study = StudyResults(name="demo", title="demo", base="", dataset="",
        ...     metric="test_acc", higher_is_better=True, baseline="base", seeds=(0, 1, 2),
        ...     variants=(StudyVariant("base"),), summaries=tuple(rows))
        >>> md = render_study_markdown(study, {"metric": Path("figures/metric.png")})
        >>> "](<figures/metric.png>)" in md and "90.0%" in md
        True
    """
    page = study_page(study, figures, base=base, generated=generated, lang=lang)
    return markdown_environment().get_template("study.md").render(page.as_context())


def make_study_figures(folder: Path, study: StudyResults) -> dict[str, Path]:
    """Draw every study figure as a PNG in ``folder``; returns them by key.

    Always the metric bars (``metric.png``), the differences
    (``differences.png``) and the gap (``gap.png``); the validation curves of the
    loss, of the task's primary metric and of the compared metric
    (``curves_val_loss.png``, ``curves_val_acc.png`` for a classification,
    ``curves_val_rmse.png`` for a regression) when some finished trial recorded
    them; the layer probes (``probes.png``) when some trial has probes. Each variant
    is drawn against its own reference, so a study with several comparisons reads
    as such.

    Args:
        folder: where to write (created).
        study: the study's typed results.

    Returns:
        Figure key → PNG path, in report order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows, trials = study.summaries, study.trials
    order = [s.variant for s in rows]
    refs = references(rows)
    out = {
        "metric": plot_metric_bars(
            rows,
            study.metric,
            folder / "metric.png",
            points=seed_points(trials),
            higher_is_better=study.higher_is_better,
        ),
        "differences": plot_differences(
            rows,
            folder / "differences.png",
            metric=study.metric,
            higher_is_better=study.higher_is_better,
        ),
        "gap": plot_gap_bars(
            rows, folder / "gap.png", scale=gap_scale(study), gap_metric=study.gap_metric
        ),
    }
    done = [t for t in trials if t.done]
    for key in curve_keys(study):
        if any(math.isfinite(number(row.get(key))) for t in done for row in t.history):
            out[f"curves_{key}"] = plot_variant_curves(
                trials,
                folder / f"curves_{key}.png",
                key=key,
                baseline=study.baseline,
                order=order,
                references=refs,
            )
    if any(t.probes is not None and t.probes.records for t in done):
        probe_order = order + [
            n for n in dict.fromkeys(t.variant for t in trials) if n not in order
        ]
        out["probes"] = plot_layer_probes(
            trials,
            folder / "probes.png",
            variants=probe_order,
            baseline=study.baseline,
            references=refs,
        )
    return out


def curve_keys(study: StudyResults) -> list[str]:
    """The history columns drawn as learning curves: the validation loss, the task's primary
    metric and, when it is another one, the compared metric's validation twin.

    Example:
        >>> from types import SimpleNamespace as T
        >>> curve_keys(T(metric="test_acc", gap_metric="acc"))
        ['val_loss', 'val_acc']
        >>> curve_keys(T(metric="test_parity_acc", gap_metric="digit_acc"))
        ['val_loss', 'val_digit_acc', 'val_parity_acc']
    """
    keys = ["val_loss", f"val_{study.gap_metric}"]
    if study.metric.startswith("test_"):
        keys.append("val_" + study.metric.removeprefix("test_"))
    return list(dict.fromkeys(keys))


def write_study_report(
    folder: Path, study: StudyResults, *, lang: Lang = "en"
) -> tuple[Path, Path]:
    """Draw the figures and write ``report.html`` and ``report.md`` into ``folder``.

    Figures go to ``folder / "figures"`` (see :func:`make_study_figures`); both
    pages are rendered from one context first, then each is written to a
    temporary file and moved into place with :func:`os.replace`, so a reader
    never sees half a page and a failure leaves any previous report intact.

    Args:
        folder: the report folder (created).
        study: the study's typed results.

    Returns:
        The paths of ``report.html`` and ``report.md``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figures = make_study_figures(folder / "figures", study)
    when = datetime.now(timezone.utc)
    page = study_page(study, figures, base=folder, generated=when, lang=lang)
    html = html_environment().get_template("study.html").render(page.as_context())
    md = markdown_environment().get_template("study.md").render(page.as_context())
    return (
        write_text_atomic(folder / "report.html", html),
        write_text_atomic(folder / "report.md", md),
    )
