"""The study report of trainlab.report.study, its typed results and its figures."""

from __future__ import annotations

import base64
import math
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from htmlcheck import parse
from trainlab.engine.diagnose.curves import Diagnosis
from trainlab.report.figures.differences import plot_differences
from trainlab.report.figures.gap_bars import plot_gap_bars
from trainlab.report.figures.layer_probes import plot_layer_probes, probe_profiles
from trainlab.report.figures.metric_bars import plot_metric_bars
from trainlab.report.figures.variant_curves import curve_stats, plot_variant_curves
from trainlab.report.study import (
    describe_effect,
    describe_gap,
    make_study_figures,
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
    comparison_groups,
    references,
    seed_points,
)
from trainlab.stats.compare import Interval, PairedDiff, VariantSummary, effect_of

PNG = b"\x89PNG\r\n\x1a\n"
NAN = float("nan")
EVIL = "<script>x</script>"
NO_INTERVAL = Interval(NAN, NAN, NAN, 0)


# ---------------------------------------------------------------------------- fake study

LAYERS = ["fc1", "fc2", "fc3", "fc4", "fc5", "fc6"]


def _history(final_val: float, epochs: int, rng: np.random.Generator) -> tuple[dict, ...]:
    rows = []
    for e in range(1, epochs + 1):
        t = e / epochs
        rows.append(
            {
                "epoch": e,
                "train_loss": 1.2 * math.exp(-3 * t) + 0.02,
                "train_acc": 0.6 + 0.39 * (1 - math.exp(-4 * t)),
                "val_loss": 1.1 * math.exp(-2.5 * t) + 0.1 + 0.02 * rng.standard_normal(),
                "val_acc": 0.55 + (final_val - 0.55) * (1 - math.exp(-4 * t)),
                "lr": 0.01,
                "seconds": 1.3,
            }
        )
    return tuple(rows)


def _probes(init_std: float, saturate: float, rng: np.random.Generator) -> TrialProbes:
    def layers(epoch: int) -> tuple[LayerStats, ...]:
        out = []
        for i, name in enumerate(LAYERS):
            std = init_std**i if epoch == 0 else 0.6 + 0.05 * rng.standard_normal()
            out.append(
                LayerStats(
                    name,
                    act_std=std,
                    dead=0.05 + 0.02 * i,
                    saturated=saturate * (i + 1) / len(LAYERS),
                    grad_norm=(init_std ** (len(LAYERS) - i)) if epoch == 0 else 0.1,
                )
            )
        return tuple(out)

    findings = []
    if init_std < 0.5:
        findings.append("Activations shrink 100× from `fc1` to `fc6` at initialization.")
    if saturate > 0.3:
        findings.append("Over 30% of units saturated in `fc6`.")
    records = (ProbeRecord(0, layers(0)), ProbeRecord(8, layers(8)))
    return TrialProbes(records, tuple(findings))


VARIANTS = {
    "baseline": ({}, 0.90, 1.0, 0.0),
    "dropout": ({"model.dropout": 0.5}, 0.915, 0.9, 0.0),
    "normal_0.01": ({"model.init": "normal_0.01"}, 0.86, 0.05, 0.0),
    EVIL: ({"optimizer.weight_decay": 0.001}, 0.901, 0.8, 0.5),
}


def make_trials(
    *, epochs: dict[str, list[int]] | None = None, probes: bool = True
) -> list[TrialResult]:
    rng = np.random.default_rng(0)
    trials = []
    for name, (_, acc, init_std, sat) in VARIANTS.items():
        for k, seed in enumerate((0, 1, 2)):
            n_ep = (epochs or {}).get(name, [8, 8, 8])[k]
            test_acc = acc + 0.004 * (k - 1)
            verdict = "overfitting" if name == "baseline" and k else "good fit"
            history = _history(test_acc, n_ep, rng)
            diagnosis = Diagnosis(
                verdict,
                5,
                f"Validation loss rose after epoch 5 ({name}).",
                ["Dropout (`model.dropout: 0.5`)", "Early stopping"],
            )
            trials.append(
                TrialResult(
                    name,
                    seed,
                    "done",
                    value=test_acc,
                    train_acc=0.99,
                    history=history,
                    diagnosis=diagnosis,
                    probes=_probes(init_std, sat, rng) if probes else None,
                )
            )
    trials.append(
        TrialResult(
            "dropout", 3, "failed", error="RuntimeError: CUDA out of memory <boom>\n  at line 3"
        )
    )
    trials.append(TrialResult("dropout", 4, "pending"))
    return trials


def _diff(mean: float, half: float, p: float, n: int = 3) -> PairedDiff:
    return PairedDiff(mean, mean - half, mean + half, n, p, 0.25, "t", p)


