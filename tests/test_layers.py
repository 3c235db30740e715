"""The folders are the layers: an import that goes against them fails here.

From the top, each layer may import the ones below it, never those above:

    cli → workflows → report → engine → io → kernels → config → core

The kernels (data, preprocess, augment, models, stats) are independent of each
other, except that data may use preprocess. Imports inside functions count
too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "trainlab"

#: top to bottom; a package's layer is its first folder under src/trainlab
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("workflows",),
    ("report",),
    ("engine",),
    ("io",),
    ("data", "preprocess", "augment", "models", "stats"),
    ("config",),
    ("core",),
)
#: imports allowed between kernels (importer → imported)
KERNEL_EDGES = {("data", "preprocess")}


def _layer(package: str) -> int:
    for i, names in enumerate(LAYERS):
        if package in names:
            return i
    raise AssertionError(f"src/trainlab/{package} is in no layer; add it to LAYERS")


def _module(path: Path) -> list[str]:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path, text: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module name) of every trainlab import in ``path`` (or ``text``)."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    source = path.read_text(encoding="utf-8") if text is None else text
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            if name == "trainlab":  # from trainlab import x: x is the module
                out += [(node.lineno, f"trainlab.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, name))
    return [(line, n) for line, n in out if n == "trainlab" or n.startswith("trainlab.")]


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.parent != SRC)


def _violations(path: Path, text: str | None = None) -> list[str]:
    mine = _module(path)[1]
    out = []
    for line, name in _imports(path, text):
        parts = name.split(".")
        if len(parts) < 2 or parts[1] == "__version__":
            continue  # the root package holds only the version
        theirs = parts[1]
        if theirs == mine:
            continue
        a, b = _layer(mine), _layer(theirs)
        same_kernel_layer = a == b and (mine, theirs) not in KERNEL_EDGES
        if a > b or same_kernel_layer:
            where = path.relative_to(SRC.parent.parent)
            out.append(f"{where}:{line}: {mine} imports {name}")
    return out


def test_every_package_is_in_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    for package in packages:
        _layer(package)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_layers(path: Path) -> None:
    assert _violations(path) == []


def test_the_root_package_imports_nothing_of_trainlab() -> None:
    assert _imports(SRC / "__init__.py") == []


def test_the_check_catches_wrong_imports() -> None:
    """The check itself can fail: upward, lazy, relative and kernel-to-kernel imports."""
    engine = SRC / "engine" / "probe.py"
    lazy = "def f():\n    from trainlab.workflows.run import run_recipe\n"
    assert _violations(engine, lazy) == [
        "src/trainlab/engine/probe.py:2: engine imports trainlab.workflows.run"
    ]
    assert _violations(engine, "from ..report import html\n") == [
        "src/trainlab/engine/probe.py:1: engine imports trainlab.report"
    ]
    models = SRC / "models" / "probe.py"
    assert _violations(models, "import trainlab.data.split\n") == [
        "src/trainlab/models/probe.py:1: models imports trainlab.data.split"
    ]
    data = SRC / "data" / "probe.py"
    assert _violations(data, "from trainlab.preprocess import normalize\n") == []
