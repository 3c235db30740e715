"""``trainlab compare A B``: text, Markdown and JSON, ``--out``, one-line errors, no PyTorch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import trainlab
from studykit import make_study, spec_dict
from trainlab.cli.compare import FORMAT_CHOICES
from trainlab.report.study_compare import FORMATS

VARIANTS = {"baseline": {}, "dropout": {"model.dropout": 0.5}, "l2": {"regularization.l2": 0.01}}


#: per-seed noise of each side (B's differs from A's, so that every difference has a spread)
NOISE_A = {0: 0.004, 1: -0.002, 2: 0.001}
NOISE_B = {0: -0.001, 1: 0.003, 2: 0.0}


@pytest.fixture
def folders(tmp_path):
    """Two runs of one study: B's dropout is clearly higher; B alone has l1; A's l2 lost a seed."""
    a = {(v, s): 0.90 + s / 100 + NOISE_A[s] for v in VARIANTS for s in (0, 1, 2)}
    a[("l2", 2)] = "failed"
    b = {(v, s): 0.90 + s / 100 + NOISE_B[s] for v in VARIANTS for s in (0, 1, 2)}
    b |= {("dropout", s): 0.95 + s / 100 + NOISE_B[s] for s in (0, 1, 2)}
    b |= {("l1", s): 0.9 for s in (0, 1, 2)}
    spec_b = spec_dict(variants={**VARIANTS, "l1": {"regularization.l1": 0.001}})
    run = {"wall_seconds": 75.0, "trials": 9, "workers": 2, "executor": "processes"}
    return (
        make_study(
            tmp_path / "machine-a" / "demo", a, spec=spec_dict(variants=VARIANTS), last_run=run
        ),
        make_study(tmp_path / "machine-b" / "demo", b, spec=spec_b),
    )


def test_format_choices_are_the_reports(cli):
    assert FORMAT_CHOICES == FORMATS


def test_text_shows_both_sides_the_difference_and_the_verdict(cli, folders):
    a, b = folders
    code, out, err = cli("compare", str(a), str(b))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"A  {a}  study demo, 8 of 9 trials done, 1 failed")
    assert "last run 9 trials in 1 min 15 s, 2 workers, processes" in lines[0]
    assert lines[1].startswith(f"B  {b}")
    row = next(ln for ln in lines if ln.startswith("dropout "))
    assert "+5.0 [+3.7, +6.2]" in row and "paired t, 3 seeds" in row and "B higher (better)" in row
    flat = " ".join(out.split())
    assert "Holm correction across 3 comparisons" in flat
    assert "only in B: l1" in lines
    assert "A l2: 1 failed" in flat
    assert "B higher / B lower: the Holm-adjusted p-value is below 0.05" in flat


def test_markdown_and_json(cli, folders, tmp_path):
    a, b = folders
    code, out, _ = cli("compare", str(a), str(b), "--format", "markdown")
    assert code == 0 and out.startswith("# Study comparison: demo (A) and demo (B)")
    assert "| dropout |" in out and "| p Holm |" in out
    code, out, _ = cli("compare", str(a), str(b), "--format", "json")
    data = json.loads(out)
    rows = {r["variant"]: r for r in data["rows"]}
    assert rows["dropout"]["verdict"] == "B higher"
    assert rows["dropout"]["diff"]["method"] == "paired"
    assert rows["dropout"]["shared_seeds"] == [0, 1, 2]
    assert data["only_b"] == ["l1"] and data["correction"] == "holm"
    assert data["comparisons"] == 3 and data["a"]["last_run"]["workers"] == 2


def test_out_writes_the_file_atomically(cli, folders, tmp_path):
    a, b = folders
    dest = tmp_path / "reports" / "compare.md"
    code, out, err = cli("compare", str(a), str(b), "--format", "markdown", "--out", str(dest))
    assert code == 0, err
    assert out.strip() == f"comparison  {dest}"
    assert dest.read_text(encoding="utf-8").startswith("# Study comparison")
    assert sorted(p.name for p in dest.parent.iterdir()) == ["compare.md"]  # no temporary left


def test_correction_and_confidence_options(cli, folders):
    a, b = folders
    code, out, _ = cli("compare", str(a), str(b), "--correction", "none", "--confidence", "0.9")
    flat = " ".join(out.split())
    assert code == 0 and "90% intervals" in flat and "p Holm" not in flat
    assert "no correction" in flat


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        (lambda root: root / "nosuch", ("nosuch", "does not exist")),
        (lambda root: (root / "empty").mkdir() or root / "empty", ("has no study.sqlite",)),
    ],
    ids=["missing", "no-store"],
)
def test_bad_folder_is_one_line_and_exit_2(cli, one_line_error, folders, tmp_path, make, fragments):
    a, _ = folders
    bad = make(tmp_path)
    code, _, err = cli("compare", str(a), str(bad))
    one_line_error(code, err, *fragments)
    code, _, err = cli("compare", str(bad), str(a))
    one_line_error(code, err, *fragments)


def test_different_metrics_are_one_line(cli, one_line_error, folders, tmp_path):
    a, _ = folders
    spec = spec_dict(variants=VARIANTS, metric="test_loss", higher_is_better=False)
    loss = make_study(tmp_path / "loss", {("baseline", 0): 0.3}, spec=spec, metric="test_loss")
    code, _, err = cli("compare", str(a), str(loss))
    one_line_error(code, err, "test_acc", "test_loss", "same metric")


def test_unknown_correction_is_one_line(cli, one_line_error, folders):
    a, b = folders
    code, _, err = cli("compare", str(a), str(b), "--correction", "nosuch")
    one_line_error(code, err, "nosuch")


_PROBE = """
import sys
sys.path.insert(0, {tests!r})
from trainlab.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    assert not e.code, e.code
print("heavy:", ",".join(m for m in ("torch", "matplotlib", "PIL") if m in sys.modules))
"""


def test_compare_imports_no_torch(folders):
    a, b = folders
    tests = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": str(Path(trainlab.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(tests=tests), "compare", str(a), str(b)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "dropout" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "heavy:", done.stdout
