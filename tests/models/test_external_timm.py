"""timm's classifiers, their weights saved here into temporary Hugging Face and torch hub caches."""

from __future__ import annotations

import pytest
import torch

from trainlab.core.errors import CheckpointError, ConfigError
from trainlab.io.model_file import load_model
from trainlab.models.external_timm import from_timm, load_timm
from trainlab.workflows.model_import import import_model

IMAGENET_MEAN = [0.485, 0.456, 0.406]


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
    pre = load_timm("resnet18", pretrained=False)
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
    ext_model = load_timm("resnet18")
    assert ext_model.source["file"] == str(hub / "resnet18_a1_0-d63eafa0.pth")
    assert torch.equal(ext_model.model.head.fc.weight, state["fc.weight"])


def test_pickled_code_in_timm_weights_is_refused(timm, hf_cache, hub, payload):
    hub.mkdir(parents=True)
    torch.save({"fc.weight": payload}, hub / "resnet18_a1_0-d63eafa0.pth")
    with pytest.raises(CheckpointError, match="never runs code from a weights file"):
        from_timm("resnet18")
