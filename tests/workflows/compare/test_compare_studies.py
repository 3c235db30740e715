"""Two study folders compared: paired and Welch differences against scipy, Holm across
variants, what the definitions do not share, and folders that are not studies."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pytest
from scipy import stats

from studykit import holm, make_study, spec_dict, with_settings
from trainlab.core.errors import ConfigError
from trainlab.workflows.compare import compare_studies, read_study
from trainlab.workflows.study.store_schema import StoreError

A_BASE = [0.910, 0.930, 0.920, 0.925]
B_BASE = [0.915, 0.940, 0.921, 0.940]


def _values(variant, values, seeds=None):
    return {(variant, s): v for s, v in zip(seeds or range(len(values)), values, strict=True)}


def _spec(seeds=(0, 1, 2, 3), variants=None, **extra):
    return spec_dict(variants=variants or {"baseline": {}}, seeds=seeds, **extra)


def test_paired_difference_is_scipy_ttest_rel_of_b_against_a(tmp_path):
    a = make_study(tmp_path / "a", _values("baseline", A_BASE), spec=_spec())
    b = make_study(tmp_path / "b", _values("baseline", B_BASE), spec=_spec())
    (row,) = compare_studies(read_study(a), read_study(b)).rows
    ref = stats.ttest_rel(B_BASE, A_BASE)
    ci = ref.confidence_interval(0.95)
    d = row.diff
    assert (d.method, d.test, d.n) == ("paired", "t", 4)
    assert d.mean == pytest.approx(np.mean(B_BASE) - np.mean(A_BASE), abs=1e-12)
    assert (d.lo, d.hi) == pytest.approx((ci.low, ci.high), abs=1e-12)
    assert d.p == pytest.approx(ref.pvalue, abs=1e-12)
    assert row.a.mean == pytest.approx(np.mean(A_BASE)) and row.a.n == 4
    assert row.b.mean == pytest.approx(np.mean(B_BASE)) and row.b.n == 4
    assert row.shared_seeds == (0, 1, 2, 3)


def test_pairs_only_the_seeds_both_finished(tmp_path):
    a_values = {**_values("baseline", A_BASE), ("baseline", 4): 0.5}
    a = make_study(tmp_path / "a", a_values, spec=_spec(seeds=(0, 1, 2, 3, 4)))
    b_values = {**_values("baseline", B_BASE[:3]), ("baseline", 3): "failed"}
    b = make_study(tmp_path / "b", b_values, spec=_spec())
    (row,) = compare_studies(read_study(a), read_study(b)).rows
    ref = stats.ttest_rel(B_BASE[:3], A_BASE[:3])
    assert row.diff.n == 3 and row.diff.p == pytest.approx(ref.pvalue, abs=1e-12)
    assert row.a.n == 5 and row.b.n == 3  # each side's own interval uses all its seeds
    assert dict(row.b_other) == {"failed": 1} and dict(row.a_other) == {}


def test_an_adaptive_study_counts_the_seeds_its_looks_added(tmp_path):
    """Adaptive seeding stores seeds beyond the definition's; they are the study's results."""
    from trainlab.workflows.study.store import StudyStore

    a = make_study(tmp_path / "a", _values("baseline", A_BASE[:2]), spec=_spec(seeds=(0, 1)))
    b = make_study(tmp_path / "b", _values("baseline", B_BASE), spec=_spec(seeds=(0, 1)))
    assert compare_studies(read_study(a), read_study(b)).rows[0].b.n == 2  # not adaptive
    with StudyStore(b) as store:
        store.set_meta("adaptive", {"max_seeds": 4, "spending": "obrien-fleming"})
    (row,) = compare_studies(read_study(a), read_study(b)).rows
    assert row.b.n == 4 and row.a.n == 2 and row.diff.n == 2


def _welch_by_hand(a, b, confidence=0.95):
    """Welch's interval from its formula (Welch–Satterthwaite degrees of freedom)."""
    a, b = np.asarray(a), np.asarray(b)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = stats.t.ppf((1 + confidence) / 2, df) * math.sqrt(va + vb)
    d = b.mean() - a.mean()
    return d - half, d + half


@pytest.mark.parametrize("b_seeds", [(10, 11, 12), (0, 11, 12)], ids=["none", "one"])
def test_welch_when_fewer_than_two_seeds_are_shared(tmp_path, b_seeds):
    b_acc = [0.95, 0.97, 0.96]
    a = make_study(tmp_path / "a", _values("baseline", A_BASE), spec=_spec())
    spec_b = _spec(seeds=b_seeds)
    b = make_study(tmp_path / "b", _values("baseline", b_acc, b_seeds), spec=spec_b)
    (row,) = compare_studies(read_study(a), read_study(b), confidence=0.9).rows
    ref = stats.ttest_ind(b_acc, A_BASE, equal_var=False)
    d = row.diff
    assert (d.method, d.test, d.n) == ("welch", "welch", 7)
    assert d.p == pytest.approx(ref.pvalue, abs=1e-12)
    assert (d.lo, d.hi) == pytest.approx(_welch_by_hand(A_BASE, b_acc, 0.9), abs=1e-12)
    assert d.mean == pytest.approx(np.mean(b_acc) - np.mean(A_BASE), abs=1e-12)


