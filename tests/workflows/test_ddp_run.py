"""``trainlab run`` on two processes (DDP, gloo): the run one process makes, one
folder written by rank 0, a killed rank reported in one line and resumed.

Without dropout (and without batch normalization) the two ranks' scaled,
averaged gradients are the global batch's, so the stated tolerance is float
rounding: every history value within 1e-5 relative of a single-process run, and
the same test accuracy. With dropout each rank draws its own masks, and the
curves differ as two seeds' would.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trainlab.config.recipe import Recipe
from trainlab.workflows.run import run_recipe

SETS = {"model.dropout": 0.0, "train.epochs": 4, "train.progress": False}
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "trainlab.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=300, **kw)


def _sets(sets: dict) -> list[str]:
    return [a for k, v in sets.items() for a in ("--set", f"{k}={v}")]


def _history(folder: Path) -> list[dict[str, float]]:
    with open(folder / "history.csv", newline="") as f:
        return [{k: float(v) for k, v in row.items() if v} for row in csv.DictReader(f)]


def _agree(ddp: list[dict], alone: list[dict]) -> None:
    assert len(ddp) == len(alone)
    for mine, theirs in zip(ddp, alone, strict=True):
        for key in ("train_loss", "train_acc", "val_loss", "val_acc"):
            assert mine[key] == pytest.approx(theirs[key], rel=1e-5), key


def test_torchrun_with_two_ranks_makes_the_single_process_run(tmp_path) -> None:
    alone = run_recipe(Recipe.load("wine-mlp").override(SETS), out_dir=tmp_path / "alone")
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2"]
    args = ["-m", "trainlab.cli", "run", "wine-mlp", *_sets(SETS)]
    args += ["--out-dir", str(tmp_path / "ddp"), "--name", "two", "-q"]
    done = subprocess.run([*torchrun, *args], capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert sum(ln.strip().startswith("test accuracy") for ln in lines) == 1  # rank 0 speaks
    folder = tmp_path / "ddp" / "two"
    assert sorted(p.name for p in (tmp_path / "ddp").iterdir()) == ["two"]
    _agree(_history(folder), alone.history.rows)
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["test_acc"] == pytest.approx(alone.metrics["test_acc"], abs=1e-9)


def _rank_pid(rank: int, parent: int) -> int | None:
    """The pid of the ``trainlab run`` rank ``rank`` started under ``parent``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        ours = f"RANK={rank}".encode() in environ and b"TRAINLAB_RANK_ERRORS" in b" ".join(environ)
        if ours and _descends(int(entry.name), parent):
            return int(entry.name)
    return None


def _descends(pid: int, parent: int) -> bool:
    while pid > 1:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])
        if pid == parent:
            return True
    return False


@pytest.mark.slow  # about 20 s: two launches on both cores
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_a_killed_rank_is_one_line_and_the_run_resumes_to_the_same_result(tmp_path) -> None:
    sets = {**SETS, "train.epochs": 30, "train.batch_size": 10}
    args = ["run", "wine-mlp", *_sets(sets), "--out-dir", str(tmp_path), "--name", "k", "-q"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainlab.cli", *args, "--nproc", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    partial = tmp_path / ".k.partial"
    deadline = time.monotonic() + 120
    while not (partial / "state.safetensors").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    pid = _rank_pid(1, proc.pid)
    assert pid is not None
    os.kill(pid, 9)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "rank 1 of 2 died (signal SIGKILL)" in err
    assert f"trainlab run --resume {partial} --nproc 2" in err
    resumed = _cli("run", "--resume", str(partial), "--nproc", "2", "-q")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    alone = run_recipe(Recipe.load("wine-mlp").override(sets), out_dir=tmp_path / "alone")
    _agree(_history(tmp_path / "k"), alone.history.rows)


def test_bad_input_on_two_ranks_is_one_line_and_leaves_no_folder(tmp_path) -> None:
    out = tmp_path / "runs"
    done = _cli(
        "run",
        "--nproc",
        "2",
        "--out-dir",
        str(out),
        "--set",
        "data.dataset=csv",
        "--set",
        f"data.options.path={tmp_path / 'none.csv'}",
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "data.options" in done.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--nproc", "0"], "--nproc 0: expected at least 1"),
        (["--nproc", "2", "--nnodes", "2"], "--rdzv HOST:PORT"),
        (["--nproc", "2", "--nnodes", "2", "--rdzv", "node0"], "--rdzv node0: expected HOST:PORT"),
    ],
)
def test_a_launch_that_cannot_start_is_one_line(args, said, tmp_path) -> None:
    done = _cli("run", "wine-mlp", *args, "--out-dir", str(tmp_path))
    assert done.returncode == 2 and said in done.stderr and done.stderr.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_meta_learning_refuses_two_processes(tmp_path) -> None:
    done = _cli("run", "fashion-mnist-protonet", "--nproc", "2", "--out-dir", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "meta-learning runs in one process" in done.stderr
