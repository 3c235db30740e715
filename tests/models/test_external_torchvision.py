"""torchvision's classifiers, their weights saved here into a temporary torch hub cache."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.io.model_file import load_model
from trainlab.models.external_preprocess import normalization_from_weights
from trainlab.models.external_torchvision import from_torchvision
from trainlab.workflows.model_import import import_model

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


@pytest.mark.parametrize(
    ("arch", "family"), [("resnet18", "resnet"), ("mobilenet_v3_small", "features")]
)
def test_from_torchvision_without_weights_is_torchvisions_model(tv, arch, family):
    torch.manual_seed(0)
    staged = from_torchvision(arch, weights=None)
    torch.manual_seed(0)
    reference = tv.models.get_model(arch, weights=None)
    assert staged.config == {
        "name": "torchvision",
        "arch": arch,
        "in_shape": [3, 224, 224],
        "family": family,
        "num_classes": 1000,
    }
    staged.eval()
    reference.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(staged(x), reference(x))


def test_imagenet_normalization_from_torchvision_weights(tv):
    weights = tv.models.ResNet18_Weights.IMAGENET1K_V1  # metadata only: nothing is downloaded
    pre = normalization_from_weights(weights)
    stats = pre["pipeline"]["normalizer"]["stats"]
    np.testing.assert_allclose(stats["mean"], IMAGENET_MEAN)
    np.testing.assert_allclose(stats["scale"], IMAGENET_STD)
    assert pre["image"] == {"size": [224, 224], "channels": 3, "fit": "squish"}
    assert len(weights.meta["categories"]) == 1000


def test_missing_torchvision_weights_name_the_file(tv, hub):
    with pytest.raises(CheckpointError) as err:
        from_torchvision("resnet18")
    msg = str(err.value)
    assert str(hub / "resnet18-f37072fd.pth") in msg
    assert "pass download=True" in msg and "\n" not in msg
    assert not hub.exists() or not any(hub.iterdir())  # nothing fetched, nothing written


def test_unknown_torchvision_names(tv):
    with pytest.raises(ConfigError, match="unknown torchvision classification model 'resnet7'"):
        from_torchvision("resnet7", weights=None)
    with pytest.raises(ConfigError, match="unknown weights 'IMAGENET9K'; expected one of DEFAULT"):
        from_torchvision("resnet18", weights="IMAGENET9K")


def test_an_unsupported_torchvision_family_fails_before_the_weights(tv, hub):
    with pytest.raises(ConfigError, match="model ShuffleNetV2: no known way to split"):
        from_torchvision("shufflenet_v2_x0_5")


def _save_torchvision_weights(tv, arch: str, hub, rename=None) -> dict[str, torch.Tensor]:
    """Random weights saved under the name torchvision's DEFAULT weights have on disk."""
    torch.manual_seed(1)
    state = tv.models.get_model(arch, weights=None).state_dict()
    weights = tv.models.get_model_weights(arch).DEFAULT
    hub.mkdir(parents=True, exist_ok=True)
    renamed = ((rename(k) if rename else k, v) for k, v in state.items())
    on_disk = {k: v for k, v in renamed if k is not None}
    torch.save(on_disk, hub / weights.url.rsplit("/", 1)[-1])
    return state


def test_torchvision_weights_on_disk_are_loaded_and_imported(tv, hub, tmp_path):
    state = _save_torchvision_weights(tv, "resnet18", hub)
    staged = from_torchvision("resnet18")
    assert torch.equal(staged.stage("stem").conv1.weight, state["conv1.weight"])
    assert torch.equal(staged.head.fc.bias, state["fc.bias"])

    path = import_model("torchvision:resnet18:IMAGENET1K_V1", tmp_path / "rn18.safetensors")
    models, meta = load_model(path)
    staged.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(models[0](x), staged(x))
    assert meta["classes"][:2] == ["tench", "goldfish"] and len(meta["classes"]) == 1000
    assert meta["model"]["name"] == "torchvision" and meta["model"]["arch"] == "resnet18"
    assert meta["stages"] == ["stem", "layer1", "layer2", "layer3", "layer4"]
    assert meta["preprocess"]["pipeline"]["normalizer"]["stats"]["mean"] == IMAGENET_MEAN
    assert meta["source"]["weights"] == "ResNet18_Weights.IMAGENET1K_V1"
    assert meta["source"]["file"] == str(hub / "resnet18-f37072fd.pth")


def test_pickled_code_in_torchvision_weights_is_refused(tv, hub, payload):
    hub.mkdir(parents=True)
    torch.save({"conv1.weight": payload}, hub / "resnet18-f37072fd.pth")
    with pytest.raises(CheckpointError, match="never runs code from a weights file"):
        from_torchvision("resnet18")


def test_torchvision_weights_of_another_shape_are_one_line(tv, hub):
    hub.mkdir(parents=True)
    torch.save(tv.models.resnet18(num_classes=10).state_dict(), hub / "resnet18-f37072fd.pth")
    with pytest.raises(CheckpointError, match=r"do not fit ResNet \(.*fc\.weight") as err:
        from_torchvision("resnet18")
    assert "\n" not in str(err.value)


@pytest.mark.slow
def test_old_densenet_weight_names_are_renamed(tv, hub):
    def old_name(key: str) -> str | None:  # denselayer1.norm1.weight -> denselayer1.norm.1.weight
        if key.endswith("num_batches_tracked"):
            return None  # as in the old files (batch norm fills it in)
        for layer in ("norm", "relu", "conv"):
            for i in ("1", "2"):
                key = key.replace(f".{layer}{i}.", f".{layer}.{i}.")
        return key

    state = _save_torchvision_weights(tv, "densenet121", hub, rename=old_name)
    staged = from_torchvision("densenet121")
    layer = staged.stage("denseblock1").denselayer1
    assert torch.equal(layer.norm1.weight, state["features.denseblock1.denselayer1.norm1.weight"])
