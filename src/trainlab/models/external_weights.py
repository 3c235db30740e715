"""Weights files of other people's models, read as plain tensors: never unpickled.

A foreign weights file is a safetensors file or a torch file read with
``torch.load(..., weights_only=True)``, which refuses anything but tensors and
plain containers, so no code in the file runs. torchvision and timm keep
downloaded files in the torch hub cache, ``torch.hub.get_dir()/checkpoints``,
under the name of their URL; a file is fetched only when the caller asks.

Example:
    >>> import tempfile, torch
    >>> from pathlib import Path
    >>> from trainlab.models.external_weights import read_weights
    >>> path = Path(tempfile.mkdtemp()) / "w.pth"
    >>> torch.save({"state_dict": {"w": torch.ones(2)}}, path)
    >>> read_weights(path)["w"].tolist()
    [1.0, 1.0]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

import torch
from torch import nn

from trainlab.core.errors import CheckpointError


def missing_weights(what: str, path: Path | str) -> CheckpointError:
    return CheckpointError(
        f"{what}: weights file {path} is not on disk; pass download=True to fetch it"
    )


def read_weights(path: Path) -> dict[str, torch.Tensor]:
    """A state dict from a safetensors or torch file, without running pickled code."""
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            return load_file(str(path), device="cpu")
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CheckpointError(
            f"weights {path}: cannot be read as plain tensors ({first[:200]}); trainlab "
            "never runs code from a weights file"
        ) from None
    if isinstance(state, Mapping) and isinstance(state.get("state_dict"), Mapping):
        state = state["state_dict"]
    if not isinstance(state, Mapping):
        raise CheckpointError(f"weights {path}: expected a state dict, got {type(state).__name__}")
    return dict(state)


def hub_file(url: str) -> Path:
    """Where ``torch.hub.load_state_dict_from_url`` keeps ``url``'s file."""
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(urlparse(url).path)


def fetch(url: str, path: Path) -> None:
    """Download ``url`` to ``path``, checking the hash prefix its name carries."""
    path.parent.mkdir(parents=True, exist_ok=True)
    match = torch.hub.HASH_REGEX.search(path.name)
    torch.hub.download_url_to_file(url, str(path), match.group(1) if match else None)


def load_state(module: nn.Module, state: Mapping[str, torch.Tensor], path: Path) -> None:
    try:
        module.load_state_dict(state)
    except (KeyError, RuntimeError) as exc:
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 300 else detail[:297] + "..."
        raise CheckpointError(
            f"weights {path}: do not fit {type(module).__name__} ({detail})"
        ) from None
