"""Instant answers: --help, the listings and a bad recipe or study never import PyTorch.

Each command runs in a fresh interpreter (``python -c`` calling
``trainlab.cli.main``), which then reports the heavy modules it holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import trainlab

#: what a listing, --help or a bad recipe must not import
HEAVY = ("torch", "sklearn", "scipy", "matplotlib", "PIL", "mlxtend", "mnist1d")

_PROBE = f"""
import sys
from trainlab.cli import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as e:
    code = e.code
print("heavy:", ",".join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)
sys.exit(code)
"""


def _run(*args: str, cwd: Path) -> tuple[int, str, list[str]]:
    """(exit status, standard error without the probe's line, heavy modules imported)."""
    env = {**os.environ, "PYTHONPATH": str(Path(trainlab.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, cwd=cwd
    )
    *rest, last = done.stderr.strip().splitlines()
    assert last.startswith("heavy:"), done.stderr
    heavy = [m for m in last.removeprefix("heavy:").strip().split(",") if m]
    return done.returncode, "\n".join(rest), heavy


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["show"],
        ["show", "wine-mlp", "--set", "model.dropout=0.25"],
        ["show", "lecture"],
        ["show", "--study", "tabular", "--set", "train.epochs=2"],
        ["compare", "--help"],
        ["recipes"],
        ["datasets"],
        ["studies"],
    ],
)
def test_answers_without_heavy_imports(tmp_path, args):
    code, err, heavy = _run(*args, cwd=tmp_path)
    assert code == 0, err
    assert heavy == [], f"trainlab {' '.join(args)} imported {heavy}"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "--set", "model.nosuch=1"], "model.nosuch"),
        (["run", "{empty}"], "empty"),
        (["run", "{comments}"], "empty"),
        (["run", "wine-mlp", "--set", "train.epochs"], "KEY=VALUE"),
        (["study", "--set", "model.nosuch=1"], "model.nosuch"),
        (["study", "--seeds", "a,b"], "--seeds"),
        (["study", "{empty}"], "empty"),
        (["transfer-study", "--set", "model.nosuch=1"], "model.nosuch"),
        (["augment-preview", "--set", "model.nosuch=1"], "model.nosuch"),
        (["evaluate", "model.safetensors", "--set", "nonsense"], "KEY=VALUE"),
        (["compare", "nosuch-a", "nosuch-b"], "nosuch-a"),
        (["compare", "{empty}", "{comments}"], "is a file"),
        (["show", "nosuch"], "nosuch"),
    ],
)
def test_bad_recipe_or_study_fails_before_heavy_imports(tmp_path, args, fragment):
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "comments.yaml").write_text("# a recipe, one day\n\n")
    args = [
        a.format(empty=tmp_path / "empty.yaml", comments=tmp_path / "comments.yaml") for a in args
    ]
    code, err, heavy = _run(*args, cwd=tmp_path)
    assert code == 2, err
    assert err.startswith("trainlab: error: ") and fragment in err, err
    assert heavy == [], f"trainlab {' '.join(args)} imported {heavy} before failing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comments.yaml", "empty.yaml"]


def test_seed_advice_reads_the_store_without_pytorch(tmp_path):
    """`study --seeds-for` is statistics over stored results: no torch, no matplotlib."""
    import yaml

    from studykit import make_study, spec_dict

    spec = spec_dict()
    values = {
        (v, s): 0.9 + s / 100 + (v == "dropout") / 50 for v in spec["variants"] for s in (0, 1, 2)
    }
    make_study(tmp_path / "studies" / "demo", values, spec=spec)
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(spec))
    code, err, heavy = _run("study", "demo.yaml", "--seeds-for", "0.5", cwd=tmp_path)
    assert code == 0, err
    assert "torch" not in heavy and "matplotlib" not in heavy, heavy
