"""`trainlab study` and `show` on a study that leaves its metric to the task: no data read."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

import trainlab
from studykit import make_study, spec_dict

#: a study file without a metric: its task's primary one is chosen when it runs
RAW = {
    "name": "demo",
    "base": "wine-mlp",
    "seeds": [0, 1, 2],
    "probes": False,
    "variants": {"baseline": {}, "dropout": {"model.dropout": 0.5}},
}

_PROBE = """
import sys
from trainlab.cli import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as e:
    code = e.code
print("torch imported" if "torch" in sys.modules else "no torch", file=sys.stderr)
sys.exit(code)
"""


def _run(*args: str, cwd: Path) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(Path(trainlab.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, cwd=cwd
    )
    return done.returncode, done.stdout, done.stderr


def test_seeds_for_reads_the_chosen_metric_from_the_store_in_its_own_units(tmp_path):
    """A stored regression study (its store chose test_rmse): EFFECT is in RMSE units."""
    stored = spec_dict(metric="test_rmse")
    values = {
        (v, s): 50.0 + s + (v == "dropout") * (2.0 + s / 2)
        for v in RAW["variants"]
        for s in (0, 1, 2)
    }
    make_study(tmp_path / "studies" / "demo", values, spec=stored, metric="test_rmse")
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(RAW))
    code, out, err = _run("study", "demo.yaml", "--seeds-for", "0.5", cwd=tmp_path)
    assert code == 0, err
    assert err.strip().splitlines()[-1] == "no torch"
    head, row = out.splitlines()[:2]
    assert head.split()[-3:] == ["seeds", "for", "0.5"] and "pt" not in out
    assert row.split()[:4] == ["dropout", "baseline", "3", "0.5"]  # sd of Δ in RMSE units


def test_show_says_a_study_without_a_metric_leaves_it_to_its_task(tmp_path):
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(RAW))
    code, out, err = _run("show", "demo.yaml", cwd=tmp_path)
    assert code == 0, err
    assert err.strip().splitlines()[-1] == "no torch"
    assert (
        "metric test_<primary> of the base recipe's task (its own direction), chosen when "
        "the study runs" in " ".join(out.split())
    )
