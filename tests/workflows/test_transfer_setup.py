"""A transfer, end to end: copied weights, frozen stages, learning rates in the history."""

import pytest
import torch

from trainlab.io.model_file import load_model
from trainlab.models import build_model
from trainlab.workflows.run import run_recipe
from trainlab.workflows.transfer_setup import Transfer
from transferkit import TASK_B, tiny


def _target(base, **kw):
    return tiny(**{"data.classes": TASK_B, "transfer.checkpoint": str(base), **kw})


def test_frozen_stages_are_bit_identical_after_training(base_a, tmp_path):
    r = _target(
        base_a, **{"transfer.strategy": "freeze-first-n", "transfer.freeze": 1, "train.epochs": 3}
    )
    result = run_recipe(r, out_dir=tmp_path)
    (source,), _ = load_model(base_a)
    tuned = result.models[0]
    for key, value in source.stage("stage1").state_dict().items():  # weights and BN statistics
        assert torch.equal(tuned.stage("stage1").state_dict()[key], value), key
    moved = [
        k
        for k, v in source.stage("stage2").state_dict().items()
        if not torch.equal(tuned.stage("stage2").state_dict()[k], v)
    ]
    assert moved, "the fine-tuned stage did not train"
    rows = result.history.rows
    assert [r["frozen"] for r in rows] == [1, 1, 1]
    assert all(r["lr_stage1"] == 0 and r["lr_stage2"] == r["lr_head"] > 0 for r in rows)
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["transfer"]["strategy"] == "freeze-first-n"
    assert meta["transfer"]["frozen"] == ["stage1"] and meta["transfer"]["head"] == "new"


def test_a_frozen_stage_runs_in_eval_mode_while_the_model_trains(base_a):
    r = _target(base_a, **{"transfer.strategy": "head-only"})
    model = build_model(r.model, (1, 28, 28), 5)
    setup = Transfer.from_recipe(r).attach(model, [str(c) for c in TASK_B])
    model.set_frozen(setup.plan.frozen_at(1))
    model.train()
    assert model.training and model.head.training
    for name in model.stage_names:
        assert not any(m.training for m in model.stage(name).modules()), name


def test_gradual_unfreezing_shows_in_the_history(base_a, tmp_path):
    r = _target(base_a, **{"transfer.strategy": "gradual-unfreeze", "train.epochs": 3})
    rows = run_recipe(r, out_dir=tmp_path).history.rows
    assert [r["frozen"] for r in rows] == [2, 1, 0]
    assert rows[0]["lr_stage2"] == 0 and rows[1]["lr_stage2"] > 0 and rows[1]["lr_stage1"] == 0


def test_differential_learning_rates_reach_the_optimizer(base_a, tmp_path):
    r = _target(base_a, **{"transfer.strategy": "differential-lr", "transfer.lr_decay": 0.1})
    rows = run_recipe(r, out_dir=tmp_path).history.rows
    for row in rows:
        assert row["lr_stage2"] == pytest.approx(row["lr_head"] * 0.1)
        assert row["lr_stage1"] == pytest.approx(row["lr_head"] * 0.01)


def test_same_classes_keep_the_head_so_predictions_are_unchanged(base_a):
    from transferkit import TASK_A

    r = tiny(**{"data.classes": TASK_A, "transfer.checkpoint": str(base_a)})
    model = build_model(r.model, (1, 28, 28), 5)
    transfer = Transfer.from_recipe(r)
    setup = transfer.attach(model, [str(c) for c in TASK_A])
    assert setup.info["head"] == "copied"
    x = torch.randn(8, 1, 28, 28)
    source = transfer.source.model
    assert torch.equal(model.eval()(x), source.eval()(x))


def test_other_classes_get_a_new_head(base_a):
    r = _target(base_a)
    model = build_model(r.model, (1, 28, 28), 5)
    assert Transfer.from_recipe(r).attach(model, [str(c) for c in TASK_B]).info["head"] == "new"


