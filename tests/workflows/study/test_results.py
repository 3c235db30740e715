"""A study's typed results: the CSV and JSON beside the report, and an adaptive study's looks."""

import csv
import io
from types import SimpleNamespace as T

from trainlab.workflows.study.adaptive import AdaptivePlan, replay
from trainlab.workflows.study.comparisons import summarize_study
from trainlab.workflows.study.results import (
    results_csv,
    sequential_looks,
    summary_dict,
)
from trainlab.workflows.study.spec import StudySpec

SPEC = {"name": "r", "base": "wine-mlp", "seeds": [0, 1], "variants": {"baseline": {}, "l2": {}}}


def _trials():
    out = [
        T(
            variant=v,
            seed=s,
            status="done",
            metrics={"test_acc": a + s / 100, "seconds": 1.0},
            error=None,
        )
        for v, a in (("baseline", 0.9), ("l2", 0.95))
        for s in (0, 1)
    ]
    out.append(
        T(variant="l2", seed=2, status="diverged", metrics={"diverged_epoch": 3}, error=None)
    )
    out.append(
        T(variant="l2", seed=3, status="failed", metrics=None, error="ConfigError: bad\ntraceback")
    )
    return out


def test_results_csv_has_a_row_per_trial_with_its_status_and_the_errors_first_line():
    rows = list(csv.DictReader(io.StringIO(results_csv(_trials(), "test_acc"))))
    assert [r["status"] for r in rows] == ["done"] * 4 + ["diverged", "failed"]
    assert rows[4]["diverged_epoch"] == "3"
    assert rows[5]["error"] == "ConfigError: bad"
    assert float(rows[0]["test_acc"]) == 0.9


def test_summary_dict_is_flat_and_names_the_reference_and_the_correction():
    spec = StudySpec.from_dict(SPEC)
    rows = {r.variant: summary_dict(r) for r in summarize_study(spec, _trials())}
    assert rows["l2"]["against"] == "baseline" and rows["l2"]["correction"] == "holm"
    assert rows["l2"]["diverged"] == 1 and rows["l2"]["effect"] == "diverges"
    assert {"mean", "lo", "hi", "n", "p_adjusted", "detectable"} <= set(rows["l2"])


def test_a_study_that_is_not_adaptive_has_no_looks_and_an_adaptive_one_has_each():
    assert sequential_looks(None) is None
    spec = StudySpec.from_dict(SPEC)
    trials = [t for t in _trials() if t.status == "done"]
    outcome = replay(spec, AdaptivePlan(max_seeds=2), trials)
    looks = sequential_looks(outcome)
    assert looks.max_seeds == 2 and looks.spending == "obrien-fleming"
    assert [(x.seeds, x.open) for x in looks.looks] == [(2, len(outcome.looks[0].open))]
    assert looks.looks[0].level == outcome.looks[0].level


def test_a_variant_that_is_its_own_reference_is_a_reference_not_compared_with_the_baseline():
    spec = StudySpec.from_dict(
        {
            **SPEC,
            "variants": {
                "baseline": {},
                "deep": {"against": "deep", "set": {}},
                "deep-l2": {"against": "deep", "set": {}},
            },
        }
    )
    trials = [
        T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + s / 100}, error=None)
        for v in ("baseline", "deep", "deep-l2")
        for s in (0, 1)
    ]
    rows = {r.variant: r for r in summarize_study(spec, trials)}
    assert rows["deep"].reference is None and rows["deep"].effect == "baseline"
    assert rows["deep-l2"].reference == "deep"
