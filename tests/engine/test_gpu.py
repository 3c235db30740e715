"""The CUDA path: automatic device choice, bfloat16 autocast, checkpoints that load on a CPU."""

import pytest
import torch

from trainlab.engine.loop import resolve_device
from trainlab.io.model_file import load_model
from trainlab.workflows.evaluate import evaluate_checkpoint
from trainlab.workflows.run import run_recipe

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]


def test_auto_device_is_cuda():
    assert resolve_device("auto").type == "cuda"


def test_cuda_run_with_mixed_precision_loads_on_cpu(tiny_digits, tmp_path):
    r = tiny_digits.override({"train.device": "auto", "train.amp": "auto"})
    result = run_recipe(r, out_dir=tmp_path)
    assert next(result.models[0].parameters()).device.type == "cuda"
    assert result.metrics["test_acc"] > 0.3
    models, _ = load_model(result.folder / "model.safetensors")
    assert next(models[0].parameters()).device.type == "cpu"
    cpu = evaluate_checkpoint(result.folder / "model.safetensors", overrides=["train.device=cpu"])
    # bfloat16 autocast on the GPU against float32 on the CPU: same model, close scores
    assert abs(cpu["acc"] - result.metrics["test_acc"]) <= 0.03


def test_nan_loss_detected_on_cuda(tiny_digits, tmp_path):
    from trainlab.core.errors import TrainingDiverged

    r = tiny_digits.override(
        {"optimizer.name": "sgd", "optimizer.lr": 1e8, "model.batch_norm": False, "train.epochs": 3}
    )
    with pytest.raises(TrainingDiverged, match="loss became"):
        run_recipe(r, out_dir=tmp_path, name="nan")
    assert not (tmp_path / "nan").exists()