def summary(
    variant: str,
    *,
    mean: float = 0.9,
    half: float = NAN,
    n: int = 3,
    reference: str | None = "baseline",
    diff: PairedDiff | None = None,
    gap: Interval = NO_INTERVAL,
    gap_diff: PairedDiff | None = None,
    seconds: Interval = NO_INTERVAL,
    effect: str | None = None,
    **extra,
) -> VariantSummary:
    """A variant's summary as ``summarize`` gives it (the effect from the interval by default)."""
    if effect is None:
        effect = (
            "baseline"
            if reference is None
            else "no clear effect"
            if diff is None
            else effect_of(diff, higher_is_better=True)
        )
    value = Interval(mean, mean - half, mean + half, n)
    return VariantSummary(
        variant, "test_acc", value, reference, diff, gap, gap_diff, seconds, effect=effect, **extra
    )


def make_summaries() -> list[VariantSummary]:
    rows = []
    by_mean = sorted(VARIANTS, key=lambda n: -VARIANTS[n][1])
    for name, (_, acc, _, _) in VARIANTS.items():
        base = name == "baseline"
        d = 0.0 if base else acc - 0.90
        rows.append(
            summary(
                name,
                mean=acc,
                half=0.006,
                reference=None if base else "baseline",
                diff=None if base else _diff(d, 0.006 if abs(d) > 0.01 else 0.008, 0.03),
                gap=Interval(0.99 - acc, 0.98 - acc, 1.0 - acc, 3),
                gap_diff=None if base else _diff(-d, 0.004, 0.04),
                seconds=Interval(11.4, 10.2, 12.6, 3),
                verdicts=Counter({"overfitting": 2, "good fit": 1} if base else {"good fit": 3}),
                failed=1 if name == "dropout" else 0,
                rank=by_mean.index(name) + 1,
            )
        )
    return rows


SPEC = {
    "name": "regularization-vs-init",
    "base": "digits-mlp",
    "variants": {name: v[0] for name, v in VARIANTS.items()},
    "seeds": [0, 1, 2],
}
RUN = RunFacts(
    trainlab="0.1.0",
    machine="2 CPU cores",
    workers=2,
    executor="processes",
    last_run=LastRun(wall_seconds=190.0, trials=12, workers=2, executor="processes"),
)


def variants_of(names: list[str], spec: dict) -> tuple[StudyVariant, ...]:
    """The study's variants as a spec defines them: plain overrides, or the long form with
    ``set``, ``against`` (the reference; itself for a reference) and ``description``."""
    baseline = spec.get("baseline", "baseline")
    out = []
    for name in names:
        raw = spec["variants"].get(name, {})
        long = "set" in raw
        ref = None if name == baseline else (raw.get("against") if long else None) or baseline
        out.append(
            StudyVariant(
                name,
                dict(raw["set"] if long else raw),
                None if ref == name else ref,
                raw.get("description", "") if long else "",
            )
        )
    return tuple(out)


def study(
    *,
    summaries: list[VariantSummary] | None = None,
    trials: list[TrialResult] | None = None,
    spec: dict | None = None,
    title: str = "Regularization vs init",
    run: RunFacts = RUN,
) -> StudyResults:
    rows = make_summaries() if summaries is None else summaries
    names = {s.variant for s in rows}
    trials = make_trials() if trials is None else trials
    spec = SPEC if spec is None else spec
    return StudyResults(
        name=spec.get("name", ""),
        title=title,
        base=spec.get("base", ""),
        dataset="",
        metric="test_acc",
        higher_is_better=True,
        baseline=spec.get("baseline", "baseline"),
        seeds=tuple(spec.get("seeds", (0, 1, 2))),
        variants=variants_of([s.variant for s in rows], spec),
        summaries=tuple(rows),
        trials=tuple(t for t in trials if t.variant in names),
        definition=spec,
        run=run,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Path]:
    return write_study_report(tmp_path_factory.mktemp("study"), study())


@pytest.fixture(scope="module")
def figures(written) -> dict[str, Path]:
    folder = written[0].parent / "figures"
    return {p.stem: p for p in sorted(folder.glob("*.png"))}


# ---------------------------------------------------------------------------- HTML


def test_write_makes_every_figure_and_both_pages(written, figures):
    html, md = written
    assert html.name == "report.html" and md.name == "report.md"
    assert set(figures) == {
        "metric",
        "differences",
        "gap",
        "curves_val_loss",
        "curves_val_acc",
        "probes",
    }
    for p in figures.values():
        assert p.read_bytes()[:8] == PNG
    assert not list(html.parent.glob(".*.tmp")), "temporary files left behind"


def test_html_is_well_formed(written):
    page = written[0].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    checker = parse(page)
    assert checker.errors == []
    assert checker.stack == []


def test_html_embeds_every_figure_as_a_decodable_png(written, figures):
    checker = parse(written[0].read_text(encoding="utf-8"))
    assert len(checker.images) == len(figures)
    embedded = set()
    for img in checker.images:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert data[:8] == PNG
        assert img.get("alt")
        embedded.add(data)
    assert embedded == {p.read_bytes() for p in figures.values()}


def test_html_is_self_contained(written):
    page = written[0].read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_html_names_every_variant_and_escapes_them(written):
    page = written[0].read_text(encoding="utf-8")
    checker = parse(page)
    assert checker.scripts == 0
    for name in VARIANTS:
        assert name in checker.text
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert EVIL not in page


