"""Multitask models: hard and soft sharing for every architecture, heads, rebuild from config."""

import json

import pytest
import torch
from torch import nn

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.models import (
    MultiHead,
    TaskStage,
    build_model,
    build_multitask_model,
    model_from_config,
    task_head,
)

ARCHS = [("mlp", (1, 8, 8)), ("cnn", (1, 8, 8)), ("cnn1d", (1, 16))]
SHARINGS = [("hard", False), ("soft", False), ("soft", True)]
OUTPUTS = {"digit": 10, "parity": 2, "weight": 1}


def _cfg(name: str) -> ModelConfig:
    return ModelConfig(name=name, widths=[4, 6])


def _stage_params(model) -> int:
    return sum(p.numel() for p in model.stages.parameters())


@pytest.mark.parametrize(("name", "shape"), ARCHS)
@pytest.mark.parametrize(("sharing", "stitch"), SHARINGS)
def test_outputs_are_one_tensor_per_task_in_order(name, shape, sharing, stitch):
    m = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing=sharing, cross_stitch=stitch)
    assert m.stage_names == ["stage1", "stage2"]
    out = m(torch.randn(3, *shape))
    assert list(out) == list(OUTPUTS)
    assert {k: tuple(v.shape) for k, v in out.items()} == {k: (3, n) for k, n in OUTPUTS.items()}


@pytest.mark.parametrize(("name", "shape"), ARCHS)
def test_hard_sharing_has_one_copy_of_the_stages_soft_one_per_task(name, shape):
    single = build_model(_cfg(name), shape, 10)
    hard = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing="hard")
    soft = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing="soft")
    assert _stage_params(hard) == _stage_params(single)
    assert _stage_params(soft) == len(OUTPUTS) * _stage_params(single)
    assert [k for k in hard.state_dict() if k.startswith("stages.")] == [
        k for k in single.state_dict() if k.startswith("stages.")
    ]
    for name_ in soft.stage_names:
        stage = soft.stage(name_)
        assert isinstance(stage, TaskStage) and stage.tasks == list(OUTPUTS)
        ids = [{id(p) for p in copy.parameters()} for copy in stage.copies.values()]
        assert len(set().union(*ids)) == sum(map(len, ids))  # no parameter in two copies


@pytest.mark.parametrize(("name", "shape"), ARCHS)
def test_hard_sharing_every_task_reads_the_same_features(name, shape):
    m = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing="hard").eval()
    x = torch.randn(2, *shape)
    feats = m.forward_features(x)
    assert isinstance(feats, torch.Tensor)
    out = m(x)
    for task, head in m.head.items():
        assert torch.equal(out[task], head(feats))


@pytest.mark.parametrize(("name", "shape"), ARCHS)
@pytest.mark.parametrize("sharing", ["hard", "soft"])
def test_the_main_task_gets_the_single_task_network_of_the_same_seed(name, shape, sharing):
    torch.manual_seed(3)
    single = build_model(_cfg(name), shape, 10)
    torch.manual_seed(3)
    multi = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing=sharing)
    x = torch.randn(2, *shape)
    single.eval(), multi.eval()
    assert torch.equal(multi(x)["digit"], single(x))


@pytest.mark.parametrize(("name", "shape"), ARCHS)
def test_soft_sharing_networks_are_independent(name, shape):
    m = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing="soft").eval()
    x = torch.randn(2, *shape)
    feats = m.forward_features(x)
    assert list(feats) == list(OUTPUTS)
    assert not torch.equal(feats["digit"], feats["parity"])  # own weights, own draws
    copies = m.stage("stage1").copies
    assert torch.equal(feats["digit"], m.stage("stage2").copies["digit"](copies["digit"](x)))


def test_task_head_keeps_the_architectures_head_layout():
    cnn = build_model(_cfg("cnn"), (1, 8, 8), 10)
    before = {k: v.clone() for k, v in cnn.head.state_dict().items()}
    new = task_head(cnn.head, 3)
    assert [type(x) for x in new] == [type(x) for x in cnn.head]
    assert new[-1].out_features == 3 and new[-1].in_features == cnn.head[-1].in_features
    assert all(torch.equal(before[k], v) for k, v in cnn.head.state_dict().items())
    mlp = build_model(_cfg("mlp"), (4,), 10)
    assert isinstance(task_head(mlp.head, 1), nn.Linear)
    with pytest.raises(ConfigError, match="no linear layer"):
        task_head(nn.Flatten(), 2)


def test_multihead_reads_a_tensor_or_one_entry_per_task():
    head = MultiHead({"a": nn.Linear(3, 2), "b": nn.Linear(3, 1)})
    x, y = torch.randn(4, 3), torch.randn(4, 3)
    assert torch.equal(head(x)["b"], head["b"](x))
    both = head({"a": x, "b": y})
    assert torch.equal(both["a"], head["a"](x)) and torch.equal(both["b"], head["b"](y))
    assert head.tasks == ["a", "b"]


@pytest.mark.parametrize(("name", "shape"), ARCHS)
@pytest.mark.parametrize(("sharing", "stitch"), SHARINGS)
def test_model_from_config_rebuilds_the_same_model(name, shape, sharing, stitch):
    m = build_multitask_model(_cfg(name), shape, OUTPUTS, sharing=sharing, cross_stitch=stitch)
    config = json.loads(json.dumps(m.config))  # as a checkpoint's metadata stores it
    assert config["outputs"] == OUTPUTS and list(config["outputs"]) == list(OUTPUTS)
    assert (config["sharing"], config["cross_stitch"]) == (sharing, stitch)
    assert "num_classes" not in config
    rebuilt = model_from_config(config)
    assert list(rebuilt.state_dict()) == list(m.state_dict())
    rebuilt.load_state_dict(m.state_dict())
    m.eval(), rebuilt.eval()
    x = torch.randn(2, *shape)
    got, want = rebuilt(x), m(x)
    assert list(got) == list(want) and all(torch.equal(got[k], want[k]) for k in want)


def test_a_single_task_config_is_unchanged():
    m = build_model(_cfg("mlp"), (4,), 3)
    assert "outputs" not in m.config and m.config["num_classes"] == 3
    assert isinstance(model_from_config(m.config)(torch.zeros(2, 4)), torch.Tensor)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sharing": "medium"}, "unknown sharing 'medium'"),
        ({"sharing": "hard", "cross_stitch": True}, "expected sharing: soft"),
        ({"outputs": {"digit": 10}, "sharing": "soft"}, "at least 2 tasks"),
        ({"outputs": {}}, "expected outputs"),
        ({"outputs": {"digit": 0}}, "task 'digit' has 0 outputs"),
        ({"outputs": {"digit": True}}, "positive integer"),
        ({"outputs": {"a.b": 2}}, "task name 'a.b'"),
        ({"outputs": {"": 2}}, "task name ''"),
        ({"outputs": {"keys": 2}}, "task name 'keys' is an attribute"),
    ],
)
def test_bad_multitask_settings_are_one_line_errors(kwargs, match):
    kwargs = {"outputs": OUTPUTS, **kwargs}
    with pytest.raises(ConfigError, match=match) as info:
        build_multitask_model(_cfg("mlp"), (4,), **kwargs)
    assert "\n" not in str(info.value)
