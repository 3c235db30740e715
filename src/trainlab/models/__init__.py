"""Models built as ordered stages plus a head, and weight initialization."""

from trainlab.models._staged import StagedModel
from trainlab.models.build import build_model, model_from_config
from trainlab.models.cnn import CNN
from trainlab.models.external_preprocess import normalization_from_weights
from trainlab.models.external_timm import from_timm
from trainlab.models.external_torchvision import from_torchvision
from trainlab.models.mlp import MLP
from trainlab.models.staging import stage_module

__all__ = [
    "CNN",
    "MLP",
    "StagedModel",
    "build_model",
    "from_timm",
    "from_torchvision",
    "model_from_config",
    "normalization_from_weights",
    "stage_module",
]
