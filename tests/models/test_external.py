"""Other people's models by source name: the library table, checkpoints, missing packages.

The tests that need torchvision or timm skip where the package does not
import (``test_external_torchvision``, ``test_external_timm``); here a stand-in
library plays torchvision, and nothing is downloaded.
"""

from __future__ import annotations

import sys

import pytest
import torch
from torch import nn

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.io.model_file import load_model
from trainlab.models import model_from_config
from trainlab.models.external import (
    LIBRARIES,
    ExternalModel,
    _Library,
    from_timm,
    from_torchvision,
    load_external,
    preprocess_from_stats,
)
from trainlab.models.staging import stage_module
from trainlab.workflows.model_import import import_model

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


@pytest.mark.parametrize(
    ("package", "call"),
    [
        ("torchvision", lambda: from_torchvision("resnet18")),
        ("timm", lambda: from_timm("resnet18")),
        ("torchvision", lambda: import_model("torchvision:resnet18", "x.safetensors")),
        ("timm", lambda: model_from_config({"name": "timm", "arch": "resnet18", "num_classes": 2})),
    ],
)
def test_a_missing_package_is_a_one_line_error(monkeypatch, package, call):
    monkeypatch.setitem(sys.modules, package, None)  # makes ``import package`` fail
    with pytest.raises(ConfigError, match=rf"^{package} cannot be imported .*pip install"):
        call()


@pytest.mark.parametrize("source", ["keras:resnet50", "resnet18", "torchvision:", "timm:  "])
def test_a_bad_source_names_the_syntax(source):
    with pytest.raises(ConfigError, match="expected torchvision:ARCH"):
        load_external(source)


def test_a_config_without_arch_is_a_checkpoint_error():
    with pytest.raises(CheckpointError, match="expected arch and num_classes"):
        model_from_config({"name": "torchvision", "num_classes": 3})


class TinyNet(nn.Module):
    """A look-alike of torchvision's features-and-classifier models."""

    def __init__(self, num_classes: int) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(4, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def test_import_model_round_trip_with_a_stand_in_library(tmp_path, monkeypatch):
    """The checkpoint path, with a look-alike standing in for torchvision."""

    def load(name: str, download: bool) -> ExternalModel:
        torch.manual_seed(0)
        model = stage_module(
            TinyNet(3),
            config={"name": "torchvision", "arch": name, "in_shape": [3, 16, 16]},
            example=torch.randn(1, 3, 16, 16),
        )
        pre = preprocess_from_stats(IMAGENET_MEAN, IMAGENET_STD, 16)
        return ExternalModel(model, pre, ["a", "b", "c"], {"library": "torchvision"})

    stand_in = _Library(load, lambda arch, n: TinyNet(n), "torchvision:ARCH")
    monkeypatch.setitem(LIBRARIES, "torchvision", stand_in)
    path = import_model("torchvision:tiny", tmp_path)
    assert path == tmp_path / "model.safetensors"
    models, meta = load_model(path)
    original = load("tiny", False).model.eval()
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        assert torch.equal(models[0](x), original(x))
    assert meta["kind"] == "model" and meta["members"] == 1 and meta["recipe"] is None
    assert meta["model"] == {
        "name": "torchvision",
        "arch": "tiny",
        "in_shape": [3, 16, 16],
        "family": "features",
        "num_classes": 3,
    }
    assert meta["stages"] == ["stage1", "stage2", "stage3"]
    assert meta["classes"] == ["a", "b", "c"] and meta["data"] == {} and meta["metrics"] == {}
    assert meta["preprocess"]["image"]["size"] == [16, 16]
    assert meta["source"] == {"library": "torchvision"}
