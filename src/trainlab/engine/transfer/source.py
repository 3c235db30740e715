"""The model a transfer starts from: a trainlab checkpoint, loaded without unpickling.

``transfer.checkpoint`` names a model checkpoint (a run folder's
``model.safetensors``); ``{seed}`` in the path is replaced by the run's seed,
so a study can pair every seed with its own base model. Everything that can be
wrong with the file (a pickle, not ours, truncated, not a model, no such
member) is a :class:`~trainlab.core.errors.CheckpointError` naming the file.

Example:
    >>> import tempfile, pathlib
    >>> from trainlab.config.recipe import ModelConfig
    >>> from trainlab.models import build_model
    >>> from trainlab.io.model_file import save_model
    >>> from trainlab.engine.transfer.source import load_source
    >>> m = build_model(ModelConfig(name="mlp", widths=[16, 8]), (13,), 3)  # a run's model
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.safetensors"
    >>> meta = {"kind": "model", "model": m.config, "members": 1, "classes": ["a", "b", "c"]}
    >>> save_model(path, [m], meta)
    >>> src = load_source(path)
    >>> src.stage_names, len(src.classes)
    (['stage1', 'stage2'], 3)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.core.errors import CheckpointError
from trainlab.engine.transfer.copy import copy_stages
from trainlab.io.model_file import load_model
from trainlab.models import StagedModel


@dataclass
class TransferSource:
    """One member of a trained model, with its checkpoint's metadata."""

    path: Path
    model: StagedModel
    meta: dict[str, Any]
    sha256: str

    @property
    def stage_names(self) -> list[str]:
        return self.model.stage_names

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.meta.get("classes") or []]

    @property
    def preprocess(self) -> dict[str, Any] | None:
        return self.meta.get("preprocess")

    def copy_into(
        self,
        model: StagedModel,
        n: int,
        *,
        head: bool,
        text: Any = None,
        seed: int = 0,
    ) -> tuple[list[str], dict[str, Any]]:
        """Copy the first ``n`` stages (and the head if ``head``) into ``model``; their names.

        ``text`` and ``seed`` serve word vectors (:mod:`.vectors`); a model copies its stages.
        """
        copied = copy_stages(model, self.model, n, head=head, where=f"checkpoint {self.path}")
        return copied, {}

    def describe(self) -> dict[str, Any]:
        """Provenance saved with the new model: file, hash, architecture."""
        return {
            "checkpoint": str(self.path),
            "sha256": self.sha256,
            "model": self.model.config,
            "stages": self.stage_names,
            "classes": self.classes,
        }


def checkpoint_path(template: str, seed: int) -> Path:
    """``transfer.checkpoint`` with ``{seed}`` replaced; a run folder stands for its model."""
    path = Path(template.replace("{seed}", str(seed)))
    return path / "model.safetensors" if path.is_dir() else path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_source(path: str | Path, member: int = 0) -> TransferSource:
    """Load member ``member`` of the model checkpoint at ``path``."""
    path = Path(path)
    models, meta = load_model(path)
    if member >= len(models):
        raise CheckpointError(
            f"checkpoint {path}: transfer.member {member}, but it holds "
            f"{len(models)} member{'s' if len(models) > 1 else ''}"
        )
    return TransferSource(path, models[member], meta, _sha256(path))
