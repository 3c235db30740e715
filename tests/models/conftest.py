"""Fixtures for the tests of other people's models: the packages, empty weight caches."""

from __future__ import annotations

import pytest
import torch


class Payload:
    """Not a tensor: unpickling it would run the pickle's code."""


@pytest.fixture
def payload() -> Payload:
    """An object that a weights file must never be allowed to unpickle."""
    return Payload()


@pytest.fixture
def tv():
    return pytest.importorskip("torchvision")


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """An empty torch hub cache; ``checkpoints`` is where torchvision keeps weights."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    assert torch.hub.get_dir() == str(tmp_path / "torch" / "hub")
    return tmp_path / "torch" / "hub" / "checkpoints"


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