def test_seed_placeholder_picks_the_seed_s_checkpoint(base_a, tmp_path):
    import shutil

    shutil.copy(base_a, tmp_path / "base-seed7.safetensors")
    r = tiny(**{"seed": 7, "transfer.checkpoint": str(tmp_path / "base-seed{seed}.safetensors")})
    assert Transfer.from_recipe(r).source.path.name == "base-seed7.safetensors"


def test_weight_noise_leaves_frozen_stages_alone(base_a, tmp_path):
    r = _target(
        base_a,
        **{
            "transfer.strategy": "freeze-first-n",
            "regularization.weight_noise": 0.05,
            "regularization.l2": 0.01,
        },
    )
    tuned = run_recipe(r, out_dir=tmp_path).models[0]
    (source,), _ = load_model(base_a)
    for key, value in source.stage("stage1").state_dict().items():
        assert torch.equal(tuned.stage("stage1").state_dict()[key], value), key


def test_architecture_from_the_checkpoint_ignores_the_recipe_model(base_a, tmp_path):
    r = _target(
        base_a,
        **{"transfer.architecture": "checkpoint", "model.widths": [64, 64, 64], "train.epochs": 1},
    )
    result = run_recipe(r, out_dir=tmp_path)
    model = result.models[0]
    assert model.config["widths"] == [8, 16] and model.stage_names == ["stage1", "stage2"]
    assert result.history.rows[0]["lr_stage1"] > 0  # fine-tuned, from the copied stages
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["model"]["widths"] == [8, 16] and meta["model"]["num_classes"] == 5


def test_a_study_variant_starts_from_a_checkpoint(base_a, tmp_path):
    from trainlab.workflows.study.runner import run_study
    from trainlab.workflows.study.spec import StudySpec
    from trainlab.workflows.study.store import StudyStore

    spec = StudySpec.from_dict(
        {
            "name": "pretrained",
            "base": _target(base_a).to_dict(),
            "seeds": [0],
            "probes": False,
            "base_set": {"transfer.checkpoint": None},
            "variants": {
                "baseline": {},
                "frozen-1": {
                    "transfer.checkpoint": str(base_a),
                    "transfer.stages": 1,
                    "transfer.strategy": "freeze-first-n",
                },
            },
        }
    )
    run_study(spec, out_dir=tmp_path, progress=False, echo=None)
    with StudyStore(tmp_path / "pretrained") as store:
        trials = {t.variant: t for t in store.trials()}
    assert trials["frozen-1"].status == "done" and trials["baseline"].status == "done"
    assert trials["frozen-1"].history[0]["frozen"] == 1
    assert "frozen" not in trials["baseline"].history[0]


def test_the_command_line_says_what_was_transferred(base_a, tmp_path, cli):
    code, out, err = cli(
        "run",
        "digits-cnn",
        "-q",
        "--out-dir",
        str(tmp_path),
        "--set",
        "data.limit=300",
        "--set",
        "train.epochs=1",
        "--set",
        "model.widths=[8, 16]",
        "--set",
        "data.classes=[5,6,7,8,9]",
        "--set",
        f"transfer.checkpoint={base_a}",
        "--set",
        "transfer.strategy=freeze-first-n",
        "--set",
        "transfer.freeze=1",
    )
    assert code == 0, err
    lines = out.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("transfer"))
    block = [lines[at]]
    for ln in lines[at + 1 :]:  # the summary wraps a long value onto indented lines
        if not ln.startswith(" " * 26):
            break
        block.append(ln)
    line = " ".join(" ".join(block).split())
    assert "stage1, stage2 from" in line and "frozen: stage1;" in line and "new head" in line


