"""Models built as ordered stages plus a head, and weight initialization."""

from trainlab.models._staged import StagedModel
from trainlab.models.build import build_model, model_from_config
from trainlab.models.cnn import CNN
from trainlab.models.mlp import MLP

__all__ = ["CNN", "MLP", "StagedModel", "build_model", "model_from_config"]
