"""A trained model on disk: every member's weights plus the JSON metadata that rebuilds it.

``model.safetensors`` holds ``member{i}.<parameter>`` tensors and metadata
with ``kind: model``, the architecture (``model``) and its ``stages``, the
number of ``members``, the preprocessing, the class names, the recipe and the
metrics. Loading never unpickles (see :mod:`trainlab.io.checkpoint`).

Example:
    >>> import tempfile, pathlib
    >>> from trainlab.config.recipe import ModelConfig
    >>> from trainlab.models import build_model
    >>> from trainlab.io.model_file import load_model, save_model
    >>> m = build_model(ModelConfig(name="mlp", widths=[4]), (3,), 2)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.safetensors"
    >>> save_model(path, [m], {"kind": "model", "model": m.config, "members": 1})
    >>> models, meta = load_model(path)
    >>> len(models), meta["members"]
    (1, 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainlab.core.errors import CheckpointError
from trainlab.io.checkpoint import load_checkpoint, save_checkpoint
from trainlab.models import StagedModel

#: the model file of a run folder
MODEL_FILE = "model.safetensors"


def save_model(path: Path, models: list[StagedModel], meta: dict[str, Any]) -> None:
    tensors = {f"member{i}.{k}": v for i, m in enumerate(models) for k, v in m.state_dict().items()}
    save_checkpoint(path, tensors, meta)


def load_model(path: str | Path) -> tuple[list[StagedModel], dict[str, Any]]:
    """Models (ensemble members) and metadata of a saved trainlab model."""
    from trainlab.models import model_from_config

    tensors, meta = load_checkpoint(path)
    if meta.get("kind") != "model":
        raise CheckpointError(
            f"checkpoint {path}: holds {meta.get('kind', 'unknown')!r} state, not a model "
            f"(use the run folder's {MODEL_FILE})"
        )
    models = []
    for i in range(int(meta["members"])):
        prefix = f"member{i}."
        state = {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}
        try:
            model = model_from_config(meta["model"])
            _attach_frontend(model, meta["model"].get("frontend"))
            model.load_state_dict(state)
        except (KeyError, RuntimeError, TypeError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0]
            raise CheckpointError(
                f"checkpoint {path}: weights do not fit the architecture ({first})"
            ) from None
        model.eval()
        models.append(model)
    return models, meta


def _attach_frontend(model: StagedModel, config: dict[str, Any] | None) -> None:
    """Give a rebuilt model the front end its config names (an audio model's spectrogram)."""
    if config is None:
        return
    from trainlab.preprocess.audio.frontend import AudioFrontEnd

    model.attach_frontend(AudioFrontEnd.from_config(config), config)
