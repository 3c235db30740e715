"""Staging other people's classifiers: look-alike modules here, real ones when installed."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models import StagedModel
from trainlab.models.staging import FAMILIES, find_family, stage_module


def _settle_batchnorm(module: nn.Module) -> nn.Module:
    """Give every batch norm non-trivial running statistics, so eval mode tests them."""
    gen = torch.Generator().manual_seed(1)
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen))
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
    return module


def _block(c: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU())


class TinyResNet(nn.Module):
    """torchvision's ResNet layout and forward in miniature (``timm=True``: timm's names)."""

    def __init__(self, num_classes: int = 3, *, timm: bool = False, drop_rate: float = 0.0):
        super().__init__()
        self.timm = timm
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        setattr(self, "act1" if timm else "relu", nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(2)
        self.layer1, self.layer2, self.layer3, self.layer4 = (_block(4) for _ in range(4))
        if timm:  # timm's global pool flattens; its head drops out with drop_rate
            self.global_pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))
            self.drop_rate = drop_rate
        else:
            self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act = self.act1 if self.timm else self.relu
        x = self.maxpool(act(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        if self.timm:
            x = F.dropout(self.global_pool(x), p=self.drop_rate, training=self.training)
        else:
            x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


class TinyVGG(nn.Module):
    """torchvision's VGG layout: features, avgpool, flatten, classifier."""

    def __init__(self, num_classes: int = 3, *, avgpool: bool = True):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.ReLU()
        )
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2)) if avgpool else None
        # 8x8 inputs leave 2x2 maps, pooled to 2x2 or not
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(8 * 2 * 2, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        if self.avgpool is not None:
            x = self.avgpool(x)
        return self.classifier(torch.flatten(x, 1))


class DoublingVGG(TinyVGG):
    """Looks like a VGG, computes something else."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 2 * super().forward(x)


def _same_forward(original: nn.Module, staged: StagedModel, x: torch.Tensor) -> None:
    original.eval()
    staged.eval()
    with torch.no_grad():
        assert torch.equal(original(x), staged(x))


@pytest.mark.parametrize("timm", [False, True])
def test_resnet_look_alike_keeps_its_forward(timm):
    net = _settle_batchnorm(TinyResNet(timm=timm))
    x = torch.randn(2, 3, 16, 16)
    staged = stage_module(net, config={"name": "mine"}, example=x)
    assert staged.stage_names == ["stem", "layer1", "layer2", "layer3", "layer4"]
    assert staged.config == {"name": "mine", "family": "resnet", "num_classes": 3}
    assert list(staged.stage("stem").named_children())[2][0] == ("act1" if timm else "relu")
    assert staged.stage("layer3") is net.layer3  # shared, not copied
    _same_forward(net, staged, x)


def test_timm_resnet_head_keeps_its_dropout():
    staged = stage_module(TinyResNet(timm=True, drop_rate=0.3))
    dropouts = [m for m in staged.head if isinstance(m, nn.Dropout)]
    assert [d.p for d in dropouts] == [0.3]
    plain = stage_module(TinyResNet(timm=True))
    assert not any(isinstance(m, nn.Dropout) for m in plain.head)


@pytest.mark.parametrize("avgpool", [True, False])
def test_features_look_alike_keeps_its_forward(avgpool):
    net = TinyVGG(avgpool=avgpool)
    x = torch.randn(3, 3, 8, 8)
    staged = stage_module(net, example=x)
    assert staged.stage_names == [f"stage{i}" for i in range(1, 6)]
    head = [name for name, _ in staged.head.named_children()]
    assert head == (["avgpool", "flatten", "classifier"] if avgpool else ["flatten", "classifier"])
    _same_forward(net, staged, x)


def test_named_feature_children_keep_their_names():
    net = TinyVGG()
    net.features = nn.Sequential()
    net.features.add_module("conv0", nn.Conv2d(3, 8, 3))
    net.features.add_module("relu0", nn.ReLU())
    assert stage_module(net).stage_names == ["conv0", "relu0"]


def test_training_mode_follows_the_module():
    net = TinyVGG()
    assert stage_module(net.train()).training
    staged = stage_module(net.eval(), example=torch.randn(1, 3, 8, 8))
    assert not staged.training and not net.training


def test_a_look_alike_with_another_forward_is_refused():
    with pytest.raises(ConfigError, match="split as a features model, its forward changes"):
        stage_module(DoublingVGG(), example=torch.randn(2, 3, 8, 8))


def test_an_unsupported_model_names_the_supported_families():
    with pytest.raises(ConfigError) as err:
        stage_module(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))
    msg = str(err.value)
    assert msg.startswith("model Sequential: no known way to split it into stages")
    assert "resnet (" in msg and "features (" in msg and "\n" not in msg


def test_every_family_is_registered_and_exclusive():
    assert set(FAMILIES.names()) >= {
        "resnet",
        "features",
        "regnet",
        "timm-efficientnet",
        "timm-mobilenetv3",
        "timm-convnext",
    }
    for net, name in ((TinyResNet(), "resnet"), (TinyVGG(), "features")):
        assert [n for n, f in FAMILIES.items() if f.matches(net)] == [name]
        assert find_family(net).name == name


# -- real torchvision and timm models (skipped where the package does not import) ----------
TORCHVISION_ARCHS = [
    "resnet18",
    "mobilenet_v3_small",
    "mobilenet_v2",
    "squeezenet1_1",
    "alexnet",
    "convnext_tiny",
    pytest.param("densenet121", marks=pytest.mark.slow),
    pytest.param("efficientnet_b0", marks=pytest.mark.slow),
    pytest.param("vgg11_bn", marks=pytest.mark.slow),
    pytest.param("regnet_x_400mf", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("arch", TORCHVISION_ARCHS)
def test_torchvision_models_keep_their_forward(arch):
    tv = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    net = tv.models.get_model(arch, weights=None, num_classes=7)
    x = torch.randn(2, 3, 64, 64)
    staged = stage_module(net, example=x)
    assert staged.config["num_classes"] == 7
    _same_forward(net, staged, x)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("resnet18", "resnet"),
        ("efficientnet_b0", "timm-efficientnet"),
        ("mobilenetv2_050", "timm-efficientnet"),
        ("mobilenetv3_small_100", "timm-mobilenetv3"),
        ("convnext_atto", "timm-convnext"),
    ],
)
def test_timm_models_keep_their_forward(name, family):
    timm = pytest.importorskip("timm")
    torch.manual_seed(0)
    net = timm.create_model(name, pretrained=False, num_classes=5, drop_rate=0.2)
    x = torch.randn(2, 3, 64, 64)
    staged = stage_module(net, example=x)
    assert staged.config["family"] == family and staged.stage_names[0] == "stem"
    _same_forward(net, staged, x)