def test_html_sections(written):
    text = parse(written[0].read_text(encoding="utf-8")).text
    for needle in (
        "What helped",
        "dropout raised test accuracy by 1.5 points against baseline (95% CI 0.9 to 2.1, "
        "paired t-test p = 0.03)",
        "it helps",
        "normal_0.01 lowered test accuracy by 4.0 points",
        "it hurts",
        "no clear effect with 3 seeds",
        "only large effects can be shown",
        "shrank the generalization gap by 1.5 points",
        "digits-mlp",
        "3 seeds each (0, 1, 2)",
        "3 min 10 s",
        "model.dropout=0.5",
        "Validation loss rose after epoch 5 (baseline).",
        "2 × overfitting",
        "Activations shrink 100× from fc1 to fc6 at initialization.",
        "3 of 3 seeds",
        "RuntimeError: CUDA out of memory <boom>",
        "regularization-vs-init",
        "processes",
        "2 CPU cores",
    ):
        assert needle in text, needle


def test_failed_and_pending_trials_are_counted(written):
    text = parse(written[0].read_text(encoding="utf-8")).text
    assert "12 of 14 trials finished, 1 failed with an error, 1 not finished" in text


def test_remedies_keep_their_code(written):
    page = written[0].read_text(encoding="utf-8")
    assert "<code>model.dropout: 0.5</code>" in page


def test_missing_figure_is_reported(tmp_path):
    page = render_study_report(study(), {"metric": tmp_path / "nope.png"})
    assert "Figure not found" in page
    assert parse(page).errors == []


# ---------------------------------------------------------------------------- Markdown


def test_markdown_names_every_figure_and_each_exists(written, figures):
    md_path = written[1]
    md = md_path.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", md)
    assert sorted(Path(link).name for link in links) == sorted(p.name for p in figures.values())
    for link in links:
        assert not Path(link).is_absolute()
        assert (md_path.parent / link).is_file()


def test_markdown_content_and_escaping(written):
    md = written[1].read_text(encoding="utf-8")
    assert md.startswith("# Regularization vs init")
    for needle in (
        "## What helped",
        "## Variants",
        "## Errors: not results",
        "## Study definition",
    ):
        assert needle in md
    assert "it helps" in md and "it hurts" in md and "no clear effect" in md
    prose = re.sub(r"^(~{3,}).*?^\1$", "", md, flags=re.S | re.M)  # fenced blocks show as text
    assert "~~~~yaml" in md and EVIL in md.split("~~~~yaml")[1]
    assert EVIL not in prose
    assert "&lt;script&gt;x&lt;/script&gt;" in prose
    assert "`model.dropout=0.5`" in md
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(VARIANTS)
    widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert len(widths) == 1, "every table row has the same number of cells"


def test_markdown_table_survives_pipes_in_names():
    rows = make_summaries()[:2]
    rows[1] = replace(rows[1], variant="a|b `c`")
    spec = {"variants": {"baseline": {}, "a|b `c`": {"model.name": "x|y"}}}
    md = render_study_markdown(study(summaries=rows, spec=spec), {})
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(table) == 3
    assert {len(re.findall(r"(?<!\\)\|", line)) for line in table} == {13}


# ---------------------------------------------------------------------------- NaN


def test_nan_values_render_as_a_dash(tmp_path):
    rows = make_summaries()[:2]
    rows[0] = replace(rows[0], value=Interval(rows[0].value.mean, NAN, NAN, 3))
    one = Interval(NAN, NAN, NAN, 1)
    diff = PairedDiff(NAN, NAN, NAN, 1, NAN, NAN, "t", NAN)
    rows[1] = replace(
        rows[1],
        value=one,
        rank=None,
        diff=diff,
        gap=one,
        seconds=one,
        effect="no clear effect",
        p_adjusted=NAN,  # no test, so no p-value to adjust
    )
    page = render_study_report(study(summaries=rows), {})
    md = render_study_markdown(study(summaries=rows), {})
    for text in (parse(page).text, md):
        assert "nan" not in text.lower().replace("finance", "")
        assert "—" in text
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page.split('class="variants"')[1], re.S)
    assert cells.count("—") >= 5
    assert "no confidence interval" in parse(page).text


# ---------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("diff", "claimed", "metric", "expected", "words"),
    [
        (_diff(0.008, 0.006, 0.03), "helps", "test_acc", "it helps", "raised test accuracy by 0.8"),
        (_diff(-0.02, 0.01, 0.01), "hurts", "test_acc", "it hurts", "lowered test accuracy by 2.0"),
        (_diff(-0.001, 0.008, 0.8), "no clear effect", "test_acc", "no clear effect", "by −0.1"),
        # an interval that includes 0 is no clear effect, whatever its mean
        (_diff(0.008, 0.01, 0.07), None, "test_acc", "no clear effect", "changed"),
        # lower loss is better, as the study states: its direction decides
        (_diff(-0.05, 0.02, 0.02), None, "test_loss", "it helps", "lowered test loss by 0.05"),
        (_diff(0.05, 0.02, 0.02), None, "test_loss", "it hurts", "raised test loss by 0.05"),
        (
            PairedDiff(0.01, NAN, NAN, 1, NAN, NAN, "t", NAN),
            None,
            "test_acc",
            "no clear effect",
            "too few for a confidence interval",
        ),
    ],
)
def test_effect_sentences(diff, claimed, metric, expected, words):
    higher_is_better = metric != "test_loss"  # what the study's spec says
    effect = claimed or effect_of(diff, higher_is_better)
    row = replace(summary("v", n=diff.n, diff=diff, effect=effect), metric=metric)
    text = describe_effect(row, scale=100 if "acc" in metric else 1)
    assert text.startswith("v ")
    assert expected in text
    assert words in text
    others = {"it helps", "it hurts", "no clear effect"} - {expected}
    assert not any(o in text for o in others)


