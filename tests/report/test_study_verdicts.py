"""Corrected verdicts, detectable effects, divergence and errors in the study report.

A hand-built study summarized by :func:`trainlab.stats.compare.summarize`: four
comparisons with the baseline (one clear after Holm's correction, one clear only
before it), a variant that diverged in every seed (two trials with status
"diverged", one finished trial whose learning-curve verdict is "diverged"), and
a trial that failed with an error. Its terminal table, HTML page and Markdown
page must show raw and adjusted p-values side by side, name the correction,
give the detectable effect, rank the diverging variant last with its own badge
and reason, and list the error apart.
"""

from __future__ import annotations

import math
import re
from types import SimpleNamespace as T

import pytest

from htmlcheck import parse
from trainlab.report.figures.differences import plot_differences
from trainlab.report.figures.gap_bars import plot_gap_bars
from trainlab.report.figures.metric_bars import plot_metric_bars
from trainlab.report.study import render_study_markdown, render_study_report
from trainlab.report.study_results import (
    LookFacts,
    SequentialLooks,
    StudyResults,
    StudyVariant,
    TrialResult,
)
from trainlab.report.study_sentences import divergence_phrase, lost_to_correction, p_phrases
from trainlab.report.summary_table import format_table
from trainlab.stats.compare import summarize
from trainlab.stats.multiplicity import adjust_pvalues

NAN = math.nan
RUNS = {
    "baseline": [0.90, 0.91, 0.92],
    "wd": [0.91, 0.926, 0.942],  # p = 0.044 alone, 0.13 after Holm over 4 comparisons
    "noise": [0.91, 0.90, 0.925],
    "mix": [0.895, 0.92, 0.918],
    "strong": [0.95, 0.96, 0.975],  # clear after the correction too
}
ERROR = "RuntimeError: boom <x>\n  at line 3 of the model"


def store_trials(seeds: tuple[int, ...] = (0, 1, 2)) -> list[T]:
    """The trials as a study store gives them to ``summarize``."""
    out = [
        T(
            variant=v,
            seed=s,
            status="done",
            metrics={"test_acc": accs[s], "seconds": 9.0, "verdict": "good fit"},
            error=None,
        )
        for v, accs in RUNS.items()
        for s in seeds
    ]
    diverged = [
        T(variant="big-lr", seed=0, status="diverged", metrics={"diverged_epoch": 1}, error=None),
        T(variant="big-lr", seed=1, status="diverged", metrics={"diverged_epoch": 2}, error=None),
        T(
            variant="big-lr",
            seed=2,
            status="done",
            metrics={"test_acc": 0.10, "verdict": "diverged", "diverged_epoch": 1},
            error=None,
        ),
    ]
    out += [t for t in diverged if t.seed in seeds]
    out.append(T(variant="mix", seed=9, status="failed", metrics=None, error=ERROR))
    return out


def make_study(
    *, seeds: tuple[int, ...] = (0, 1, 2), correction: str = "holm", sequential=None
) -> StudyResults:
    trials = store_trials(seeds)
    rows = summarize(trials, correction=correction)
    names = [s.variant for s in rows]
    return StudyResults(
        name="lecture",
        title="Study: lecture",
        base="wine-mlp",
        dataset="wine",
        metric="test_acc",
        higher_is_better=True,
        baseline="baseline",
        seeds=seeds,
        variants=tuple(StudyVariant(n, {}, None if n == "baseline" else "baseline") for n in names),
        summaries=tuple(rows),
        trials=tuple(
            TrialResult(
                t.variant,
                t.seed,
                t.status,
                value=(t.metrics or {}).get("test_acc", NAN),
                error=t.error or "",
            )
            for t in trials
        ),
        sequential=sequential,
    )


@pytest.fixture(scope="module")
def study() -> StudyResults:
    return make_study()


@pytest.fixture(scope="module")
def page(study) -> str:
    return render_study_report(study, {})


@pytest.fixture(scope="module")
def md(study) -> str:
    return render_study_markdown(study, {})


def _li(page: str, variant: str) -> str:
    """The text of the "What helped" item of ``variant``."""
    items = re.findall(r"<li class=\"effect-[^\"]+\">(.*?)</li>", page, re.S)
    found = [re.sub(r"<[^>]+>", " ", i) for i in items if f"<strong>{variant}</strong>" in i]
    assert len(found) == 1, variant
    return " ".join(found[0].split())


# ---------------------------------------------------------------------------- the statistics read


