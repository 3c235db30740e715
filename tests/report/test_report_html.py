"""The self-contained run report of trainlab.report.html."""

from __future__ import annotations

import base64
import math
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

import trainlab
from htmlcheck import parse
from trainlab.engine.diagnose import diagnose
from trainlab.report import (
    plot_confusion_matrix,
    plot_learning_curves,
    render_run_report,
    write_run_report,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WHEN = datetime(2025, 5, 1, 12, 30, tzinfo=timezone.utc)


def make_history(n: int = 12) -> list[dict]:
    vl = [0.60, 0.35, 0.22, 0.15, 0.11, 0.09, 0.081, 0.085, 0.092, 0.10, 0.105, 0.112][:n]
    tl = [0.55, 0.30, 0.18, 0.11, 0.075, 0.05, 0.035, 0.025, 0.018, 0.013, 0.010, 0.008][:n]
    ta = [0.85, 0.91, 0.94, 0.96, 0.975, 0.985, 0.99, 0.993, 0.995, 0.997, 0.998, 0.999][:n]
    va = [0.84, 0.90, 0.93, 0.95, 0.965, 0.972, 0.975, 0.975, 0.974, 0.973, 0.973, 0.972][:n]
    return [
        {
            "epoch": i + 1,
            "train_loss": tl[i],
            "train_acc": ta[i],
            "val_loss": vl[i],
            "val_acc": va[i],
            "lr": 1e-3,
            "seconds": 3.4,
            "grad_norm": 0.7,
        }
        for i in range(n)
    ]


RECIPE = {
    "name": "digits-cnn",
    "seed": 0,
    "data": {"dataset": "digits"},
    "model": {"name": "cnn", "widths": [16, 32], "dropout": 0.2},
    "optimizer": {"name": "adam", "lr": 0.001},
    "train": {"epochs": 12},
}
METRICS = {
    "test_acc": 0.9812,
    "test_loss": 0.071,
    "val_acc": 0.972,
    "train_acc": 0.999,
    "epochs_run": 12,
    "best_epoch": 7,
    "seconds": 41.2,
}
CLASSES = [str(i) for i in range(10)]


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("figures")
    cm = np.eye(10, dtype=int) * 30 + 1
    return {
        "learning_curves": plot_learning_curves(make_history(), folder / "lc.png", mark_epoch=7),
        "confusion_matrix": plot_confusion_matrix(cm, CLASSES, folder / "cm.png"),
        "lr_finder": plot_learning_curves(make_history(3), folder / "extra.png"),
    }


def report(figs: dict[str, Path], **overrides) -> str:
    history = overrides.pop("history", make_history())
    kwargs = {
        "title": "digits CNN",
        "recipe": RECIPE,
        "metrics": METRICS,
        "history": history,
        "diagnosis": diagnose(history),
        "figures": figs,
        "data_summary": {
            "dataset": "digits",
            "n_train": 1257,
            "n_val": 180,
            "n_test": 360,
            "classes": CLASSES,
            "input_shape": [1, 8, 8],
        },
        "generated": WHEN,
    }
    kwargs.update(overrides)
    return render_run_report(**kwargs)


def test_page_is_well_formed_html5(figures):
    page = report(figures)
    assert page.startswith("<!DOCTYPE html>")
    checker = parse(page)
    assert checker.errors == []
    assert checker.stack == []
    assert checker.decls == ["DOCTYPE html"]
    assert checker.tags["html"] == checker.tags["head"] == checker.tags["body"] == 1
    assert checker.tags["title"] == 1 and checker.tags["h1"] == 1


def test_every_figure_is_an_embedded_png(figures):
    checker = parse(report(figures))
    assert len(checker.images) == len(figures)
    for img in checker.images:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert data[:8] == PNG_SIGNATURE
        assert img.get("alt")
    embedded = {base64.b64decode(i["src"].split(",", 1)[1]) for i in checker.images}
    assert embedded == {p.read_bytes() for p in figures.values()}


def test_page_is_self_contained(figures):
    page = report(figures)
    checker = parse(page)
    assert checker.tags["script"] == 0
    assert checker.tags["link"] == 0
    assert checker.tags["style"] == 1
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", page)
    assert "@import" not in page and "url(" not in page


def test_headline_verdict_and_remedies_appear(figures):
    page = report(figures)
    checker = parse(page)
    text = checker.text
    assert "98.1%" in text  # test accuracy, big
    assert "97.20%" in text and "99.90%" in text  # validation and training accuracy
    assert "+2.7 pts" in text  # the gap
    assert "41.2 s" in text
    assert "Overfitting" in text
    assert "verdict-overfitting" in checker.classes
    assert "the model is overfitting from epoch 7" in text
    assert "<code>model.dropout</code>" in page
    assert "<code>early_stopping.enabled: true</code>" in page


def test_sections_history_data_recipe_and_footer(figures):
    page = report(figures)
    checker = parse(page)
    text = checker.text
    for heading in (
        "Headline metrics",
        "Learning curves",
        "Confusion matrix",
        "More figures",
        "Training history",
        "Data",
        "Recipe",
    ):
        assert heading in text
    assert checker.tags["tr"] >= 12 + 1  # one row per epoch and a header
    assert 'class="marked"' in page  # best epoch highlighted
    assert "grad_norm" not in text  # unknown history keys are left out
    assert "1 × 8 × 8" in text and "1,257" in text
    assert "dropout: 0.2" in page and "widths:" in page
    assert f"trainlab {trainlab.__version__}" in text
    assert "2025-05-01 12:30 UTC" in text


def test_user_strings_are_escaped(figures):
    evil = "<script>alert('x')</script>"
    page = report(
        figures,
        title=evil,
        recipe={**RECIPE, "name": evil},
        metrics={**METRICS, "members": [{"note": evil, "test_acc": 0.9}]},
        data_summary={
            "dataset": evil,
            "classes": ["<script>", "<b>bold</b>", "Ankle boot"],
            "notes": [evil],
        },
    )
    checker = parse(page)
    assert checker.errors == [] and checker.stack == []
    assert checker.tags["script"] == 0
    assert checker.tags["b"] == 0
    assert "&lt;script&gt;" in page
    assert "<script>" in checker.text  # shown as text


def test_history_without_validation(figures):
    history = [
        {"epoch": e, "train_loss": 1 / e, "train_acc": 1 - 0.3 / e, "lr": 0.01} for e in (1, 2, 3)
    ]
    page = report(
        {"learning_curves": figures["learning_curves"]},
        history=history,
        metrics={"test_acc": 0.9},
        data_summary=None,
    )
    checker = parse(page)
    assert checker.errors == [] and checker.stack == []
    assert "val loss" not in checker.text
    assert "No figure was made" in checker.text  # the confusion matrix
    assert "Data" not in [h for h in re.findall(r"<h2[^>]*>([^<]*)</h2>", page)]


def test_ensemble_members_table(figures):
    members = [
        {"seed": 0, "test_acc": 0.975, "test_loss": 0.08},
        {"seed": 1, "test_acc": 0.978, "test_loss": 0.077},
    ]
    page = report(figures, metrics={**METRICS, "members": members})
    checker = parse(page)
    assert "Ensemble members" in checker.text
    assert "97.50%" in checker.text and "97.80%" in checker.text
    assert "ensemble of 2" in checker.text
    assert "Ensemble members" not in parse(report(figures)).text


def test_figure_keys_may_be_titles(figures):
    titled = {
        "Learning curves": figures["learning_curves"],
        "Confusion matrix (test)": figures["confusion_matrix"],
    }
    checker = parse(report(titled))
    assert checker.errors == [] and checker.stack == []
    assert len(checker.images) == 2
    assert "More figures" not in checker.text
    assert "No figure was made" not in checker.text
    assert "Confusion matrix (test)" in checker.text  # the key becomes the caption


def test_all_scalar_metrics_are_listed(figures):
    page = report(figures, metrics={**METRICS, "wall_seconds": 50.0, "verdict": "overfitting"})
    text = parse(page).text
    assert "All final metrics" in text
    assert "wall_seconds" in text and "50.0 s" in text


def test_missing_figure_is_reported_not_fatal(figures, tmp_path):
    page = report(figures, figures={"learning_curves": tmp_path / "nope.png"})
    checker = parse(page)
    assert checker.images == []
    assert "Figure not found" in checker.text


def test_every_verdict_renders(figures):
    histories = {
        "diverged": [{"epoch": 1, "train_loss": 1.0}, {"epoch": 2, "train_loss": math.nan}],
        "underfitting": [{"epoch": 1, "train_loss": 0.5}],
        "good fit": None,
    }
    for verdict, history in histories.items():
        kwargs = {} if history is None else {"history": history}
        if history is None:
            good = [
                {
                    "epoch": e,
                    "train_loss": 0.1 + math.exp(-e),
                    "val_loss": 0.12 + math.exp(-e),
                    "train_acc": 0.98 - math.exp(-e) / 3,
                    "val_acc": 0.97 - math.exp(-e) / 3,
                }
                for e in range(1, 16)
            ]
            kwargs = {"history": good}
        page = report(figures, **kwargs)
        checker = parse(page)
        assert checker.errors == [] and checker.stack == []
        slug = "verdict-" + verdict.replace(" ", "-")
        assert slug in checker.classes, verdict


def test_write_run_report_is_atomic(figures, tmp_path):
    target = tmp_path / "run" / "report.html"
    history = make_history()
    kwargs = {
        "title": "digits",
        "recipe": RECIPE,
        "metrics": METRICS,
        "history": history,
        "diagnosis": diagnose(history),
        "figures": figures,
        "generated": WHEN,
    }
    out = write_run_report(target, **kwargs)
    assert out == target
    assert target.read_text(encoding="utf-8") == render_run_report(**kwargs)
    before = target.read_bytes()
    with pytest.raises(TypeError):
        write_run_report(target, **{k: v for k, v in kwargs.items() if k != "diagnosis"})
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_each_training_accuracy_is_named_and_the_gap_says_what_it_subtracts(figures):
    history = make_history()
    history[-1]["train_acc"] = 0.95  # running, during the last epoch: below the final weights'
    text = parse(report(figures, history=history, metrics={**METRICS, "gap": 0.0178})).text
    assert "Training accuracy (final weights)" in text and "99.90%" in text
    assert "Training accuracy (running, during epoch)" in text and "95.00%" in text
    assert "epoch 12: dropout on, weights moving" in text
    assert "Gap (train − test)" in text and "+1.8 pts" in text
    assert "accuracy points, final weights" in text
    assert "Gap (train − val)" in parse(report(figures, history=history)).text
    assert "train acc (running)" in text  # the history table's column
    running_only = parse(report(figures, history=history, metrics={"test_acc": 0.9})).text
    assert "Training accuracy (final weights)" not in running_only
    assert "Gap (running train − val)" in running_only and "-2.2 pts" in running_only


def test_budget_warnings_show_under_the_diagnosis(figures):
    from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, RecipeFacts

    history = [{"epoch": 1, "train_loss": 2.3, "train_acc": 0.157, "val_acc": 0.1}]
    d = diagnose(
        history,
        final=FinalAccuracies(train=0.1, val=0.1, test=0.1),
        recipe=RecipeFacts(lr=0.003, epochs=1, batch_size=64),
        budget=Budget(epochs=1, examples=350, batch_size=64, classes=10),
    )
    page = report(figures, history=history, diagnosis=d)
    checker = parse(page)
    assert checker.errors == [] and checker.stack == []
    assert "Budget warning" in checker.text and "only 6 optimizer steps" in checker.text
    assert "<code>optimizer.lr</code>" in page
    spanish = parse(report(figures, history=history, diagnosis=d, lang="es")).text
    assert "Aviso de presupuesto" in spanish and "6 pasos de optimización" in spanish
    assert "Budget warning" not in parse(report(figures)).text
