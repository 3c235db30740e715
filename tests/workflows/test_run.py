import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import TrainingDiverged
from trainlab.engine.history import History
from trainlab.io.model_file import load_model
from trainlab.workflows.evaluate import evaluate_checkpoint
from trainlab.workflows.run import run_recipe

EXPECTED = {
    "recipe.yaml",
    "history.csv",
    "metrics.json",
    "model.safetensors",
    "curves.png",
    "confusion.png",
    "report.html",
}


def test_run_writes_complete_folder(tiny_digits, tmp_path):
    result = run_recipe(tiny_digits, out_dir=tmp_path, name="r")
    assert result.folder == tmp_path / "r"
    assert {p.name for p in result.folder.iterdir()} == EXPECTED
    assert not list(tmp_path.glob(".*partial"))
    metrics = json.loads((result.folder / "metrics.json").read_text())
    for key in ("train_acc", "val_acc", "test_acc", "test_loss", "gap", "verdict", "epochs_run"):
        assert key in metrics
    assert metrics["test_acc"] > 0.3  # 3 tiny epochs, far above chance (0.1)
    hist = History.read_csv(result.folder / "history.csv")
    assert [r["epoch"] for r in hist.rows] == [1, 2, 3]
    assert Recipe.load(result.folder / "recipe.yaml") == tiny_digits


def test_same_seed_same_metrics_and_rerun_from_saved_recipe(tiny_wine, tmp_path):
    a = run_recipe(tiny_wine, out_dir=tmp_path)
    again = Recipe.load(a.folder / "recipe.yaml")
    b = run_recipe(again, out_dir=tmp_path)
    assert a.folder != b.folder
    for key in ("train_loss", "val_loss", "test_loss", "test_acc"):
        assert a.metrics[key] == b.metrics[key]
    c = run_recipe(tiny_wine.override({"seed": 1}), out_dir=tmp_path)
    assert c.metrics["train_loss"] != a.metrics["train_loss"]


def test_checkpoint_carries_preprocessing_and_evaluates_the_same(tiny_digits, tmp_path):
    result = run_recipe(tiny_digits, out_dir=tmp_path)
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["classes"] == [str(i) for i in range(10)]
    assert meta["stages"] == ["stage1", "stage2"]
    assert meta["preprocess"]["pipeline"]["normalizer"]["name"] == "standard"
    assert meta["recipe"]["model"]["widths"] == [16, 32]
    m = evaluate_checkpoint(result.folder / "model.safetensors", split="test")
    assert m["acc"] == pytest.approx(result.metrics["test_acc"])
    assert m["loss"] == pytest.approx(result.metrics["test_loss"], rel=1e-5)


def test_ensemble_members_and_average(tiny_wine, tmp_path):
    r = tiny_wine.override({"ensemble.members": 3})
    result = run_recipe(r, out_dir=tmp_path)
    assert len(result.models) == 3 and len(result.metrics["members"]) == 3
    w = [m.stage("stage1")[1].weight for m in result.models]
    assert not torch.equal(w[0], w[1])  # different seeds
    hist = History.read_csv(result.folder / "history.csv")
    assert sorted({r["member"] for r in hist.rows}) == [0, 1, 2]
    models, _ = load_model(result.folder / "model.safetensors")
    assert len(models) == 3


def test_mc_dropout_evaluation(tiny_wine, tmp_path):
    r = tiny_wine.override({"ensemble.mc_dropout": 8, "model.dropout": 0.5})
    result = run_recipe(r, out_dir=tmp_path)
    assert "members" in result.metrics and "test_acc" in result.metrics