def test_the_hand_built_study_is_what_the_tests_say(study):
    wd, strong, big = study.summary("wd"), study.summary("strong"), study.summary("big-lr")
    assert wd.comparisons == 4 and wd.correction == "holm"
    assert wd.diff.p < 0.05 <= wd.p_adjusted and wd.effect == "no clear effect"
    assert lost_to_correction(wd) and not lost_to_correction(strong)
    assert strong.effect == "helps"
    family = [study.summary(v).diff.p for v in ("wd", "noise", "mix", "strong")]
    assert wd.p_adjusted == pytest.approx(float(adjust_pvalues(family, "holm")[0]))
    assert big.effect == "diverges" and big.diverged == 3 and big.diverged_at == (1, 1, 2)
    assert big.rank == max(s.rank for s in study.summaries if s.rank is not None)
    assert study.summary("mix").failed == 1


def test_sentences_give_both_p_values_and_divergence(study):
    assert p_phrases(study.summary("wd")) == (
        "paired t-test p = 0.044 alone, 0.13 after Holm over 4 comparisons"
    )
    assert (
        divergence_phrase(study.summary("big-lr")) == "diverged in 3 of 3 seeds (at epochs 1, 1, 2)"
    )
    assert divergence_phrase(study.summary("wd")) == ""


# ---------------------------------------------------------------------------- the terminal


def test_terminal_table_shows_raw_and_adjusted_p(study):
    table = format_table(study.summaries, "test_acc", name="lecture")
    header = table.splitlines()[0].split("  ")
    assert "p" in [h.strip() for h in header] and "p (Holm)" in table.splitlines()[0]
    assert "detectable" in table.splitlines()[0] and "diverged" in table.splitlines()[0]
    wd = study.summary("wd")
    line = next(x for x in table.splitlines() if x.startswith("wd "))
    assert f"{wd.diff.p:.3f} (t)" in line and f"{wd.p_adjusted:.3f}" in line
    assert "no clear effect" in line
    assert f"{100 * wd.detectable:.2f}%" in line
    legend = " ".join(table.split("\n\n")[1].split())
    assert "p (Holm): p adjusted over 4 comparisons (Holm–Bonferroni)" in legend
    assert "trainlab study lecture --seeds-for" in legend
    assert "mean ± half-width" in legend
    notes = table.split("\n\n")[2]
    assert "big-lr: diverged in 3 of 3 seeds (at epochs 1, 1, 2): ranked last." in notes
    assert "wd: p = 0.044 alone, 0.131 after Holm over 4 comparisons: no clear effect." in notes
    big = next(x for x in table.splitlines() if x.startswith("big-lr "))
    assert "diverges" in big and "no clear effect" not in big


def test_terminal_legend_with_one_seed_explains_no_interval():
    one = make_study(seeds=(0,))
    table = format_table(one.summaries, "test_acc")
    assert "±" not in table and "half-width" not in table
    assert "no interval: a single seed" in table
    assert "[95% interval]" not in table and "p (Holm)" not in table
    assert "detectable" not in table  # one pair: no spread, no power


def test_uncorrected_table_has_no_adjusted_column(study):
    rows = make_study(correction="none").summaries
    table = format_table(rows, "test_acc")
    assert "p (" not in table.splitlines()[0] and "adjusted" not in table


# ---------------------------------------------------------------------------- the pages


def test_page_is_well_formed(page):
    checker = parse(page)
    assert checker.errors == [] and checker.stack == []


def test_page_shows_raw_and_adjusted_p_and_names_the_correction(page, study):
    text = " ".join(parse(page).text.split())
    assert "p (Holm)" in text
    assert "Holm–Bonferroni" in text
    assert "The verdicts are corrected for the study's 4 comparisons" in text
    assert "p (Holm) is p adjusted over the study's 4 comparisons" in text
    strong = _li(page, "strong")
    assert "alone" in strong and "after Holm over 4 comparisons" in strong and "it helps" in strong
    assert "about 0.8 of them" not in text and "by chance alone" not in text


def test_page_names_a_comparison_clear_before_the_correction_only(page):
    wd = _li(page, "wd")
    assert "paired t-test p = 0.044 alone, 0.13 after Holm over 4 comparisons" in wd
    assert "clear alone, but no clear effect after the correction for 4 comparisons" in wd
    note = " ".join(parse(page).text.split())
    assert (
        "Clear before the correction but not after: wd: p = 0.044 alone, 0.13 after Holm "
        "over 4 comparisons: no clear effect." in note
    )