@pytest.mark.parametrize(
    "diff",
    [_diff(0.008, 0.01, 0.07), PairedDiff(0.01, NAN, NAN, 1, NAN, NAN, "t", NAN), None],
    ids=["interval-includes-0", "no-interval", "no-difference"],
)
def test_a_summary_cannot_claim_more_than_its_interval(diff):
    # "it helps" needs an interval that excludes 0: a summary claiming it otherwise is refused,
    # so no sentence, table cell or figure can say it
    with pytest.raises(ValueError, match="excludes 0"):
        summary("v", diff=diff, effect="helps")


def test_effect_sentence_shape_matches_the_brief():
    row = summary("dropout", diff=_diff(0.008, 0.006, 0.03))
    assert row.effect == "helps"
    assert describe_effect(row, vs=False) == (
        "dropout raised test accuracy by 0.8 points (95% CI 0.2 to 1.4, "
        "paired t-test p = 0.03): it helps."
    )
    row = summary("L1", diff=PairedDiff(-0.001, -0.009, 0.007, 3, NAN, NAN, "t", NAN))
    assert row.effect == "no clear effect"
    assert describe_effect(row, scale=100, vs=False) == (
        "L1 changed test accuracy by −0.1 points (95% CI −0.9 to 0.7): "
        "no clear effect with 3 seeds."
    )


def _gap(mean: float, lo: float, hi: float) -> VariantSummary:
    return summary("d", gap_diff=PairedDiff(mean, lo, hi, 3, NAN, NAN, "t", NAN))


def test_gap_sentences():
    shrank = _gap(-0.021, -0.033, -0.009)
    assert (
        describe_gap(shrank, vs=False)
        == "d shrank the generalization gap by 2.1 points (95% CI 0.9 to 3.3)."
    )
    widened = _gap(0.02, 0.01, 0.03)
    assert "widened the generalization gap by 2.0 points" in describe_gap(widened)
    unclear = _gap(-0.005, -0.02, 0.01)
    assert "no clear change with 3 seeds" in describe_gap(unclear)
    assert describe_gap(summary("b", reference=None)) is None


def test_effects_never_claim_more_than_their_interval():
    # only a reference (no reference of its own) is the baseline, and it has no difference
    assert summary("b", reference=None).effect == "baseline"
    with pytest.raises(ValueError, match="only a reference"):
        summary("b", reference=None, effect="helps")
    # no difference, or one whose interval includes 0: no clear effect, never "helps"
    assert summary("v", diff=None).effect == "no clear effect"
    assert summary("v", diff=_diff(0.01, 0.02, 0.3)).effect == "no clear effect"
    for diff in (None, _diff(0.01, 0.02, 0.3)):
        with pytest.raises(ValueError, match="excludes 0"):
            summary("v", diff=diff, effect="helps")
    # an interval above 0 helps when higher is better, as the study states
    assert effect_of(_diff(0.03, 0.01, 0.01), higher_is_better=True) == "helps"
    assert summary("v", diff=_diff(0.03, 0.01, 0.01)).effect == "helps"


def test_seed_note_mentions_multiple_comparisons(tmp_path):
    rows = [make_summaries()[0]]
    for i in range(6):
        row = replace(make_summaries()[2], variant=f"v{i}")
        rows.append(row)
    text = parse(render_study_report(study(summaries=rows), {})).text
    assert "6 variants were compared with the baseline" in text


# ---------------------------------------------------------------------------- plots


def _is_png(p: Path) -> bool:
    return p.is_file() and p.read_bytes()[:8] == PNG and p.stat().st_size > 2000


def one_seed() -> StudyResults:
    """The fake study with one seed: no interval anywhere, so no clear effect anywhere."""
    trials = [t for t in make_trials() if t.seed == 0]
    rows = []
    for r in make_summaries():
        changes = {
            "value": Interval(r.value.mean, NAN, NAN, 1),
            "gap": Interval(r.gap.mean, NAN, NAN, 1),
        }
        if r.diff is not None:
            diff = PairedDiff(r.diff.mean, NAN, NAN, 1, NAN, NAN, "t", NAN)
            changes.update(diff=diff, gap_diff=None, effect="no clear effect", p_adjusted=NAN)
        rows.append(replace(r, **changes))
    return study(summaries=rows, trials=trials)


