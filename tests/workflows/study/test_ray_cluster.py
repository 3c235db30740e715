"""A study on a real Ray cluster started here (a head and a worker node, one CPU each):
a worker killed in the middle of a trial means the trial runs again, and the study
ends with every trial the inline executor gives; a dead address is one line."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from netkit import free_port
from trainlab.core.errors import ConfigError
from trainlab.workflows.study.runner import run_study
from trainlab.workflows.study.spec import StudySpec
from trainlab.workflows.study.store import StudyStore

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="the optional package ray is not installed"
)
RAY = str(Path(sys.executable).with_name("ray"))


def _spec_dict(epochs: int, save: bool = False) -> dict:
    return {
        "name": "cluster",
        "base": "wine-mlp",
        "seeds": [0, 1],
        "probes": False,
        "save_models": save,
        "base_set": {"train.epochs": epochs, "train.batch_size": 8, "train.device": "cpu"},
        "variants": {"baseline": {}},
    }


def _spec(epochs: int, save: bool = False) -> StudySpec:
    return StudySpec.from_dict(_spec_dict(epochs, save))


def _trials(folder: Path) -> dict:
    with StudyStore(folder) as store:
        trials = store.trials()
    assert all(t.status == "done" for t in trials), [(t.seed, t.status, t.error) for t in trials]
    return {t.seed: (t.metrics["test_acc"], t.metrics["test_loss"]) for t in trials}


@pytest.fixture(scope="module")
def cluster():
    """``HOST:PORT`` of a Ray head and one worker node on this machine, with token
    authentication as on a real cluster, and the environment a driver needs (the token);
    stopped after. This process never joins it: Ray keeps a process's token for good."""
    if shutil.which(RAY) is None:
        pytest.skip("the ray command is not installed beside this Python")
    port = free_port()
    common = ["--num-cpus=1", "--block", "--disable-usage-stats", "--node-ip-address=127.0.0.1"]
    env = {
        **os.environ,
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    head = subprocess.Popen(
        [RAY, "start", "--head", f"--port={port}", "--include-dashboard=false", *common],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    address = f"127.0.0.1:{port}"
    _wait_for_port("127.0.0.1", port)
    worker = subprocess.Popen(
        [RAY, "start", f"--address={address}", *common],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    time.sleep(3)  # the worker node registers with the head
    yield address, env
    for proc in (worker, head):  # each node's processes, in the session it started
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    current = Path(tempfile.gettempdir()) / "ray" / "ray_current_cluster"  # `ray start` wrote it
    if current.is_file() and current.read_text().strip().endswith(f":{port}"):
        current.unlink()


def _wait_for_port(host: str, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"no Ray head at {host}:{port} after {timeout} s")


def _trial_workers() -> list[int]:
    """Pids of Ray worker processes running a trial now."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"ray::ray_trial_task"):
                pids.append(int(entry.name))
    return pids


@pytest.mark.slow  # about 25 s: a Ray head and worker node, a study on them, then inline
def test_a_worker_killed_mid_trial_is_retried_and_nothing_is_lost(tmp_path, cluster) -> None:
    address, env = cluster
    spec = tmp_path / "cluster.yaml"
    spec.write_text(yaml.safe_dump(_spec_dict(epochs=150, save=True)), encoding="utf-8")
    env = {**env, "PYTHONPATH": str(Path(__file__).parents[3] / "src")}
    cmd = [sys.executable, "-m", "trainlab.cli", "study", str(spec), "--executor", "ray"]
    cmd += ["--address", address, "--out-dir", str(tmp_path / "ray"), "-q"]
    driver = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and driver.poll() is None:
        running = _trial_workers()
        if running:
            time.sleep(2.0)  # in the middle of the trial: its data read, training
            os.kill(running[0], signal.SIGKILL)
            killed = running[0]
        time.sleep(0.1)
    _, err = driver.communicate(timeout=300)
    assert killed is not None, "no trial ran on a Ray worker"
    assert driver.returncode == 0, err[-2000:]
    run_study(_spec(150, save=True), folder=tmp_path / "inline", progress=False, echo=None)
    stored = tmp_path / "ray" / "cluster"
    assert _trials(stored) == _trials(tmp_path / "inline")  # the retried trial's, too
    models = sorted(p.name for p in stored.rglob("*.safetensors"))
    assert len(models) == 2  # sent back to the driver and written beside the store


def test_an_address_where_no_cluster_answers_is_one_line(tmp_path) -> None:
    address = f"127.0.0.1:{free_port()}"
    with pytest.raises(ConfigError, match=f"--address {address}: no Ray cluster answers there"):
        run_study(_spec(1), folder=tmp_path / "s", executor="ray", address=address, echo=None)
    assert not (tmp_path / "s").exists()


def test_an_address_is_for_ray_alone(tmp_path) -> None:
    with pytest.raises(ConfigError, match="add --executor ray"):
        run_study(_spec(1), folder=tmp_path / "s", address="127.0.0.1:6379", echo=None)
    assert not (tmp_path / "s").exists()