def test_early_stopping_stops_and_restores(tiny_wine, tmp_path):
    r = tiny_wine.override(
        {
            "train.epochs": 200,
            "early_stopping.enabled": True,
            "early_stopping.patience": 2,
            "optimizer.lr": 0.05,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    assert result.metrics["epochs_run"] < 200
    best = result.metrics["best_epoch"]
    hist = result.history.rows
    assert min(hist, key=lambda row: row["val_loss"])["epoch"] == best
    assert result.metrics["val_loss"] == pytest.approx(hist[best - 1]["val_loss"], rel=1e-5)


def test_every_strategy_runs(tiny_digits, tmp_path):
    r = tiny_digits.override(
        {
            "regularization.l1": 1e-5,
            "regularization.l2": 1e-4,
            "regularization.input_noise": 0.1,
            "regularization.label_smoothing": 0.1,
            "regularization.label_flip": 0.05,
            "regularization.weight_noise": 0.01,
            "model.dropout": 0.2,
            "init.scheme": "glorot-normal",
            "optimizer.name": "sgd",
            "optimizer.nesterov": True,
            "schedule.name": "cosine",
            "train.clip_grad_norm": 1.0,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    assert result.metrics["test_acc"] > 0.2


def test_nan_loss_stops_and_keeps_last_good_checkpoint(tiny_digits, tmp_path):
    r = tiny_digits.override(
        {
            "optimizer.name": "sgd",
            "optimizer.lr": 1e6,
            "model.batch_norm": False,
            "schedule.name": "constant",
            "train.epochs": 5,
        }
    )
    with pytest.raises(TrainingDiverged, match="loss became") as diverged:
        run_recipe(r, out_dir=tmp_path, name="nan")
    assert diverged.value.epoch is not None and diverged.value.epoch >= 1  # where it diverged
    assert not (tmp_path / "nan").exists()
    assert (tmp_path / ".nan.partial" / "recipe.yaml").exists()


def _default_sigint() -> None:
    # a shell without job control starts background jobs with SIGINT ignored, and an
    # ignored signal stays ignored across exec: give the child the terminal's default
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cli(*args, **kw):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "trainlab.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
        **kw,
    )


#: the interrupted run: two members, so that the kill lands in the second one
KILLED_RUN = [
    "data.limit=600",
    "model.widths=[8, 16]",
    "train.epochs=8",
    "train.batch_size=32",
    "ensemble.members=2",
    "train.threads=1",
]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The same run, never interrupted (shared by both signals)."""
    return run_recipe(
        Recipe.load("digits-cnn").override([*KILLED_RUN, "train.progress=false"]),
        out_dir=tmp_path_factory.mktemp("uninterrupted"),
    )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_run_resumes_to_the_same_result(tmp_path, sig, uninterrupted):
    sets = KILLED_RUN
    args = ["run", "digits-cnn", "--out-dir", str(tmp_path / "a"), "--name", "x", "-q"]
    for s in sets:
        args += ["--set", s]
    proc = _cli(*args)
    from trainlab.io.checkpoint import read_metadata

    partial = tmp_path / "a" / ".x.partial"
    deadline = time.time() + 120

    def in_second_member() -> bool:
        try:
            return read_metadata(partial / "state.safetensors").get("member") == 1
        except Exception:  # not written yet, or being replaced
            return False

    # kill as soon as the second member has saved an epoch: 7 of its 8 remain
    while not in_second_member() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, "the run finished before it could be interrupted"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "Traceback" not in err
        assert f"--resume {tmp_path / 'a' / '.x.partial'}" in err
    assert not (tmp_path / "a" / "x").exists()
    resumed = run_recipe(Recipe(), resume=partial)
    reference = uninterrupted
    assert resumed.folder == tmp_path / "a" / "x"
    for key in ("train_loss", "val_loss", "test_loss", "test_acc"):
        assert resumed.metrics[key] == reference.metrics[key], key

    def without_time(rows):
        return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]

    assert without_time(resumed.history.rows) == without_time(reference.history.rows)


# -- the diagnosis of a run: named accuracies, the recipe's remedies, the budget ---------------
#: the issue's one-epoch digits run: about six optimizer steps, chance-level results
SIX_STEPS = ["train.epochs=1", "data.limit=500", "train.progress=false"]


def test_a_six_step_run_is_warned_about_and_its_numbers_agree(tmp_path):
    from trainlab.engine.diagnose.messages import pct

    result = run_recipe(Recipe.load("digits-cnn").override(SIX_STEPS), out_dir=tmp_path)
    m, d = result.metrics, result.diagnosis
    assert d is not None and d.verdict == m["verdict"]
    running = result.history.rows[-1]["train_acc"]
    assert running != m["train_acc"]  # two accuracies, and the diagnosis names both
    assert f"training accuracy {pct(m['train_acc'])} with the final weights" in d.message
    assert f"{pct(running)} running during the epoch" in d.message
    assert len(d.warnings) == 2
    assert "only 6 optimizer steps (1 epoch × 6 batches of 64 examples)" in d.warnings[0]
    assert "no better than chance" in d.warnings[1]
    assert "raise `optimizer.lr` from 0.003 to 0.009" in d.warnings[1]
    remedies = " ".join(d.remedies)  # digits-cnn: batch normalization on, He initialization
    assert "model.batch_norm" not in remedies and "init.scheme" not in remedies
    page = (result.folder / "report.html").read_text(encoding="utf-8")
    assert "Budget warning" in page and "only 6 optimizer steps" in page
    assert "Training accuracy (final weights)" in page
    assert "Training accuracy (running, during epoch)" in page


def test_a_normal_run_has_no_budget_warning(tiny_digits, tmp_path):
    result = run_recipe(tiny_digits.override({"train.epochs": 4}), out_dir=tmp_path)  # 56 steps
    assert result.diagnosis is not None and result.diagnosis.warnings == []
    assert "Budget warning" not in (result.folder / "report.html").read_text(encoding="utf-8")


def test_recipe_facts_and_budget_come_from_the_recipe_and_data():
    from trainlab.workflows.final import final_accuracies, recipe_facts

    f = recipe_facts(Recipe.load("mnist1d-cnn").override({"init.scheme": "kaiming-normal"}))
    assert (f.batch_norm, f.init, f.dropout, f.lr, f.epochs, f.batch_size) == (
        True,
        "he-normal",
        0.1,
        0.003,
        40,
        64,
    )
    assert f.weight_decay == 1e-4 and f.widths == (32, 64, 128) and f.augment == ()
    members = [{"train_acc": 0.9, "val_acc": 0.8}, {"train_acc": 0.95, "val_acc": 0.85}]
    ensemble = {"train_acc": 0.97, "val_acc": 0.9, "members": members}
    assert final_accuracies(ensemble).train == 0.9  # member 0, whose curves are diagnosed
    assert final_accuracies({"train_acc": 0.97, "members": members[:1]}).train == 0.97
