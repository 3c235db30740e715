"""Other people's classifiers regrouped into named stages plus a head, same forward.

trainlab's transfer works on stages ("copy or freeze the first n", one
learning rate per stage; Yosinski et al., 2014). A torchvision or timm
classifier has its own layout, so :func:`stage_module` regroups its own
layers (no copy) into a :class:`~trainlab.models.StagedModel` whose forward is
the original's, by family, through the :data:`FAMILIES` registry:

- ``resnet``: torchvision and timm ResNet, ResNeXt, Wide ResNet (He et al.,
  2016): stages stem, layer1-4; head pool, flatten, fc;
- ``features``: torchvision VGG (Simonyan & Zisserman, 2015), AlexNet,
  SqueezeNet, DenseNet (Huang et al., 2017), MobileNet v2/v3, EfficientNet
  v1/v2, ConvNeXt: each child of ``features`` a stage; head what the forward
  does after ``features`` (pool, flatten, classifier, by class);
- ``regnet``: torchvision RegNet (Radosavovic et al., 2020): stem, block1-4;
- ``timm-efficientnet``: timm EfficientNet (Tan & Le, 2019), MobileNet v2,
  MNASNet: stem, each block group, final conv; head pool, classifier;
- ``timm-mobilenetv3``: timm MobileNet v3 (Howard et al., 2019): stem, each
  block group; head pool, conv, classifier;
- ``timm-convnext``: timm ConvNeXt (Liu et al., 2022): stem, stage1-4; head.

A family is recognised by its child modules' names; giving ``example``
compares the two forwards, so a look-alike that computes something else is an
error rather than a silently different model.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.models.staging import stage_module
    >>> net = nn.Module()  # a look-alike of torchvision's VGG: features, avgpool, classifier
    >>> net.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())
    >>> net.avgpool = nn.AdaptiveAvgPool2d(1)
    >>> net.classifier = nn.Linear(4, 2)
    >>> net.forward = lambda x: net.classifier(torch.flatten(net.avgpool(net.features(x)), 1))
    >>> staged = stage_module(net, example=torch.randn(2, 3, 8, 8))
    >>> staged.stage_names, staged.config
    (['stage1', 'stage2'], {'family': 'features', 'num_classes': 2})
    >>> staged.head
    Sequential(
      (avgpool): AdaptiveAvgPool2d(output_size=1)
      (flatten): Flatten(start_dim=1, end_dim=-1)
      (classifier): Linear(in_features=4, out_features=2, bias=True)
    )
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry
from trainlab.models._staged import StagedModel

#: what a family's ``split`` returns: named stages and a head
Split = tuple[list[tuple[str, nn.Module]], nn.Module]
#: one layer of a regrouped block: a child's name ("a|b": the first present), or
#: (name, factory(module) -> a new layer, or None to leave it out)
Part = str | tuple[str, Callable[[nn.Module], nn.Module | None]]


# -- families: how each kind of model splits into stages and a head -------------
@dataclass(frozen=True)
class Family:
    """How one family of architectures splits into stages and a head.

    Attributes:
        name: the family's registry name.
        requires: the child modules that identify it (``"a|b"``: either).
        split: ``module -> (stages, head)``, reusing the module's own layers.
        members: the architectures it covers, for messages.

    Example:
        >>> from torch import nn
        >>> from trainlab.models.staging import FAMILIES
        >>> net = nn.Module()
        >>> net.features, net.classifier = nn.Sequential(nn.ReLU()), nn.Identity()
        >>> FAMILIES.get("features").matches(net), FAMILIES.get("resnet").matches(net)
        (True, False)
    """

    name: str
    requires: tuple[str, ...]
    split: Callable[[nn.Module], Split]
    members: str

    def matches(self, module: nn.Module) -> bool:
        """Whether ``module`` has every child this family requires."""
        children = dict(module.named_children())
        return all(any(alt in children for alt in req.split("|")) for req in self.requires)


def _flatten(module: nn.Module) -> nn.Module:
    return nn.Flatten(1)  # torch.flatten(x, 1)


def _global_avg(module: nn.Module) -> nn.Module:
    return nn.AdaptiveAvgPool2d(1)  # F.adaptive_avg_pool2d(x, (1, 1))


def _relu(module: nn.Module) -> nn.Module:
    return nn.ReLU()  # F.relu (same values as in place)


def _dropout(module: nn.Module) -> nn.Module | None:
    p = float(getattr(module, "drop_rate", 0.0) or 0.0)  # timm: F.dropout(x, drop_rate)
    return nn.Dropout(p) if p > 0 else None


_FLATTEN = ("flatten", _flatten)
_AVGPOOL = ("avgpool", _global_avg)
_RELU = ("relu", _relu)
_DROPOUT = ("dropout", _dropout)


def _block(module: nn.Module, parts: Sequence[Part]) -> nn.Sequential:
    """A ``Sequential`` of ``module``'s children and new layers, named as ``parts`` say."""
    children = dict(module.named_children())
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    for part in parts:
        if isinstance(part, str):
            name = next((n for n in part.split("|") if n in children), None)
            if name is None:
                raise ConfigError(f"model {type(module).__name__}: has no layer {part!r}")
            layers[name] = children[name]
        else:
            name, make = part
            layer = make(module)
            if layer is not None:
                layers[name] = layer
    return nn.Sequential(layers)


