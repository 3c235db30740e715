"""Import other people's pretrained models (torchvision, timm) as trainlab model files.

Example:
    >>> from trainlab.workflows.model_import import import_model
    >>> path = import_model("torchvision:resnet18", "resnet18.safetensors")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from trainlab.io.model_file import MODEL_FILE, save_model
from trainlab.models.external import load_external


def import_model(source: str, out: str | Path, *, download: bool = False) -> Path:
    """Write a trainlab model checkpoint of ``source``'s pretrained model, for transfer.

    The checkpoint holds the staged model's weights and the metadata of a
    trained trainlab model: ``kind`` "model", the model config and stages, one
    member, the preprocessing read from the weights' metadata, the class names,
    and where it came from (``source``); ``data`` and ``metrics`` are empty and
    ``recipe`` is None. :func:`trainlab.io.model_file.load_model` loads it back.

    Args:
        source: ``torchvision:ARCH[:WEIGHTS]`` (``torchvision:resnet18``) or ``timm:NAME``
            (``timm:resnet18.a1_in1k``).
        out: the checkpoint file, or a folder to write ``model.safetensors`` in.
        download: fetch missing weights (otherwise a missing file is an error).

    Returns:
        The checkpoint's path.

    Example:
        >>> path = import_model("torchvision:resnet18", "resnet18.safetensors")  # doctest: +SKIP
        >>> from trainlab.io.model_file import load_model  # doctest: +SKIP
        >>> models, meta = load_model(path)  # doctest: +SKIP
        >>> meta["classes"][0], meta["preprocess"]["image"]["size"]  # doctest: +SKIP
        ('tench', [224, 224])
    """
    ext = load_external(source, download=download)
    path = Path(out)
    if path.is_dir():
        path = path / MODEL_FILE
    meta = {
        "kind": "model",
        "model": ext.model.config,
        "stages": ext.model.stage_names,
        "members": 1,
        "preprocess": ext.preprocess,
        "classes": ext.classes,
        "data": {},
        "recipe": None,
        "metrics": {},
        "source": ext.source,
    }
    save_model(path, [ext.model], meta)
    return path