def test_page_gives_the_detectable_effect(page, study):
    wd = study.summary("wd")
    amount = f"{100 * wd.detectable:.1f}"
    assert f"these seeds could detect an effect of {amount} points or more (80% power)" in _li(
        page, "wd"
    )
    text = " ".join(parse(page).text.split())
    assert "detectable at 80% power" in text
    assert "80% power at α = 0.05/4" in text
    assert "<code>trainlab study lecture --seeds-for" in page


def test_diverging_variant_has_its_badge_reason_group_and_last_rank(page, study):
    assert ".badge-diverges" in page and ".effect-diverges" in page
    assert '<span class="badge badge-diverges">diverges</span>' in page
    big = _li(page, "big-lr")
    assert big.startswith("diverges big-lr diverged in 3 of 3 seeds (at epochs 1, 1, 2)")
    assert "ranked below every variant that trained" in big
    assert "no clear effect" not in big and "nothing to compare" not in big
    groups = re.findall(r'<h3 class="group-title">(.*?)</h3>', page)
    assert groups == ["Helped", "No clear effect", "Diverged"]
    body = page.split('class="variants"')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr(?: class=\"baseline\")?>\s*<td>(\d+)</td>\s*<td class=\"name\">([^<]+)", body
    )
    ranks = {name.strip(): int(rank) for rank, name in rows}
    assert ranks["big-lr"] == max(ranks.values()) == len(study.variants)
    assert "Dark red: the variant diverged in some seed." in parse(page).text


def test_errors_are_listed_apart_with_their_first_line(page, md):
    text = " ".join(parse(page).text.split())
    assert "Errors: not results" in text
    errors = page.split('id="errors"')[1]
    assert "mix, seed 9" in errors and "RuntimeError: boom &lt;x&gt;" in errors
    assert page.index('id="errors"') > page.index("Diverged")
    assert "big-lr, seed" not in errors  # a diverged trial is a result, not an error
    assert "1 failed with an error" in text and "2 diverged" in text
    assert "## Errors: not results" in md
    assert "- **mix, seed 9**: `RuntimeError: boom <x>`" in md
    assert "at line 3 of the model" not in md


def test_markdown_says_the_same(md, study):
    assert "| p | p (Holm) |" in md
    assert "p = 0.044 alone, 0.13 after Holm over 4 comparisons" in md
    assert "**Diverged**" in md
    assert md.index("**No clear effect**") < md.index("**Diverged**") < md.index("## Errors")
    assert "diverged in 3 of 3 seeds (at epochs 1, 1, 2)" in md
    assert "`trainlab study lecture --seeds-for" in md
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1, "aligned cells"
    assert len(table) == 2 + len(study.variants)


def test_one_seed_page_explains_no_interval_and_counts_in_the_singular():
    one = make_study(seeds=(0,))
    page = render_study_report(one, {})
    text = " ".join(parse(page).text.split())
    assert "Means over seeds (no interval: a single seed)." in text
    assert "confidence interval under them" not in text
    assert "1 seed each (0)" in text and "1 seeds" not in text
    assert "over 1 seed." in text  # the baseline's sentence
    assert "diverged in 1 of 1 seed (at epoch 1)" in text
    assert "1 error · 1 diverged · 1 seed" in text
    assert "1 failed with an error" in text
    md = render_study_markdown(one, {})
    assert "1 seeds" not in md and "1 trials" not in md


def test_spanish_pages(study):
    page = render_study_report(study, {}, lang="es")
    text = " ".join(parse(page).text.split())
    assert parse(page).errors == []
    for needle in (
        "Divergieron",
        "divergió en 3 de 3 semillas (en las épocas 1, 1, 2)",
        "p = 0.044 sin corregir, 0.13 tras Holm sobre 4 comparaciones",
        "claro sin corregir, pero sin efecto claro tras la corrección por 4 comparaciones",
        "Claras antes de la corrección pero no después: wd",
        "Holm–Bonferroni",
        "estas semillas podían detectar un efecto de",
        "Errores: no son resultados",
        "1 falló con un error",
        "2 divergieron",
        '<span class="badge badge-diverges">diverge</span>',
    ):
        assert needle in text or needle in page, needle
    for english in ("Diverged", "alone", "Errors: not results", "ranked below"):
        assert english not in text, english
    one = render_study_report(make_study(seeds=(0,)), {}, lang="es")
    words = " ".join(parse(one).text.split())
    assert "1 semilla cada una" in words and "1 semillas" not in words
    assert "divergió en 1 de 1 semilla (en la época 1)" in words


