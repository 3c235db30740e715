from trainlab.engine.transfer.param_groups import stage_param_groups
from trainlab.models import CNN


def test_every_parameter_in_exactly_one_named_group():
    model = CNN((1, 8, 8), 3, widths=[4, 8])
    groups = stage_param_groups(model, 0.1, {"stage1": 0.001})
    assert [g["name"] for g in groups] == ["head", "stage1", "stage2"]
    ids = [id(p) for g in groups for p in g["params"]]
    assert sorted(ids) == sorted(id(p) for p in model.parameters())
    assert {g["name"]: g["lr"] for g in groups} == {"head": 0.1, "stage1": 0.001, "stage2": 0.1}


def test_optimizer_takes_the_groups_and_their_rates():
    import torch

    model = CNN((1, 8, 8), 3, widths=[4])
    opt = torch.optim.SGD(stage_param_groups(model, 0.5, {"stage1": 0.25}), lr=1.0)
    assert [(g["name"], g["lr"]) for g in opt.param_groups] == [("head", 0.5), ("stage1", 0.25)]
