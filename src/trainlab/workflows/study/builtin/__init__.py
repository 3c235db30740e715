"""Built-in studies, shipped as YAML files beside this module.

Example:
    >>> from trainlab.workflows.study.builtin import builtin_studies
    >>> "lecture" in builtin_studies()
    True
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent

#: the study ``trainlab study`` runs when none is given
DEFAULT_STUDY = "lecture"


def builtin_studies() -> dict[str, Path]:
    """Name → path of every built-in study."""
    return {p.stem: p for p in sorted(_HERE.glob("*.yaml"))}


def builtin_study_path(name: str) -> Path | None:
    """The path of the built-in study ``name`` (with or without ``.yaml``), or None."""
    return builtin_studies().get(name.removesuffix(".yaml"))
