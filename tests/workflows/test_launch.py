"""The launcher's one line: which rank's message, or which rank died first, and how."""

from __future__ import annotations

import signal
from dataclasses import dataclass

import pytest

from trainlab.core.errors import ConfigError
from trainlab.engine.distributed import PEER_LOST
from trainlab.workflows.launch import _failed, check_launch, child_arguments


@dataclass
class Failure:  # the fields of torch's ProcessFailure that the launcher reads
    exitcode: int
    timestamp: int = 0


@dataclass
class Failed:  # torch's ChildFailedError: global rank → failure
    failures: dict


def test_a_rank_s_own_message_wins_over_how_the_others_ended(tmp_path) -> None:
    (tmp_path / "rank-1").write_text(f"2 {PEER_LOST} (gloo)\n")
    (tmp_path / "rank-0").write_text("2 data.options.path: no such file\n")
    out = _failed(Failed({0: Failure(2), 1: Failure(2)}), tmp_path, 2, None)
    assert (out.status, out.message) == (2, "data.options.path: no such file")


def test_the_rank_that_died_is_named_not_those_that_followed_it(tmp_path) -> None:
    (tmp_path / "rank-0").write_text(f"2 {PEER_LOST} (Connection closed by peer)\n")
    partial = tmp_path / ".r.partial"
    partial.mkdir()
    failures = {
        0: Failure(2, timestamp=5),  # stopped on a lost peer
        1: Failure(-signal.SIGABRT, timestamp=5),  # aborted by the C++ runtime after it
        2: Failure(-signal.SIGKILL, timestamp=6),  # the one that died
        3: Failure(-signal.SIGTERM, timestamp=4),  # stopped by the launcher
    }
    out = _failed(Failed(failures), tmp_path, 4, partial)
    assert out.status == 2
    assert out.message.startswith("rank 2 of 4 died (signal SIGKILL); the run so far is kept")
    assert out.message.endswith(f"trainlab run --resume {partial} --nproc 4")


def test_a_crash_of_a_secondary_rank_says_its_last_line(tmp_path) -> None:
    (tmp_path / "rank-1.log").write_text("Traceback ...\nMemoryError: out of memory\n")
    out = _failed(Failed({1: Failure(1)}), tmp_path, 2, None)
    assert out.message == (
        "rank 1 of 2 stopped with exit status 1 (MemoryError: out of memory); "
        "no run folder was kept"
    )


def test_each_rank_gets_the_command_s_own_arguments() -> None:
    args = child_arguments(None, [], out_dir="o", resume="o/.r.partial", lang="es")
    assert args == ["run", "--out-dir", "o", "--resume", "o/.r.partial", "--lang", "es"]


@pytest.mark.parametrize(
    ("nproc", "nnodes", "rdzv", "said"),
    [(0, 1, None, "--nproc 0"), (2, 0, None, "--nnodes 0"), (2, 1, "host:port", "HOST:PORT")],
)
def test_a_launch_that_cannot_start(nproc, nnodes, rdzv, said) -> None:
    with pytest.raises(ConfigError, match=said):
        check_launch(nproc, nnodes, rdzv)