def _three_variants(tmp_path):
    """dropout: a clear difference; l2: raw p < 0.05 that Holm does not keep; baseline: none."""
    variants = {
        "baseline": {},
        "dropout": {"model.dropout": 0.5},
        "l2": {"regularization.l2": 0.01},
    }
    spec = _spec(seeds=(0, 1, 2), variants=variants)
    a = {**_values("baseline", [0.90, 0.92, 0.91]), **_values("dropout", [0.90, 0.91, 0.92])}
    a |= _values("l2", [0.90, 0.91, 0.92])
    b = {**_values("baseline", [0.91, 0.90, 0.92]), **_values("dropout", [0.95, 0.961, 0.97])}
    b |= _values("l2", [0.905, 0.918, 0.924])
    return make_study(tmp_path / "a", a, spec=spec), make_study(tmp_path / "b", b, spec=spec)


def test_holm_across_variants_and_verdicts_from_the_adjusted_p(tmp_path):
    a, b = _three_variants(tmp_path)
    c = compare_studies(read_study(a), read_study(b))
    raw = [r.diff.p for r in c.rows]
    assert [r.p_adjusted for r in c.rows] == pytest.approx(list(holm(raw)), abs=1e-12)
    by = {r.variant: r for r in c.rows}
    assert by["dropout"].verdict == "B higher"
    assert by["l2"].diff.p < 0.05 < by["l2"].p_adjusted  # raw alone would have called it
    assert by["l2"].verdict == "no clear difference"
    assert by["baseline"].verdict == "no clear difference"
    assert (c.correction, c.comparisons, c.alpha) == ("holm", 3, pytest.approx(0.05))
    none = compare_studies(read_study(a), read_study(b), correction="none")
    assert {r.variant: r.verdict for r in none.rows}["l2"] == "B higher"


def test_a_variant_without_two_values_is_not_compared_nor_counted(tmp_path):
    variants = {"baseline": {}, "dropout": {"model.dropout": 0.5}}
    spec = _spec(seeds=(0, 1, 2), variants=variants)
    a_vals = {**_values("baseline", [0.90, 0.92, 0.91]), ("dropout", 0): 0.9}
    a_vals |= {("dropout", 1): "failed", ("dropout", 2): "pending"}
    b_vals = {**_values("baseline", [0.93, 0.95, 0.94]), **_values("dropout", [0.9, 0.9, 0.9])}
    c = compare_studies(
        read_study(make_study(tmp_path / "a", a_vals, spec=spec)),
        read_study(make_study(tmp_path / "b", b_vals, spec=spec)),
    )
    by = {r.variant: r for r in c.rows}
    assert by["dropout"].verdict == "not compared" and math.isnan(by["dropout"].p_adjusted)
    assert dict(by["dropout"].a_other) == {"failed": 1, "pending": 1}
    assert c.comparisons == 1
    assert by["baseline"].p_adjusted == pytest.approx(by["baseline"].diff.p)  # m = 1


def test_variants_only_in_one_study_and_definition_differences(tmp_path):
    spec_a = _spec(
        seeds=(0, 1),
        variants={
            "baseline": {},
            "dropout": {"model.dropout": 0.5},
            "l1": {"regularization.l1": 0.001},
        },
    )
    spec_b = _spec(
        seeds=(0, 1, 2),
        variants={
            "baseline": {},
            "dropout": {"set": {"model.dropout": 0.3}, "against": "dropout"},
            "mixup": {"regularization.label_smoothing": 0.1},
        },
        base_set={"train.epochs": 5},
    )
    a_vals = {(v, s): 0.9 + s / 100 for v in ("baseline", "dropout", "l1") for s in (0, 1)}
    b_vals = {(v, s): 0.9 + s / 50 for v in ("baseline", "dropout", "mixup") for s in (0, 1, 2)}
    a = make_study(tmp_path / "a", a_vals, spec=spec_a)
    b = make_study(tmp_path / "b", b_vals, spec=spec_b, recipe_set={"data.limit": 300})
    c = compare_studies(read_study(a), read_study(b))
    assert [r.variant for r in c.rows] == ["baseline", "dropout"]
    assert (c.only_a, c.only_b) == (("l1",), ("mixup",))
    found = {d.what: (d.a, d.b) for d in c.differences}
    assert found["base_set.train.epochs"] == ("(not set)", "5")
    assert found["seeds"] == ("0, 1 (2 seeds)", "0, 1, 2 (3 seeds)")
    assert found["dropout: model.dropout"] == ("0.5", "0.3")
    assert found["dropout: against"] == ("baseline", "(reference)")
    # the stored recipes differ where the definitions do not say so: a changed built-in
    assert found["resolved recipe (every variant): data.limit"] == ("null", "300")
    assert not [w for w in found if w.startswith("resolved recipe") and "epochs" in w]


