"""The metric a study compares follows its task: test_rmse (lower is better) for a regression."""

import html
import json
import re
from types import SimpleNamespace as T

import pytest

from htmlcheck import parse
from studykit import make_study, spec_dict
from trainlab.core.errors import ConfigError
from trainlab.workflows.study import metric as study_metric
from trainlab.workflows.study.comparisons import summarize_study
from trainlab.workflows.study.metric import check_reported, resolve_metric
from trainlab.workflows.study.runner import run_study
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore

REGRESSION = {
    "data": {"dataset": "diabetes", "limit": 200},
    "model": {"name": "mlp", "widths": [8]},
    "train": {"epochs": 2},
}
VARIANTS = {"baseline": {}, "wide": {"model.widths": [32]}}


def _spec(**kw):
    data = {"name": "reg", "base": REGRESSION, "seeds": [0, 1], "probes": False}
    return StudySpec.from_dict({**data, "variants": VARIANTS, **kw})


def test_a_spec_leaves_the_metric_to_its_task_until_the_study_runs():
    spec = _spec()
    assert spec.metric is None and spec.higher_is_better is None
    assert spec.to_dict()["metric"] is None  # a --set may still change the task
    chosen = resolve_metric(spec)
    assert (chosen.metric, chosen.higher_is_better) == ("test_rmse", False)
    assert chosen.to_dict()["metric"] == "test_rmse" and spec.metric is None
    wine = resolve_metric(StudySpec.from_dict(spec_dict()))
    assert (wine.metric, wine.higher_is_better) == ("test_acc", True)


def test_a_stated_metric_has_its_own_direction_and_a_stated_direction_wins():
    assert _spec(metric="test_r2").higher_is_better is True
    assert _spec(metric="test_mae").higher_is_better is False
    assert resolve_metric(_spec(higher_is_better=True)).higher_is_better is True
    assert _spec(metric="seconds", higher_is_better=False).higher_is_better is False
    with pytest.raises(ConfigError, match=r"metric 'seconds': its direction is unknown"):
        _spec(metric="seconds")


def test_the_chosen_metric_is_kept_in_the_store(tmp_path, monkeypatch):
    with StudyStore(tmp_path) as store, store.lock():
        assert resolve_metric(_spec(), store).metric == "test_rmse"

        def prepare(recipe):
            raise AssertionError("the data were prepared again")

        monkeypatch.setattr(study_metric, "task_primary", prepare)
        assert resolve_metric(_spec(), store).metric == "test_rmse"
        with pytest.raises(AssertionError):  # another base recipe: chosen anew
            resolve_metric(_spec(base_set={"data.limit": 150}), store)


def test_a_lower_rmse_helps():
    spec = resolve_metric(_spec())
    trials = [
        T(variant=v, seed=s, status="done", metrics={"test_rmse": r + s + (v == "wide") * s / 3})
        for v, r in (("baseline", 60.0), ("wide", 52.0))
        for s in (0, 1, 2)
    ]
    rows = {s.variant: s for s in summarize_study(_spec(), trials)}
    assert rows["wide"].diff.mean < 0 and rows["wide"].effect == "helps"
    assert rows["wide"].rank == 1 and rows["baseline"].rank == 2
    worse = [
        T(**{**vars(t), "metrics": {"test_rmse": 120 - t.metrics["test_rmse"]}}) for t in trials
    ]
    assert {s.variant: s for s in summarize_study(spec, worse)}["wide"].effect == "hurts"


def test_a_metric_no_trial_reports_names_the_ones_they_do():
    trials = [T(variant="baseline", seed=0, status="done", metrics={"test_rmse": 1.0, "gap": 0.1})]
    check_reported(_spec(metric="test_rmse"), trials)
    check_reported(_spec(metric="test_parity_acc"), [T(variant="b", status="failed", metrics=None)])
    with pytest.raises(
        ConfigError,
        match=r"metric 'test_parity_acc': no trial reports it; "
        r"the trials report gap, test_rmse \(the trials are kept",
    ):
        check_reported(_spec(metric="test_parity_acc"), trials)


def test_a_stored_study_on_a_metric_its_trials_lack_stops_before_its_report(tmp_path):
    values = {(v, s): 0.9 + s / 100 for v in ("baseline", "dropout") for s in (0, 1, 2)}
    folder = make_study(tmp_path / "demo", values)
    spec = StudySpec.from_dict({**spec_dict(), "metric": "test_digit_acc"})
    with pytest.raises(
        ConfigError, match=r"no trial reports it; the trials report seconds, test_acc"
    ):
        run_study(spec, folder=folder, progress=False, echo=None, allow_mixed=True)
    assert not (folder / "report.html").exists()


def _text(page: str) -> str:
    return " ".join(parse(page).text.split())


def test_a_regression_study_compares_test_rmse_and_says_rmse(tmp_path):
    said = []
    result = run_study(_spec(), out_dir=tmp_path, progress=False, echo=said.append)
    folder = tmp_path / "reg"
    assert result.counts["done"] == 4 and (result.metric, result.higher_is_better) == (
        "test_rmse",
        False,
    )
    summary = json.loads((folder / "summary.json").read_text())
    assert (summary["metric"], summary["higher_is_better"], summary["gap_metric"]) == (
        "test_rmse",
        False,
        "rmse",
    )
    with StudyStore(folder) as store:
        assert store.get_meta("spec")["metric"] == "test_rmse"
        assert {t.metrics["primary_metric"] for t in store.trials()} == {"rmse"}
    page = _text((folder / "report.html").read_text(encoding="utf-8"))
    md = html.unescape(re.sub(r"\\(.)", r"\1", (folder / "report.md").read_text(encoding="utf-8")))
    table = result.table
    assert "compared on test RMSE (lower is better)" in page
    assert "compared on test RMSE (lower is better)" in " ".join(md.split())
    assert "The gap is test − train RMSE" in page and "Lower test RMSE is better" in page
    assert table.splitlines()[0].split()[2] == "test_rmse" and "gap: test − train RMSE." in table
    for text in (page, md, table):
        assert "accuracy" not in text.lower() and "points" not in text
    assert sorted(p.name for p in (folder / "figures").iterdir()) == [
        "curves_val_loss.png",
        "curves_val_rmse.png",
        "differences.png",
        "gap.png",
        "metric.png",
    ]
    assert "Validation RMSE per epoch" in page
    head = (folder / "results.csv").read_text().splitlines()[0].split(",")
    assert head[3:7] == ["test_rmse", "test_loss", "val_rmse", "train_rmse"]