def test_plots_with_one_seed(tmp_path):
    one = one_seed()
    figs = make_study_figures(tmp_path, one)
    assert all(_is_png(p) for p in figs.values())
    page = render_study_report(one, figs)
    assert parse(page).errors == []
    assert "too few for a confidence interval" in parse(page).text


def test_curves_with_early_stopped_seeds_of_different_lengths(tmp_path):
    trials = make_trials(epochs={"dropout": [3, 8, 5], "normal_0.01": [2, 2, 12]})
    stats = curve_stats([t.history for t in trials if t.variant == "dropout"], "val_loss")
    assert stats.epoch.tolist() == [float(e) for e in range(1, 9)]
    assert stats.count.tolist() == [3, 3, 3, 2, 2, 1, 1, 1]
    assert np.isfinite(stats.mean).all()
    for key in ("val_loss", "val_acc"):
        assert _is_png(plot_variant_curves(trials, tmp_path / f"{key}.png", key=key))


def test_curve_stats_skip_nan_values():
    h = [
        [{"epoch": 1, "val_loss": NAN}, {"epoch": 2, "val_loss": 1.0}],
        [{"epoch": 1, "val_loss": 2}],
    ]
    s = curve_stats(h, "val_loss")
    assert s.mean.tolist() == [2.0, 1.0] and s.count.tolist() == [1, 1]


def test_plots_without_probes(tmp_path):
    trials = make_trials(probes=False)
    assert _is_png(plot_layer_probes(trials, tmp_path / "p.png"))
    figs = make_study_figures(tmp_path / "f", study(trials=trials))
    assert "probes" not in figs
    page = render_study_report(study(trials=trials), figs)
    assert parse(page).errors == [] and "layer probes" not in page


def test_probe_profiles_average_over_seeds():
    layers, prof = probe_profiles(make_trials())
    assert layers == LAYERS
    assert prof["baseline"].seeds == 3
    assert prof["baseline"].first_epoch == 0 and prof["baseline"].last_epoch == 8
    std0 = prof["normal_0.01"].first["act_std"]
    assert std0[0] == pytest.approx(1.0) and std0[-1] == pytest.approx(0.05**5)


def test_plots_with_18_variants(tmp_path):
    rng = np.random.default_rng(1)
    names = ["baseline"] + [f"strategy_{i:02d}_with_a_long_name" for i in range(17)]
    rows, trials, points = [], [], {}
    for k, name in enumerate(names):
        base = k == 0
        d = float(rng.normal(0, 0.01))
        rows.append(
            summary(
                name,
                mean=0.9 + d,
                half=0.01,
                reference=None if base else "baseline",
                diff=None if base else _diff(d, 0.008, 0.2),
                gap=Interval(0.05 - d, 0.04 - d, 0.06 - d, 3),
                gap_diff=None if base else _diff(-d, 0.005, 0.3),
                rank=k + 1,
                effect="baseline" if base else "no clear effect",
            )
        )
        points[name] = [0.9 + d - 0.003, 0.9 + d, 0.9 + d + 0.003]
        for seed in range(3):
            history = _history(0.9 + d, 6 + k % 4, rng)
            probes = _probes(0.5 + k / 40, 0.1, rng)
            trials.append(TrialResult(name, seed, "done", history=history, probes=probes))
    assert _is_png(plot_metric_bars(rows, "test_acc", tmp_path / "m.png", points=points))
    assert _is_png(plot_differences(rows, tmp_path / "d.png", metric="test_acc"))
    assert _is_png(plot_gap_bars(rows, tmp_path / "g.png"))
    assert _is_png(plot_variant_curves(trials, tmp_path / "c.png", key="val_loss"))
    assert _is_png(plot_variant_curves(trials, tmp_path / "a.png", key="val_acc"))
    assert _is_png(plot_layer_probes(trials, tmp_path / "p.png"))


def test_plots_with_only_the_baseline_and_no_history(tmp_path):
    rows = [make_summaries()[0]]
    assert _is_png(plot_differences(rows, tmp_path / "d.png"))
    assert _is_png(plot_metric_bars(rows, "test_acc", tmp_path / "m.png"))
    assert _is_png(plot_variant_curves([], tmp_path / "c.png"))
    assert _is_png(plot_layer_probes([], tmp_path / "p.png"))


def test_seed_points_use_finished_trials_only():
    pts = seed_points(make_trials())
    assert set(pts) == set(VARIANTS)
    assert all(len(v) == 3 for v in pts.values())


# ---------------------------------------------------------------------------- two comparisons
#
# One study, two comparisons: a regularizer against the shallow "baseline", and init schemes
# (long-form variants with ``set``, ``against`` and ``description``) against "deep-glorot".