def test_recorded_trial_settings_are_compared(tmp_path):
    values = _values("baseline", A_BASE)
    a = make_study(tmp_path / "a", values, spec=_spec())
    b = make_study(tmp_path / "b", values, spec=_spec())
    with_settings(b, {"threads": 2, "torch": "2.4.1", "device": "cpu"})
    sa, sb = read_study(a), read_study(b)
    assert sb.schema_version == 2
    found = {d.what: (d.a, d.b) for d in compare_studies(sa, sb).differences}
    assert found == {"trial settings": ("not recorded", "device=cpu, threads=2, torch=2.4.1")}


def test_identical_studies_agree_everywhere(tmp_path):
    values = _values("baseline", A_BASE)
    a = make_study(tmp_path / "a", values, spec=_spec())
    c = compare_studies(read_study(a), read_study(a))
    assert c.differences == () and c.rows[0].diff.mean == 0
    assert c.rows[0].verdict == "no clear difference"


def test_different_metrics_or_directions_are_one_config_error(tmp_path):
    values = _values("baseline", A_BASE)
    a = make_study(tmp_path / "a", values, spec=_spec())
    b = make_study(
        tmp_path / "b",
        values,
        spec=_spec(metric="test_loss", higher_is_better=False),
        metric="test_loss",
    )
    with pytest.raises(ConfigError, match=r"test_acc.*test_loss.*expected the same metric"):
        compare_studies(read_study(a), read_study(b))
    c = make_study(tmp_path / "c", values, spec=_spec(higher_is_better=False))
    with pytest.raises(ConfigError, match="opposite directions"):
        compare_studies(read_study(a), read_study(c))


def test_unknown_correction_is_a_config_error(tmp_path):
    a = make_study(tmp_path / "a", _values("baseline", A_BASE), spec=_spec())
    with pytest.raises(ConfigError, match="nosuch"):
        compare_studies(read_study(a), read_study(a), correction="nosuch")


def _snapshot(folder):
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def test_reading_leaves_the_folder_untouched_even_while_a_study_writes(tmp_path):
    from trainlab.workflows.study.store import StudyStore

    a = make_study(tmp_path / "a", _values("baseline", A_BASE), spec=_spec())
    before = _snapshot(a)
    read_study(a)
    assert _snapshot(a) == before  # no -wal, no -shm, no lock, same bytes
    with StudyStore(a) as store:  # a running study: its write-ahead log exists
        store.add_trials([("baseline", 9, {})])
        assert (a / "study.sqlite-wal").exists()
        live = _snapshot(a)
        assert len(read_study(a).trials) == 5  # the log's trial is read
        assert {k: v for k, v in _snapshot(a).items() if k != "study.sqlite-shm"} == {
            k: v for k, v in live.items() if k != "study.sqlite-shm"
        }


def test_bad_folders_are_one_line_store_errors(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        read_study(tmp_path / "nosuch")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        read_study(tmp_path / "file")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match=r"has no study\.sqlite"):
        read_study(tmp_path / "empty")
    assert list((tmp_path / "empty").iterdir()) == []
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "study.sqlite").write_text("not a database")
    with pytest.raises(StoreError, match="not a SQLite database"):
        read_study(tmp_path / "text")
    (tmp_path / "foreign").mkdir()
    sqlite3.connect(tmp_path / "foreign" / "study.sqlite").execute("CREATE TABLE x (y)").close()
    with pytest.raises(StoreError, match="without trainlab's tables"):
        read_study(tmp_path / "foreign")


def test_stores_without_a_definition_or_of_a_future_schema_are_refused(tmp_path):
    from trainlab.workflows.study.store import StudyStore

    with StudyStore(tmp_path / "bare"):
        pass
    with pytest.raises(ConfigError, match="holds no study definition"):
        read_study(tmp_path / "bare")
    a = make_study(tmp_path / "a", _values("baseline", A_BASE), spec=_spec())
    conn = sqlite3.connect(a / "study.sqlite")
    with conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(StoreError, match="schema version 99"):
        read_study(a)
