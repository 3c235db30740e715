"""Checkpoints: safetensors weights plus JSON metadata; loading never unpickles.

A checkpoint is one ``.safetensors`` file. Its header's metadata holds, under
the key ``trainlab``, a JSON document: format and version, architecture and
stages, preprocessing statistics, class names, recipe and metrics. Nested
training state (optimizer moments, callback state) is stored the same way: its
tensors flattened into the file, its structure as JSON. A pickle offered as a
checkpoint is refused, never executed.

Example:
    >>> import tempfile, torch
    >>> from pathlib import Path
    >>> from trainlab.io.checkpoint import save_checkpoint, load_checkpoint
    >>> path = Path(tempfile.mkdtemp()) / "m.safetensors"
    >>> save_checkpoint(path, {"w": torch.ones(2)}, {"kind": "model"})
    >>> tensors, meta = load_checkpoint(path)
    >>> tensors["w"].tolist(), meta["kind"]
    ([1.0, 1.0], 'model')
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from trainlab.core.atomic import atomic_path
from trainlab.core.errors import CheckpointError

FORMAT = "trainlab.io.checkpoint"
VERSION = 1
_META_KEY = "trainlab"


def save_checkpoint(path: str | Path, tensors: dict[str, torch.Tensor], meta: dict) -> None:
    """Write ``tensors`` and ``meta`` atomically (temporary file, then rename)."""
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"format": FORMAT, "version": VERSION, **meta}
    clean = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    # safetensors refuses tensors that share memory: give each its own storage
    seen: set[int] = set()
    for k, v in clean.items():
        ptr = v.untyped_storage().data_ptr() if v.numel() else id(v)
        if ptr in seen:
            clean[k] = v.clone()
        seen.add(ptr)
    with atomic_path(path) as tmp:
        save_file(clean, str(tmp), metadata={_META_KEY: json.dumps(header)})


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The JSON metadata of a checkpoint, without reading its tensors."""
    return _open(path, tensors=False)[1]


def load_checkpoint(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Tensors and metadata of a trainlab checkpoint; ``CheckpointError`` otherwise."""
    return _open(path, tensors=True)


def _open(path: str | Path, *, tensors: bool) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    from safetensors import safe_open

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path}: no such file")
    with open(path, "rb") as f:
        head = f.read(16)
    looks_safetensors = head[8:9] == b"{"  # 8-byte header length, then the JSON header
    is_pickle = head[:4] == b"PK\x03\x04" or (
        head[:1] == b"\x80" and head[1:2] in b"\x02\x03\x04\x05"
    )
    if is_pickle and not looks_safetensors:
        raise CheckpointError(
            f"checkpoint {path}: this is a pickle (torch.save) file; trainlab never unpickles "
            "files, since that can run arbitrary code: save the weights with safetensors"
        )
    try:
        with safe_open(str(path), framework="pt") as f:
            raw = (f.metadata() or {}).get(_META_KEY)
            if raw is None:
                raise CheckpointError(
                    f"checkpoint {path}: a safetensors file without trainlab metadata "
                    "(not written by trainlab)"
                )
            out = {k: f.get_tensor(k) for k in f.keys()} if tensors else {}  # noqa: SIM118
    except CheckpointError:
        raise
    except Exception as exc:  # safetensors raises its own error types
        raise CheckpointError(
            f"checkpoint {path}: truncated or corrupt safetensors file ({exc})"
        ) from None
    try:
        meta = json.loads(raw)
    except json.JSONDecodeError:
        raise CheckpointError(f"checkpoint {path}: its metadata is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"checkpoint {path}: not a trainlab checkpoint")
    if int(meta.get("version", 0)) > VERSION:
        raise CheckpointError(
            f"checkpoint {path}: written by a newer trainlab (format version "
            f"{meta.get('version')}, this one reads up to {VERSION})"
        )
    return out, meta


# -- nested state <-> (tensors, JSON) -------------------------------------------
def flatten_state(obj: Any, prefix: str = "s") -> tuple[dict[str, torch.Tensor], Any]:
    """Split a nested state (dicts, lists, tensors, numbers) into tensors and a JSON skeleton.

    Example:
        >>> import torch
        >>> t, skel = flatten_state({"step": 3, "m": torch.zeros(2), 0: [1.5, None]})
        >>> list(t), unflatten_state(skel, t)[0]
        (['s.m'], [1.5, None])
    """
    tensors: dict[str, torch.Tensor] = {}

    def walk(o: Any, key: str) -> Any:
        if isinstance(o, torch.Tensor):
            tensors[key] = o
            return {"__t__": key}
        if isinstance(o, dict):
            return {"__d__": [[k, walk(v, f"{key}.{k}")] for k, v in o.items()]}
        if isinstance(o, (list, tuple)):
            tag = "__l__" if isinstance(o, list) else "__tu__"
            return {tag: [walk(v, f"{key}.{i}") for i, v in enumerate(o)]}
        if o is None or isinstance(o, (bool, int, float, str)):
            return o
        raise TypeError(f"cannot store {type(o).__name__} in a checkpoint")

    return tensors, walk(obj, prefix)


def unflatten_state(skeleton: Any, tensors: dict[str, torch.Tensor]) -> Any:
    """Inverse of :func:`flatten_state`."""
    if isinstance(skeleton, dict):
        if "__t__" in skeleton:
            key = skeleton["__t__"]
            if key not in tensors:
                raise CheckpointError(f"checkpoint: tensor {key!r} is missing")
            return tensors[key]
        if "__d__" in skeleton:
            return {k: unflatten_state(v, tensors) for k, v in skeleton["__d__"]}
        if "__l__" in skeleton:
            return [unflatten_state(v, tensors) for v in skeleton["__l__"]]
        if "__tu__" in skeleton:
            return tuple(unflatten_state(v, tensors) for v in skeleton["__tu__"])
    return skeleton