def _has(module: nn.Module, name: str) -> bool:
    """Whether ``module`` has a child module ``name`` (an attribute set to None is none)."""
    return isinstance(getattr(module, name, None), nn.Module)


def _numbered(container: nn.Module, prefix: str = "stage") -> list[tuple[str, nn.Module]]:
    """The children of ``container`` as stages: ``stage1``… for numbered children, else by name."""
    children = list(container.named_children())
    if all(name.isdigit() for name, _ in children):
        return [(f"{prefix}{i}", child) for i, (_, child) in enumerate(children, 1)]
    return children


def _split_resnet(m: nn.Module) -> Split:
    stem = _block(m, ("conv1", "bn1", "relu|act1", "maxpool"))
    stages = [("stem", stem)] + [(f"layer{i}", m.get_submodule(f"layer{i}")) for i in range(1, 5)]
    if _has(m, "avgpool"):  # torchvision: fc(torch.flatten(avgpool(x), 1))
        return stages, _block(m, ("avgpool", _FLATTEN, "fc"))
    return stages, _block(m, ("global_pool", _DROPOUT, "fc"))  # timm: the pool flattens


#: torchvision classes whose forward after ``features`` is not avgpool, flatten, classifier
_FEATURES_HEADS: dict[str, tuple[Part, ...]] = {
    "MobileNetV2": (_AVGPOOL, _FLATTEN, "classifier"),
    "DenseNet": (_RELU, _AVGPOOL, _FLATTEN, "classifier"),
    "ConvNeXt": ("avgpool", "classifier"),  # its classifier flattens after a LayerNorm2d
    "SqueezeNet": ("classifier", _FLATTEN),  # its classifier pools
}


def _split_features(m: nn.Module) -> Split:
    parts = _FEATURES_HEADS.get(type(m).__name__)
    if parts is None:
        parts = (
            ("avgpool", _FLATTEN, "classifier") if _has(m, "avgpool") else (_FLATTEN, "classifier")
        )
    return _numbered(m.get_submodule("features")), _block(m, parts)


def _split_regnet(m: nn.Module) -> Split:
    stages = [("stem", m.get_submodule("stem")), *_numbered(m.get_submodule("trunk_output"))]
    return stages, _block(m, ("avgpool", _FLATTEN, "fc"))


def _conv_stem_stages(m: nn.Module) -> list[tuple[str, nn.Module]]:
    return [("stem", _block(m, ("conv_stem", "bn1"))), *_numbered(m.get_submodule("blocks"))]


def _split_timm_efficientnet(m: nn.Module) -> Split:
    stages = [*_conv_stem_stages(m), ("final", _block(m, ("conv_head", "bn2")))]
    return stages, _block(m, ("global_pool", _DROPOUT, "classifier"))


def _split_timm_mobilenetv3(m: nn.Module) -> Split:
    parts = ("global_pool", "conv_head", "norm_head", "act2", "flatten", _DROPOUT, "classifier")
    return _conv_stem_stages(m), _block(m, parts)


def _split_timm_convnext(m: nn.Module) -> Split:
    stages = [("stem", m.get_submodule("stem")), *_numbered(m.get_submodule("stages"))]
    norm_pre = m.get_submodule("norm_pre")
    if not isinstance(norm_pre, nn.Identity):
        stages.append(("final", norm_pre))
    return stages, m.get_submodule("head")


