"""Other people's models: normalization from weight metadata, weights from disk, checkpoints.

The tests that need torchvision or timm skip where the package does not
import; the weights-on-disk paths are exercised with weights saved here into
temporary torch hub and Hugging Face caches (nothing is downloaded).
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.io.model_file import load_model
from trainlab.models import external as ext
from trainlab.models import model_from_config
from trainlab.models.external import (
    ExternalModel,
    from_timm,
    from_torchvision,
    load_external,
    normalization_from_weights,
    preprocess_from_stats,
)
from trainlab.models.staging import stage_module
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.workflows.model_import import import_model

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


# -- normalization ------------------------------------------------------------------------
def test_preprocess_from_stats_is_x_over_255_minus_mean_over_std():
    mean, std = (0.2, 0.4, 0.6), (0.1, 0.2, 0.3)
    pre = preprocess_from_stats(mean, std, (5, 7))
    assert pre["image"] == {"size": [5, 7], "channels": 3, "fit": "squish"}
    state = pre["pipeline"]
    assert state["pixel_scale"] is True and state["input_shape"] == [3, 5, 7]
    assert state["normalizer"] == {
        "name": "standard",
        "per": "channel",
        "shape": [3, 1, 1],
        "stats": {"mean": list(mean), "scale": list(std)},
    }
    x = np.random.default_rng(0).integers(0, 256, size=(2, 3, 5, 7), dtype=np.uint8)
    expected = (x / 255.0 - np.reshape(mean, (3, 1, 1))) / np.reshape(std, (3, 1, 1))
    out = Preprocessor.from_state_dict(state).transform(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("size", "expected"), [(9, [9, 9]), ((9,), [9, 9]), ((4, 6), [4, 6]), ((3, 10, 12), [10, 12])]
)
def test_preprocess_sizes(size, expected):
    assert preprocess_from_stats(IMAGENET_MEAN, IMAGENET_STD, size)["image"]["size"] == expected


@pytest.mark.parametrize(
    ("mean", "std", "size", "match"),
    [
        ([0.5, 0.5], [0.5, 0.5, 0.5], 8, "one mean and one std per channel"),
        ([0.5], [0.0], 8, "std must be positive"),
        ([0.5], [0.5], (0, 4), "input size"),
        ([0.5], [0.5], (1, 2, 3, 4), "input size"),
    ],
)
def test_preprocess_from_stats_refuses_bad_statistics(mean, std, size, match):
    with pytest.raises(ConfigError, match=match):
        preprocess_from_stats(mean, std, size)


def test_normalization_from_torchvision_like_weights():
    transforms = SimpleNamespace(
        mean=IMAGENET_MEAN, std=IMAGENET_STD, crop_size=[240], resize_size=[256]
    )
    weights = SimpleNamespace(transforms=lambda: transforms, meta={"categories": ["a", "b"]})
    pre = normalization_from_weights(weights)
    assert pre["image"]["size"] == [240, 240]
    assert pre["pipeline"]["normalizer"]["stats"] == {"mean": IMAGENET_MEAN, "scale": IMAGENET_STD}


def test_normalization_from_timm_like_configs():
    cfg = {"mean": (0.5, 0.5, 0.5), "std": (0.25, 0.25, 0.25), "input_size": (3, 192, 160)}
    model = nn.Linear(2, 2)
    model.pretrained_cfg = cfg
    for source in (cfg, model, SimpleNamespace(**cfg)):
        pre = normalization_from_weights(source, fit="crop")
        assert pre["image"] == {"size": [192, 160], "channels": 3, "fit": "crop"}
        assert pre["pipeline"]["normalizer"]["stats"]["scale"] == [0.25] * 3


def test_normalization_from_something_else_is_one_line():
    with pytest.raises(ConfigError, match="cannot read mean, std and input size from Linear"):
        normalization_from_weights(nn.Linear(2, 2))


# -- without the packages -----------------------------------------------------------------
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


class Payload:
    """Not a tensor: unpickling it would run the pickle's code."""


def test_weight_files_are_never_unpickled(tmp_path):
    path = tmp_path / "evil-0123abcd.pth"
    torch.save({"conv1.weight": Payload()}, path)
    with pytest.raises(CheckpointError, match="cannot be read as plain tensors"):
        ext._read_weights(path)
    torch.save({"state_dict": {"w": torch.ones(2)}}, path)
    assert ext._read_weights(path)["w"].tolist() == [1.0, 1.0]


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

    stand_in = ext._Library(load, lambda arch, n: TinyNet(n), "torchvision:ARCH")
    monkeypatch.setitem(ext.LIBRARIES, "torchvision", stand_in)
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