def test_benjamini_hochberg_is_named():
    bh = make_study(correction="bh")
    text = " ".join(parse(render_study_report(bh, {})).text.split())
    assert "p (Benjamini–Hochberg)" in text
    assert "the expected share of false “clear” effects among those found stays within 0.05" in text
    assert "after Benjamini–Hochberg over 4 comparisons" in text


def test_adaptive_seeding_is_rendered_when_present(study):
    looks = SequentialLooks(
        "obrien-fleming",
        0.05,
        5,
        (
            LookFacts(3, 0.0001, (), 5),
            LookFacts(4, 0.002, ("strong",), 4),
            LookFacts(5, 0.048, ("big-lr",), 3),
        ),
    )
    adaptive = make_study(sequential=looks)
    text = " ".join(parse(render_study_report(adaptive, {})).text.split())
    assert (
        "Adaptive seeding: looks at 3, 4, 5 seeds (at most 5), O'Brien–Fleming spending of "
        "α = 0.05, levels 0.0001, 0.002, 0.048; strong settled at 4 seeds (helps); big-lr "
        "settled at 5 seeds (diverges); undecided at the last look (5 seeds): wd, noise, mix."
    ) in text
    md = render_study_markdown(adaptive, {})
    assert "| 2 | 4 | 0.002 | strong | 4 |" in md
    assert "Adaptive seeding" not in render_study_markdown(study, {})
    with pytest.raises(ValueError, match="not variants"):
        make_study(sequential=SequentialLooks("pocock", 0.05, 5, (LookFacts(3, 0.01, ("x",)),)))
    with pytest.raises(ValueError, match="increasing"):
        SequentialLooks("pocock", 0.05, 3, (LookFacts(4, 0.01), LookFacts(3, 0.01)))


def test_a_diverged_trial_is_a_valid_trial_result():
    assert TrialResult("big-lr", 0, "diverged").status == "diverged"
    with pytest.raises(ValueError, match="status"):
        TrialResult("big-lr", 0, "exploded")


def test_figures_draw_a_diverging_variant(tmp_path, study):
    rows = study.summaries
    for out in (
        plot_metric_bars(rows, "test_acc", tmp_path / "m.png"),
        plot_differences(rows, tmp_path / "d.png", metric="test_acc"),
        plot_gap_bars(rows, tmp_path / "g.png"),
    ):
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    only_diverged = make_study(seeds=(0, 1)).summaries  # big-lr: no finished seed at all
    assert plot_differences(only_diverged, tmp_path / "d2.png", metric="test_acc").is_file()


def test_an_adaptive_studys_levels_differ_and_the_legend_says_so():
    """Rows settled at different looks carry their look's level: the legend names no single α."""
    import dataclasses
    from types import SimpleNamespace as T

    from trainlab.report.summary_table import format_table
    from trainlab.stats.compare import summarize

    trials = [
        T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + d + 0.001 * (s % 2)})
        for v, d in (("baseline", 0.0), ("a", 0.02), ("b", 0.001))
        for s in range(4)
    ]
    rows = summarize(trials, alpha=0.01)
    rows[1] = dataclasses.replace(rows[1], alpha=0.004, comparisons=1)
    legend = " ".join(format_table(rows, "test_acc", name="demo").split())
    assert "read at that look's level" in legend
    assert "α = 0.004–0.005" in legend


def test_a_variant_whose_every_trial_failed_is_no_result_not_no_clear_effect():
    """Errors are not results: such a variant has a group of its own, never "no clear effect"."""
    import dataclasses

    study = make_study()
    trials = [*study.trials, TrialResult("broken", 0, "failed", value=NAN, error=ERROR)]
    rows = summarize(
        [*store_trials(), T(variant="broken", seed=0, status="failed", metrics=None, error=ERROR)]
    )
    variants = (*study.variants, StudyVariant("broken", {}, "baseline"))
    study = dataclasses.replace(
        study, summaries=tuple(rows), trials=tuple(trials), variants=variants
    )
    text = render_study_markdown(study, {})
    assert "No result: every trial failed with an error" in text
    assert "**No result: every trial failed with an error**\n\n- **broken** has no finished" in text
    no_clear = text.split("No clear effect", 1)[1].split("No result", 1)[0]
    assert "broken" not in no_clear