#: model family name → :class:`Family`; :func:`stage_module` uses the first that matches
FAMILIES: Registry[Family] = Registry(
    "model family",
    {
        "resnet": Family(
            "resnet",
            (
                "conv1",
                "bn1",
                "relu|act1",
                "maxpool",
                "layer1",
                "layer2",
                "layer3",
                "layer4",
                "avgpool|global_pool",
                "fc",
            ),
            _split_resnet,
            "torchvision and timm ResNet, ResNeXt, Wide ResNet: conv1, bn1, relu, maxpool, "
            "layer1-4, avgpool, fc",
        ),
        "features": Family(
            "features",
            ("features", "classifier"),
            _split_features,
            "torchvision VGG, AlexNet, SqueezeNet, DenseNet, MobileNet v2/v3, EfficientNet v1/v2, "
            "ConvNeXt: features, [avgpool], classifier",
        ),
        "regnet": Family(
            "regnet",
            ("stem", "trunk_output", "avgpool", "fc"),
            _split_regnet,
            "torchvision RegNet: stem, trunk_output, avgpool, fc",
        ),
        "timm-efficientnet": Family(
            "timm-efficientnet",
            ("conv_stem", "bn1", "blocks", "conv_head", "bn2", "global_pool", "classifier"),
            _split_timm_efficientnet,
            "timm EfficientNet, MobileNet v2, MNASNet: conv_stem, bn1, blocks, conv_head, bn2, "
            "global_pool, classifier",
        ),
        "timm-mobilenetv3": Family(
            "timm-mobilenetv3",
            (
                "conv_stem",
                "bn1",
                "blocks",
                "global_pool",
                "conv_head",
                "norm_head",
                "act2",
                "flatten",
            ),
            _split_timm_mobilenetv3,
            "timm MobileNet v3: conv_stem, bn1, blocks, global_pool, conv_head, norm_head, act2, "
            "flatten, classifier",
        ),
        "timm-convnext": Family(
            "timm-convnext",
            ("stem", "stages", "norm_pre", "head"),
            _split_timm_convnext,
            "timm ConvNeXt: stem, stages, norm_pre, head",
        ),
    },
)


def find_family(module: nn.Module) -> Family:
    """The registered family ``module`` belongs to.

    Raises:
        ConfigError: no family matches; the message lists the supported ones.

    Example:
        >>> from torch import nn
        >>> from trainlab.models.staging import find_family
        >>> try:
        ...     find_family(nn.Linear(2, 2))
        ... except ValueError as e:
        ...     print(str(e)[:61])
        model Linear: no known way to split it into stages; supported
    """
    for _, family in FAMILIES.items():
        if family.matches(module):
            return family
    known = "; ".join(f"{f.name} ({f.members})" for _, f in FAMILIES.items())
    raise ConfigError(
        f"model {type(module).__name__}: no known way to split it into stages; "
        f"supported families: {known}"
    )


def stage_module(
    module: nn.Module,
    *,
    config: Mapping[str, Any] | None = None,
    example: torch.Tensor | None = None,
) -> StagedModel:
    """``module``'s own layers as a :class:`StagedModel` with the same forward.

    The stages and head share ``module``'s layers (no copy). With ``example``,
    the two forwards are compared (eval mode) and a difference is an error, so a
    model that only looks like a known family is never wrapped wrongly.

    Args:
        module: a classifier of a registered family (:func:`find_family`).
        config: the architecture description to keep in ``config`` (``family`` is added).
        example: an input batch to check the forward on.

    Returns:
        The staged model, in ``module``'s training mode.

    Raises:
        ConfigError: an unsupported family, or a forward that differs on ``example``.

    Example:
        >>> import torch
        >>> from torchvision.models import resnet18  # doctest: +SKIP
        >>> staged = stage_module(resnet18(), example=torch.randn(1, 3, 64, 64))  # doctest: +SKIP
        >>> staged.stage_names  # doctest: +SKIP
        ['stem', 'layer1', 'layer2', 'layer3', 'layer4']
    """
    family = find_family(module)
    stages, head = family.split(module)
    staged = StagedModel(stages, head, {**(config or {}), "family": family.name})
    if example is not None:
        _check_forward(module, staged, example, family.name)
    return staged.train(module.training)


def _check_forward(
    module: nn.Module, staged: StagedModel, example: torch.Tensor, family: str
) -> torch.Tensor:
    """Compare the two forwards on ``example`` in eval mode; return the logits."""
    training = module.training
    module.eval()
    staged.eval()
    try:
        with torch.no_grad():
            want, got = module(example), staged(example)
    finally:
        module.train(training)
    if want.shape != got.shape or not torch.allclose(want, got, rtol=1e-4, atol=1e-5):
        change = (
            f"max difference {(want - got).abs().max().item():.3g}"
            if want.shape == got.shape
            else f"output shape {list(want.shape)} becomes {list(got.shape)}"
        )
        raise ConfigError(
            f"model {type(module).__name__}: split as a {family} model, its forward changes "
            f"({change}); it is not a {family} model as trainlab knows it"
        )
    staged.config.setdefault("num_classes", int(got.shape[-1]))
    return got