# -- torchvision ----------------------------------------------------------------------------
@pytest.fixture
def tv():
    return pytest.importorskip("torchvision")


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """An empty torch hub cache; ``checkpoints`` is where torchvision keeps weights."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    assert torch.hub.get_dir() == str(tmp_path / "torch" / "hub")
    return tmp_path / "torch" / "hub" / "checkpoints"


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


def test_pickled_code_in_torchvision_weights_is_refused(tv, hub):
    hub.mkdir(parents=True)
    torch.save({"conv1.weight": Payload()}, hub / "resnet18-f37072fd.pth")
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


# -- timm -----------------------------------------------------------------------------------
@pytest.fixture
def timm():
    return pytest.importorskip("timm")


@pytest.fixture
def hf_cache(tmp_path, monkeypatch, hub):
    """An empty Hugging Face hub cache (and torch hub cache), where timm looks for weights."""
    from huggingface_hub import constants

    cache = tmp_path / "hf"
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    return cache


def test_from_timm_without_weights(timm):
    torch.manual_seed(0)
    staged = from_timm("resnet18", pretrained=False)
    torch.manual_seed(0)
    reference = timm.create_model("resnet18", pretrained=False)
    assert staged.config == {
        "name": "timm",
        "arch": "resnet18",
        "in_shape": [3, 224, 224],
        "family": "resnet",
        "num_classes": 1000,
    }
    staged.eval()
    reference.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(staged(x), reference(x))
    pre = ext.load_timm("resnet18", pretrained=False)
    assert pre.preprocess["pipeline"]["normalizer"]["stats"]["mean"] == IMAGENET_MEAN
    assert pre.classes[0] == "tench"


def test_missing_timm_weights_name_the_file(timm, hf_cache):
    with pytest.raises(CheckpointError) as err:
        from_timm("resnet18")
    msg = str(err.value)
    assert str(hf_cache / "models--timm--resnet18.a1_in1k") in msg
    assert "model.safetensors" in msg and "pass download=True" in msg and "\n" not in msg


def test_unknown_timm_model(timm):
    with pytest.raises(ConfigError, match="unknown timm model 'resnet7'"):
        from_timm("resnet7", pretrained=False)


def test_timm_weights_in_the_hf_cache_are_loaded_and_imported(timm, hf_cache, tmp_path):
    from safetensors.torch import save_file

    torch.manual_seed(1)
    state = timm.create_model("resnet18", pretrained=False).state_dict()
    repo = hf_cache / "models--timm--resnet18.a1_in1k"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0123abcd")
    (repo / "snapshots" / "0123abcd").mkdir(parents=True)
    save_file(state, repo / "snapshots" / "0123abcd" / "model.safetensors")

    staged = from_timm("resnet18")
    assert torch.equal(staged.stage("layer1")[0].conv1.weight, state["layer1.0.conv1.weight"])
    path = import_model("timm:resnet18", tmp_path / "timm-rn18.safetensors")
    models, meta = load_model(path)
    staged.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(models[0](x), staged(x))
    assert meta["model"]["name"] == "timm" and meta["source"]["weights"] == "resnet18.a1_in1k"
    assert meta["classes"][0] == "tench" and len(meta["classes"]) == 1000
    assert meta["preprocess"]["image"]["size"] == [224, 224]


def test_timm_weights_in_the_torch_hub_cache_are_loaded(timm, hf_cache, hub):
    torch.manual_seed(2)
    state = timm.create_model("resnet18", pretrained=False).state_dict()
    hub.mkdir(parents=True)
    torch.save(state, hub / "resnet18_a1_0-d63eafa0.pth")  # the name of its URL
    ext_model = ext.load_timm("resnet18")
    assert ext_model.source["file"] == str(hub / "resnet18_a1_0-d63eafa0.pth")
    assert torch.equal(ext_model.model.head.fc.weight, state["fc.weight"])


def test_pickled_code_in_timm_weights_is_refused(timm, hf_cache, hub):
    hub.mkdir(parents=True)
    torch.save({"fc.weight": Payload()}, hub / "resnet18_a1_0-d63eafa0.pth")
    with pytest.raises(CheckpointError, match="never runs code from a weights file"):
        from_timm("resnet18")