DEEP_SET = {
    "model.widths": [128] * 6,
    "model.activation": "tanh",
    "optimizer.name": "sgd",
}
TWO = {
    # name: (against, accuracy, Δ vs the reference, final val loss)
    "baseline": (None, 0.94, None, 0.25),
    "dropout": ("baseline", 0.945, 0.005, 0.24),
    "deep-glorot": (None, 0.93, None, 0.30),
    "deep-he": ("deep-glorot", 0.928, -0.002, 0.31),
    "deep-small": ("deep-glorot", 0.90, -0.030, 0.40),
    "deep-unit": ("deep-glorot", 0.10, -0.830, 2.30),
}
TWO_SPEC = {
    "name": "two-comparisons",
    "base": "digits-mlp",
    "baseline": "baseline",
    "seeds": [0, 1, 2],
    "variants": {
        "baseline": {},
        "dropout": {"model.dropout": 0.5},
        "deep-glorot": {
            "against": "deep-glorot",
            "set": {**DEEP_SET, "init.scheme": "glorot-uniform"},
        },
        "deep-he": {"against": "deep-glorot", "set": {**DEEP_SET, "init.scheme": "he-normal"}},
        "deep-small": {
            "against": "deep-glorot",
            "description": "N(0, 0.01): the lecture's first scheme",
            "set": {**DEEP_SET, "init.scheme": "small-normal"},
        },
        "deep-unit": {
            "against": "deep-glorot",
            "description": "N(0, 1): the lecture's second scheme",
            "set": {**DEEP_SET, "init.scheme": "unit-normal"},
        },
    },
}


def two_summaries() -> list[VariantSummary]:
    rows = []
    ranked = sorted(TWO, key=lambda n: -TWO[n][1])
    for name, (against, acc, d, _) in TWO.items():
        ref = against is None
        rows.append(
            summary(
                name,
                mean=acc,
                half=0.01,
                reference=against,
                diff=None if ref else _diff(d, 0.012 if abs(d) > 0.02 else 0.01, 0.01),
                gap=Interval(0.05, 0.04, 0.06, 3),
                gap_diff=None if ref else _diff(0.001, 0.01, 0.5),
                seconds=Interval(2.0, 1.8, 2.2, 3),
                verdicts=Counter({"overfitting": 3}),
                rank=ranked.index(name) + 1,
            )
        )
    return rows


def _layers(names: list[str], std: float) -> tuple[LayerStats, ...]:
    return tuple(LayerStats(n, act_std=std, saturated=0.0, dead=0.0, grad_norm=1.0) for n in names)


def two_trials() -> list[TrialResult]:
    shallow = ["stage1.2", "stage2.1", "head"]
    deep = [f"stage{i}.1" for i in range(1, 7)] + ["head"]
    trials = []
    for name, (_, acc, _, final) in TWO.items():
        layers = deep if name.startswith("deep") else shallow
        for seed in (0, 1, 2):
            history = tuple(
                {
                    "epoch": e,
                    "val_loss": final if name == "deep-unit" else final + 0.5 / e,
                    "val_acc": acc - 0.05 / e,
                }
                for e in range(1, 9)
            )
            findings = (
                (f"units saturate: more than 50% saturated (worst stage1.1, {90 + seed}%)",)
                if name == "deep-unit"
                else ()
            )
            records = (ProbeRecord(0, _layers(layers, 0.5)), ProbeRecord(8, _layers(layers, 0.6)))
            diagnosis = Diagnosis(
                "overfitting",
                4,
                f"Validation loss rose ({name}).",
                ["Dropout (`model.dropout`)", "Early stopping"],
            )
            trials.append(
                TrialResult(
                    name,
                    seed,
                    "done",
                    value=acc,
                    train_acc=acc + 0.05,
                    history=history,
                    diagnosis=diagnosis,
                    probes=TrialProbes(records, findings),
                )
            )
    return trials


def two_study(**over) -> StudyResults:
    kw = {
        "title": "Two comparisons",
        "spec": TWO_SPEC,
        "summaries": two_summaries(),
        "trials": two_trials(),
        "run": RunFacts(),
    }
    kw.update(over)
    return study(**kw)


