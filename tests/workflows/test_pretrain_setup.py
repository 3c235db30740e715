"""Pretraining as a transfer source: self-supervised and supervised-on-other-classes stages."""

from __future__ import annotations

import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.workflows.assemble import build_member_model
from trainlab.workflows.pretrain_setup import SelfSupervisedSource, SupervisedSource
from trainlab.workflows.run import prepare_run_data, run_recipe
from trainlab.workflows.transfer_setup import Transfer


def _stages(model) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in model.stages.state_dict().items()}


@pytest.fixture
def rotation(tiny_digits) -> Recipe:
    """Rotation prediction on 400 small digit images, 40 of them labelled."""
    return tiny_digits.override(
        {
            "data.limit": 500,
            "split.train_size": 0.1,
            "pretrain.method": "rotation",
            "pretrain.epochs": 2,
            "pretrain.batch_size": 64,
            "train.epochs": 1,
        }
    )


def test_the_run_starts_from_the_stages_its_pretext_task_learned(rotation):
    transfer = Transfer.from_recipe(rotation)
    assert isinstance(transfer.source, SelfSupervisedSource)
    data = prepare_run_data(rotation, transfer)
    labelled, unlabelled = len(data.train[0]), len(data.unlabelled)
    assert unlabelled > 5 * labelled  # 10% of the training part keeps its labels
    member = build_member_model(rotation, data, transfer, 0)
    pretrained = _stages(transfer.source.model)
    copied = _stages(member.model)
    assert all(torch.equal(copied[k], pretrained[k]) for k in pretrained)
    scratch = rotation.override({"pretrain.method": "none"})
    fresh = _stages(build_member_model(scratch, data, None, 0).model)
    assert any(not torch.equal(fresh[k], pretrained[k]) for k in pretrained if "weight" in k)
    info = member.transfer.info
    assert info["pretrain"]["method"] == "rotation"
    assert info["pretrain"]["examples"] == labelled + unlabelled  # every training input
    assert len(info["pretrain"]["losses"]) == 2 and info["head"] == "new"


def test_pretraining_is_seeded_and_the_same_every_time(rotation):
    weights = []
    for _ in range(2):
        transfer = Transfer.from_recipe(rotation)
        prepare_run_data(rotation, transfer)
        weights.append(_stages(transfer.source.model))
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_a_head_only_transfer_on_pretrained_stages_is_a_linear_probe(rotation, tmp_path):
    r = rotation.override({"transfer.strategy": "head-only"})
    result = run_recipe(r, out_dir=tmp_path)
    assert result.transfer["frozen"] == result.models[0].stage_names
    assert result.transfer["checkpoint"] == "rotation pretraining on the training inputs"
    assert 0.0 <= result.metrics["test_acc"] <= 1.0


def test_simclr_draws_its_views_with_the_augmentation_engine(tiny_digits, tmp_path):
    r = tiny_digits.override(
        {
            "data.limit": 300,
            "pretrain.method": "simclr",
            "pretrain.epochs": 1,
            "pretrain.batch_size": 64,
            "pretrain.views": [{"name": "translate", "translate": 0.2}],
            "train.epochs": 1,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    losses = result.transfer["pretrain"]["losses"]
    assert len(losses) == 1 and losses[0] > 0


def test_masked_reconstruction_pretrains_a_signal_model(tmp_path):
    r = Recipe.load("mnist1d-cnn").override(
        {
            "data.limit": 300,
            "pretrain.method": "masked",
            "pretrain.epochs": 1,
            "train.epochs": 1,
            "train.progress": False,
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    assert result.transfer["pretrain"]["method"] == "masked"


def test_supervised_pretraining_learns_other_classes_and_the_run_starts_from_it(tiny_digits):
    r = tiny_digits.override(
        {
            "data.classes": [5, 6, 7, 8, 9],
            "pretrain.method": "supervised",
            "pretrain.classes": [0, 1, 2, 3, 4],
            "pretrain.epochs": 1,
        }
    )
    transfer = Transfer.from_recipe(r)
    assert isinstance(transfer.source, SupervisedSource)
    data = prepare_run_data(r, transfer)  # digits 0–4 and 5–9: the same statistics within 5%
    assert transfer.source.classes == ["0", "1", "2", "3", "4"]
    assert data.classes == ["5", "6", "7", "8", "9"]
    base = transfer.source.preprocess["pipeline"]["normalizer"]["stats"]["mean"]
    own = data.preprocessor.state_dict()["normalizer"]["stats"]["mean"]
    assert base != own and abs(base[0] - own[0]) < 0.05 * own[0]  # fitted on the other classes
    member = build_member_model(r, data, transfer, 0)
    pretrained = _stages(transfer.source.model)
    assert all(torch.equal(_stages(member.model)[k], v) for k, v in pretrained.items())
    assert member.transfer.info["head"] == "new"  # other classes: a new head


@pytest.mark.parametrize(
    ("changes", "error", "fragment"),
    [
        ({"pretrain.method": "rotation"}, DataError, "rotation"),  # a table, not images
        ({"pretrain.method": "supervised"}, ConfigError, "pretrain.classes"),
        (
            {"pretrain.method": "rotation", "transfer.checkpoint": "base.safetensors"},
            ConfigError,
            "set only one of the two",
        ),
    ],
)
def test_a_pretraining_that_does_not_fit_is_refused_in_one_line(
    tiny_wine, tmp_path, changes, error, fragment
):
    with pytest.raises((error, ConfigError), match=fragment):
        run_recipe(tiny_wine.override(changes), out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_supervised_pretraining_on_the_runs_own_classes_is_refused(tiny_digits):
    r = tiny_digits.override(
        {"data.classes": [3, 4], "pretrain.method": "supervised", "pretrain.classes": [4, 5]}
    )
    with pytest.raises(ConfigError, match=r"4 also in data\.classes"):
        Transfer.from_recipe(r)


def test_the_command_line_refuses_a_pretext_task_of_another_modality(cli, one_line_error, tmp_path):
    code, _, err = cli(
        "run", "wine-mlp", "--set", "pretrain.method=rotation", "--out-dir", str(tmp_path)
    )
    one_line_error(code, err, "pretrain.method: rotation")
    assert not any(tmp_path.iterdir())
