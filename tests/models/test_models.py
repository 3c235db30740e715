import pytest
import torch
from torch import nn

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.models import CNN, MLP, build_model, model_from_config


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("mlp", (13,)),
        ("mlp", (1, 8, 8)),
        ("cnn", (1, 28, 28)),
        ("cnn", (3, 17, 23)),
        ("cnn1d", (1, 40)),
    ],
)
def test_every_model_builds_and_runs(name, shape):
    cfg = ModelConfig(name=name, widths=[8, 16])
    m = build_model(cfg, shape, 5)
    assert m.stage_names == ["stage1", "stage2"]
    assert m(torch.randn(3, *shape)).shape == (3, 5)
    rebuilt = model_from_config(m.config)
    rebuilt.load_state_dict(m.state_dict())  # same architecture, same keys and shapes


def test_mlp_options_change_layers():
    m = MLP((10,), 3, widths=[16, 16], batch_norm=True, dropout=0.5, activation="tanh")
    kinds = [type(x) for x in m.stage("stage1")]
    assert nn.BatchNorm1d in kinds and nn.Dropout in kinds and nn.Tanh in kinds
    plain = MLP((10,), 3, widths=[16], batch_norm=False)
    assert not any(isinstance(x, nn.BatchNorm1d) for x in plain.modules())


def test_cnn_depth_and_batchnorm():
    m = CNN((1, 28, 28), 10, widths=[4, 8, 16], convs_per_stage=3, batch_norm=False)
    convs = [x for x in m.modules() if isinstance(x, nn.Conv2d)]
    assert len(convs) == 9 and all(c.bias is not None for c in convs)


def test_cnn_rejects_wrong_input_rank():
    with pytest.raises(ConfigError, match="expects"):
        build_model(ModelConfig(name="cnn"), (13,), 3)


def test_unknown_model_and_activation():
    with pytest.raises(ConfigError, match="unknown model"):
        build_model(ModelConfig(name="transformer"), (13,), 3)
    with pytest.raises(ConfigError, match="unknown activation"):
        build_model(ModelConfig(name="mlp", activation="swishy"), (13,), 3)
