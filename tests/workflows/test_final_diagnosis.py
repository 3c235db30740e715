"""A run's diagnosis follows its task: the final scores, the budget and the verdict's metric."""

from __future__ import annotations

import pytest

from trainlab.config.recipe import Recipe
from trainlab.workflows.final import final_accuracies, run_budget
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.run import run_recipe


def test_final_scores_of_a_regression_and_of_a_main_target():
    m = {"train_r2": 0.73, "val_r2": 0.54, "test_r2": 0.2, "train_rmse": 40.0, "val_rmse": 55.2}
    f = final_accuracies(m, 88, "rmse")
    assert (f.metric, f.train, f.val, f.test, f.val_examples) == ("rmse", 0.73, 0.54, 0.2, 88)
    assert (f.train_value, f.val_value, f.test_value) == (40.0, 55.2, None)
    mt = final_accuracies({"train_digit_acc": 0.99, "val_digit_acc": 0.9}, 300, "digit_acc")
    assert (mt.train, mt.val, mt.metric, mt.train_value) == (0.99, 0.9, "digit_acc", None)
    members = [{"train_r2": 0.6, "val_r2": 0.5}, {"train_r2": 0.7, "val_r2": 0.4}]
    assert final_accuracies({"train_r2": 0.65, "members": members}, metric="rmse").train == 0.6
    assert final_accuracies({"train_acc": 0.97}).train == 0.97  # classification, as before


class _Members:
    """What run_budget reads of the trained members: member 0's history."""

    def __init__(self, epochs: int) -> None:
        self.first = type("First", (), {"history": [{}] * epochs})()


@pytest.fixture(scope="module")
def linnerud() -> tuple[Recipe, object]:
    recipe = Recipe.load("wine-mlp").override(
        {"data.dataset": "linnerud", "task.targets": ["weight", "waist", "pulse"]}
    )
    return recipe, prepare_data(recipe)


def test_the_budget_of_a_regression_has_no_chance_level(linnerud):
    recipe, data = linnerud
    budget = run_budget(recipe, data, _Members(3), "weight")  # type: ignore[arg-type]
    assert budget.classes is None and budget.majority is None and budget.chance is None
    assert budget.examples == len(data.train[0]) and budget.epochs == 3


def test_the_budget_of_a_multitask_run_is_its_main_target_s():
    import torch

    from trainlab.data._bundle import Target
    from trainlab.workflows.prepare import PreparedData

    digit = torch.arange(100) % 10
    parity = (torch.arange(100) < 70).long()  # 70% in one class
    data = PreparedData(
        train=(torch.zeros(100, 4), {"digit": digit, "parity": parity}),
        val=None,
        test=None,
        classes=[str(i) for i in range(10)],
        modality="tabular",
        in_shape=(4,),
        preprocessor=None,  # type: ignore[arg-type]
        image=None,
        targets=[
            Target("digit", "classification", tuple(str(i) for i in range(10))),
            Target("parity", "classification", ("even", "odd")),
        ],
    )
    recipe = Recipe.load("wine-mlp")
    first = run_budget(recipe, data, _Members(2))  # type: ignore[arg-type]
    assert (first.classes, first.majority) == (10, pytest.approx(0.1))
    main = run_budget(recipe, data, _Members(2), "parity")  # type: ignore[arg-type]
    assert (main.classes, main.majority, main.chance) == (2, pytest.approx(0.7), pytest.approx(0.7))


def test_a_regression_run_is_diagnosed_in_rmse(tmp_path):
    recipe = Recipe.load("wine-mlp").override(
        {"data.dataset": "diabetes", "train.epochs": 4, "train.progress": False}
    )
    result = run_recipe(recipe, out_dir=tmp_path)
    d = result.diagnosis
    assert d is not None and d.details["metric"] == "rmse"
    assert "train_r2" in d.details and "train_acc" not in d.details
    assert d.details["train_r2"] == result.metrics["train_r2"]
    assert "accuracy" not in d.message and "accuracy" not in " ".join(d.warnings)
    page = (result.folder / "report.html").read_text(encoding="utf-8")
    assert "Test RMSE" in page and "Confusion matrix" not in page