@pytest.fixture
def drawn(monkeypatch) -> list:
    """The matplotlib figures the plot functions save, for looking inside them."""
    figures = []
    savefig = Figure.savefig

    def keep(fig, *args, **kwargs):
        figures.append(fig)
        return savefig(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    return figures


def _section(page: str, section: str) -> str:
    return page.split(f'<section id="{section}"')[1].split("</section>")[0]


def test_comparison_groups_and_references():
    rows = two_summaries()
    assert comparison_groups(rows) == [
        ("baseline", ["baseline", "dropout"]),
        ("deep-glorot", ["deep-glorot", "deep-he", "deep-small", "deep-unit"]),
    ]
    refs = references(rows)
    assert refs["baseline"] is None and refs["deep-glorot"] is None
    assert refs["dropout"] == "baseline" and refs["deep-unit"] == "deep-glorot"
    # the spec's long form tells the reference, and a summary compared with another is refused
    text = parse(render_study_report(two_study(), {})).text
    assert "3 variants against deep-glorot" in text
    wrong = [replace(r, reference="baseline") if r.variant == "deep-he" else r for r in rows]
    with pytest.raises(ValueError, match="the spec says 'deep-glorot'"):
        two_study(summaries=wrong)


def test_headline_names_each_comparison():
    text = parse(render_study_report(two_study(), {})).text
    assert "in 2 comparisons: 1 variant against baseline; 3 variants against deep-glorot." in text
    assert "each against baseline" not in text
    assert "Effects vs their reference" in text
    assert "3 variants were compared" not in text  # no multiple-comparison note under 5
    page = render_study_report(two_study(), {})
    cards = page.split('class="cards study"')[1].split("</section>")[0]
    assert parse(cards).text.count("Reference · test accuracy") == 2


def test_what_helped_is_grouped_by_reference():
    page = render_study_report(two_study(), {})
    assert parse(page).errors == []
    helped = _section(page, "what-helped")
    text = parse(helped).text
    assert helped.count('class="badge badge-baseline"') == 2
    assert "baseline reached test accuracy 94.0% (95% CI 93.0 to 95.0) over 3 seeds." in text
    assert "deep-glorot (the reference) reached test accuracy 93.0%" in text
    assert (
        "deep-small lowered test accuracy by 3.0 points against deep-glorot (95% CI 1.8 to 4.2, "
        "paired t-test p = 0.01): it hurts." in text
    )
    assert "dropout changed test accuracy by +0.5 points against baseline" in text
    first, second = text.index("1 variant against baseline"), text.index("3 variants against")
    assert first < text.index("dropout changed") < second < text.index("deep-small lowered")
    md = render_study_markdown(two_study(), {})
    assert "### 3 variants against deep-glorot" in md
    assert "against deep-glorot (95% CI 1.8 to 4.2" in md


def test_describe_names_the_reference():
    row = two_summaries()[4]
    assert describe_effect(row).startswith(
        "deep-small lowered test accuracy by 3.0 points against deep-glorot (95% CI"
    )
    assert "points against deep-glorot (95% CI" in describe_gap(row)


def test_variants_table_shows_long_form_variants_as_chips():
    page = render_study_report(two_study(), {})
    table = page.split('class="variants"')[1].split("</table>")[0]
    text = parse(table).text
    for raw in ("set=", "against=", "description=", '{"', "[128,128"):
        assert raw not in text, raw
    assert "model.widths=[128×6]" in text
    assert "init.scheme=small-normal" in text
    assert "vs deep-glorot" in text and "vs baseline" in text
    assert '<span class="desc">N(0, 0.01): the lecture&#39;s first scheme</span>' in table
    assert table.count("badge-baseline") == 2  # both references, as the baseline
    # overrides the same as in the reference are told apart from the one that differs
    he = table.split("deep-he<span")[1].split("</tr>")[0]
    assert he.count('class="shared"') == 3
    assert "<code>init.scheme=<wbr>he-normal</code>" in he
    # chips wrap instead of widening the page
    assert re.search(r"td\.overrides code \{[^}]*white-space: normal", page)
    assert "colgroup" in table and "deep-glorot and 3 variants compared with it" in text
    md = render_study_markdown(two_study(), {})
    row = next(line for line in md.splitlines() if line.startswith("| ") and "deep-small" in line)
    assert "(vs deep-glorot)" in row and "`model.widths=[128×6]`" in row
    assert "set=" not in row and "N(0, 0.01)" in row
    widths = {
        len(re.findall(r"(?<!\\)\|", line)) for line in md.splitlines() if line.startswith("| ")
    }
    assert len(widths) == 1


def _dashed_segments(ax) -> list[tuple[float, float, float]]:
    """(x, y_low, y_high) of each dashed vertical segment drawn with vlines."""
    out = []
    for coll in ax.collections:
        if not isinstance(coll, LineCollection):
            continue
        dashed = any(offset is not None and dashes for offset, dashes in coll.get_linestyles())
        if not dashed:
            continue
        for seg in coll.get_segments():
            (x0, y0), (x1, y1) = seg[0], seg[-1]
            if x0 == x1:
                out.append((round(float(x0), 6), min(y0, y1), max(y0, y1)))
    return out


@pytest.mark.parametrize("kind", ["metric", "gap"])
def test_bars_draw_each_reference_across_its_own_rows(tmp_path, drawn, kind):
    rows = two_summaries()
    if kind == "metric":
        plot_metric_bars(rows, "test_acc", tmp_path / "m.png")
        values = {"baseline": 94.0, "deep-glorot": 93.0}
    else:
        rows[2] = replace(rows[2], gap=Interval(0.08, 0.07, 0.09, 3))
        plot_gap_bars(rows, tmp_path / "g.png")
        values = {"baseline": 5.0, "deep-glorot": 8.0}
    fig = drawn[-1]
    ax = fig.axes[0]
    segments = sorted(_dashed_segments(ax), key=lambda s: s[1])
    assert len(segments) == 2
    (x0, lo0, hi0), (x1, lo1, hi1) = segments
    assert x0 == pytest.approx(values["baseline"]) and x1 == pytest.approx(values["deep-glorot"])
    assert lo0 < 0 < 1 < hi0 < 2  # rows 0-1: baseline and dropout
    assert lo1 < 2 and 5 < hi1 < 6  # rows 2-5: deep-glorot and its variants
    bold = {t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"}
    assert bold == {"baseline", "deep-glorot"}
    legend = " ".join(t.get_text() for leg in fig.legends for t in leg.get_texts())
    assert "reference" in legend


def test_single_comparison_keeps_one_baseline_line(tmp_path, drawn):
    plot_metric_bars(make_summaries(), "test_acc", tmp_path / "m.png")
    ax = drawn[-1].axes[0]
    (x, lo, hi), *rest = _dashed_segments(ax)
    assert not rest and x == pytest.approx(90.0)
    assert lo < 0 and hi > len(VARIANTS) - 1


def test_forest_plot_has_a_panel_and_a_reference_row_per_comparison(tmp_path, drawn):
    plot_differences(two_summaries(), tmp_path / "d.png", metric="test_acc")
    fig = drawn[-1]
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2
    texts = [[t.get_text() for t in ax.texts] for ax in axes]
    assert all("reference" in t for t in texts)
    assert not any("no paired seeds" in x for t in texts for x in t)
    assert "deep-glorot" in axes[1].get_xlabel() and "baseline" in axes[0].get_xlabel()
    assert axes[1].get_yticklabels()[0].get_text() == "deep-glorot"
    # each panel is scaled to its own differences: the baseline panel is not stretched to −83
    assert axes[0].get_xlim()[0] > -5 and axes[1].get_xlim()[0] < -83
    legend = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert "reference" in legend


def test_curves_compare_each_panel_with_its_own_reference(tmp_path, drawn):
    names = [f"reg{i}" for i in range(8)]
    rows = (
        [two_summaries()[0]]
        + [replace(two_summaries()[1], variant=n) for n in names]
        + two_summaries()[2:]
    )
    trials = two_trials()
    extra = [replace(t, variant=n) for n in names for t in trials if t.variant == "dropout"]
    trials = trials + extra
    refs = references(rows)
    plot_variant_curves(
        trials,
        tmp_path / "c.png",
        key="val_loss",
        baseline="baseline",
        order=[r.variant for r in rows],
        references=refs,
    )
    fig = drawn[-1]
    panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.get_visible()}
    assert "deep-glorot" not in panels and "baseline" not in panels  # references are grey lines
    grey = "#9a9a9a"

    def grey_line(ax):
        lines = [ln for ln in ax.get_lines() if ln.get_color() == grey and ln.get_linewidth() > 2]
        return np.asarray(lines[0].get_ydata(), dtype=float)

    glorot = np.array([0.30 + 0.5 / e for e in range(1, 9)])
    base = np.array([0.25 + 0.5 / e for e in range(1, 9)])
    for name in ("deep-he", "deep-small", "deep-unit"):
        assert np.allclose(grey_line(panels[name]), glorot), name
    assert np.allclose(grey_line(panels["reg0"]), base)
    # the init panels share a log axis, so the run stuck at 2.3 does not flatten the others
    assert panels["deep-he"].get_yscale() == "log"
    assert panels["deep-unit"].get_yscale() == "log"
    assert panels["reg0"].get_yscale() == "linear"
    # each comparison starts a new row of panels
    first_deep = panels["deep-he"].get_subplotspec()
    assert first_deep.colspan.start == 0
    assert "deep-glorot" in panels["deep-he"].get_ylabel()


def test_probes_get_a_block_per_comparison_aligned_by_depth(tmp_path, drawn):
    rows = two_summaries()
    plot_layer_probes(
        two_trials(),
        tmp_path / "p.png",
        variants=[r.variant for r in rows],
        baseline="baseline",
        references=references(rows),
    )
    fig = drawn[-1]
    assert len(fig.subfigs) == 2
    shallow = fig.subfigs[0].axes[4]
    deep = fig.subfigs[1].axes[4]
    assert [t.get_text() for t in shallow.get_xticklabels()] == ["stage1.2", "stage2.1", "head"]
    assert len(deep.get_xticklabels()) == 7
    labels = [t.get_text() for leg in fig.subfigs[1].legends for t in leg.get_texts()]
    assert labels[0] == "deep-glorot (reference)" and "dropout" not in labels


def test_probe_findings_of_one_kind_count_together():
    page = render_study_report(two_study(), {})
    text = parse(_section(page, "probes")).text
    assert text.count("units saturate") == 1
    assert "3 of 3 seeds · numbers from seed 0" in text
    assert "No probe findings for baseline, dropout, deep-glorot, deep-he, deep-small." in text


def test_repeated_remedies_are_folded():
    page = render_study_report(two_study(), {})
    curves = _section(page, "curves")
    assert curves.count("<details") == len(TWO)
    assert curves.count('<details class="remedies" open>') == 1
    assert "the same 2 ideas as for baseline" in parse(curves).text
    assert "deep-glorot and the variants compared with it" in parse(curves).text


def test_two_comparison_report_is_written(tmp_path):
    html, _ = write_study_report(tmp_path, two_study())
    checker = parse(html.read_text(encoding="utf-8"))
    assert checker.errors == [] and checker.stack == []
    assert len(checker.images) == 6
    assert "Difference from each variant's reference" in checker.text
