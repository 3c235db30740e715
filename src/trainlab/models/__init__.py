"""Models built as ordered stages plus a head, weight initialization, multitask sharing."""

from trainlab.models._staged import StagedModel
from trainlab.models.build import build_model, model_from_config
from trainlab.models.cnn import CNN
from trainlab.models.cross_stitch import CrossStitch
from trainlab.models.external_preprocess import normalization_from_weights
from trainlab.models.external_timm import from_timm
from trainlab.models.external_torchvision import from_torchvision
from trainlab.models.heads import MultiHead, task_head
from trainlab.models.mlp import MLP
from trainlab.models.multitask import build_multitask_model
from trainlab.models.soft_sharing import TaskStage, soft_sharing_penalty
from trainlab.models.staging import stage_module

__all__ = [
    "CNN",
    "MLP",
    "CrossStitch",
    "MultiHead",
    "StagedModel",
    "TaskStage",
    "build_model",
    "build_multitask_model",
    "from_timm",
    "from_torchvision",
    "model_from_config",
    "normalization_from_weights",
    "soft_sharing_penalty",
    "stage_module",
    "task_head",
]