def test_fine_tuning_an_imported_torchvision_model(tmp_path):
    pytest.importorskip("torchvision")
    from trainlab.io.model_file import save_model
    from trainlab.models.external import (
        IMAGENET_MEAN,
        IMAGENET_STD,
        from_torchvision,
        preprocess_from_stats,
    )

    model = from_torchvision("resnet18", weights=None)
    meta = {
        "kind": "model",
        "model": model.config,
        "stages": model.stage_names,
        "members": 1,
        "preprocess": preprocess_from_stats(IMAGENET_MEAN, IMAGENET_STD, 32),
        "classes": [f"c{i}" for i in range(1000)],
        "data": {},
        "recipe": None,
        "metrics": {},
    }
    save_model(tmp_path / "r18.safetensors", [model], meta)
    r = tiny(
        **{
            "transfer.checkpoint": str(tmp_path / "r18.safetensors"),
            "data.limit": 100,
            "transfer.architecture": "checkpoint",
            "transfer.strategy": "freeze-first-n",
            "transfer.stages": 3,
            "train.epochs": 1,
        }
    )
    with pytest.warns(UserWarning, match="channels 3 in the checkpoint, 1 in the data"):
        result = run_recipe(r, out_dir=tmp_path / "runs")
    assert result.data.in_shape == (3, 32, 32)
    assert result.models[0].frozen_stages == ["stem", "layer1", "layer2"]
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["model"]["arch"] == "resnet18" and meta["model"]["num_classes"] == 10


def test_an_interrupted_transfer_resumes_to_the_same_result(base_a, tmp_path, monkeypatch):
    from trainlab.engine.transfer.callback import TransferCallback
    from trainlab.workflows.run import RunInterrupted

    r = _target(
        base_a,
        **{
            "transfer.strategy": "gradual-unfreeze",
            "transfer.lr_decay": 0.5,
            "train.epochs": 4,
            "train.threads": 1,
        },
    )
    reference = run_recipe(r, out_dir=tmp_path / "ref")
    original = TransferCallback.on_epoch_end

    def stop_at_epoch_3(self, trainer, epoch, logs):
        original(self, trainer, epoch, logs)
        if epoch == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(TransferCallback, "on_epoch_end", stop_at_epoch_3)
    with pytest.raises(RunInterrupted) as stopped:
        run_recipe(r, out_dir=tmp_path / "run", name="x")
    monkeypatch.setattr(TransferCallback, "on_epoch_end", original)
    resumed = run_recipe(r, resume=stopped.value.partial)
    for key in ("train_loss", "val_loss", "test_loss", "test_acc"):
        assert resumed.metrics[key] == reference.metrics[key], key
    assert [row["frozen"] for row in resumed.history.rows] == [2, 1, 0, 0]


def test_the_run_report_says_what_was_transferred(base_a, tmp_path):
    r = _target(base_a, **{"transfer.strategy": "head-only", "train.epochs": 1})
    html = (run_recipe(r, out_dir=tmp_path).folder / "report.html").read_text(encoding="utf-8")
    assert "stage1, stage2 from" in html and "head-only; frozen: stage1, stage2; new head" in html


def test_a_run_folder_stands_for_its_model(base_a):
    r = tiny(**{"transfer.checkpoint": str(base_a.parent)})
    assert Transfer.from_recipe(r).source.path == base_a


def test_a_run_reads_its_checkpoint_once(base_a, tmp_path, monkeypatch):
    from trainlab.workflows import transfer_setup

    loads = []
    original = transfer_setup.load_source

    def counted(path, member=0):
        loads.append(path)
        return original(path, member)

    monkeypatch.setattr(transfer_setup, "load_source", counted)
    r = _target(base_a, **{"ensemble.members": 2, "train.epochs": 1})
    result = run_recipe(r, out_dir=tmp_path)
    assert loads == [base_a]  # once, for the data check and both members
    assert [m.stage_names for m in result.models] == [["stage1", "stage2"]] * 2
    assert result.transfer is not None and result.transfer["copied"] == ["stage1", "stage2"]


def test_no_transfer_section_resolves_to_none():
    assert Transfer.from_recipe(tiny()) is None


def test_a_stage_count_that_does_not_fit_fails_before_any_run_folder(base_a, tmp_path):
    from trainlab.core.errors import ConfigError

    r = _target(base_a, **{"transfer.strategy": "head-only", "transfer.stages": 1})
    with pytest.raises(ConfigError, match=r"transfer\.stages must be 2"):
        run_recipe(r, out_dir=tmp_path)
    assert not list(tmp_path.iterdir())
