"""``trainlab run --nproc N``: one run on N processes, started the way ``torchrun`` starts them.

:func:`launch_run` starts ``trainlab run`` on ``nproc`` processes per machine
through PyTorch's elastic launcher, the engine behind ``torchrun``
(``torch.distributed.launcher.api.elastic_launch``), each of them a rank of
one DistributedDataParallel run (:mod:`trainlab.engine.distributed`). On one
machine it rendezvouses on a free local port (``torchrun --standalone``); on
several, every machine runs the same command with ``nnodes`` and the
rendezvous address ``rdzv`` (``HOST:PORT`` of the first machine).

It watches the ranks instead of letting ``torchrun`` print its report: a rank
that stops on bad input leaves its one-line message in a file that the
launcher prints (exit status 2), and a rank that dies (killed, out of memory)
is one line naming the rank and how to resume the run from the checkpoint of
its last complete epoch (exit status 2).

Example:
    >>> from trainlab.workflows.launch import child_arguments
    >>> child_arguments("wine-mlp", ["train.epochs=2"], out_dir="runs", name="w", quiet=True)
    ['run', 'wine-mlp', '--set', 'train.epochs=2', '--out-dir', 'runs', '--name', 'w', '-q']
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from trainlab.core.cpus import cpu_count
from trainlab.core.errors import ConfigError

#: where a rank started by :func:`launch_run` leaves its one-line error (``rank-R``)
ERRORS_ENV = "TRAINLAB_RANK_ERRORS"


@dataclass(frozen=True)
class LaunchOutcome:
    """How a launched run ended.

    Attributes:
        status: the exit status for the command (0: done; 2: bad input or a rank died).
        message: the one line to print, or "" when the run finished.
    """

    status: int
    message: str = ""


def child_arguments(
    recipe: str | None,
    overrides: list[str],
    *,
    out_dir: str,
    name: str | None = None,
    resume: str | None = None,
    lang: str | None = None,
    quiet: bool = False,
) -> list[str]:
    """The ``trainlab run`` arguments each rank is started with."""
    args = ["run"]
    if recipe:
        args.append(recipe)
    for item in overrides:
        args += ["--set", item]
    args += ["--out-dir", out_dir]
    if name:
        args += ["--name", name]
    if resume:
        args += ["--resume", resume]
    if lang:
        args += ["--lang", lang]
    if quiet:
        args.append("-q")
    return args


def check_launch(nproc: int, nnodes: int, rdzv: str | None) -> None:
    """One line for a process count or rendezvous that cannot start a run."""
    if nproc < 1:
        raise ConfigError(f"--nproc {nproc}: expected at least 1 process per machine")
    if nnodes < 1:
        raise ConfigError(f"--nnodes {nnodes}: expected at least 1 machine")
    if nnodes > 1 and not rdzv:
        raise ConfigError(
            f"--nnodes {nnodes}: give the first machine's address as --rdzv HOST:PORT "
            "(the same on every machine)"
        )
    if rdzv is not None and (":" not in rdzv or not rdzv.rsplit(":", 1)[1].isdigit()):
        raise ConfigError(f"--rdzv {rdzv}: expected HOST:PORT, e.g. node0:29400")


def launch_run(
    args: list[str],
    *,
    nproc: int,
    partial: Path | None,
    nnodes: int = 1,
    rdzv: str | None = None,
    rdzv_id: str = "trainlab",
) -> LaunchOutcome:
    """Start ``trainlab run ARGS`` as ``nproc`` ranks on this machine and wait for them.

    Args:
        args: each rank's ``trainlab`` arguments (:func:`child_arguments`).
        nproc: processes on this machine.
        partial: the run's partial folder (for the resume hint), when known here.
        nnodes: machines taking part (each runs this same command).
        rdzv: ``HOST:PORT`` of the rendezvous (several machines; None: this one).
        rdzv_id: the run's rendezvous id, the same on every machine.
    """
    check_launch(nproc, nnodes, rdzv)
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    logging.getLogger("torch.distributed").setLevel(logging.CRITICAL)  # the launcher reports
    config = LaunchConfig(
        min_nodes=nnodes,
        max_nodes=nnodes,
        nproc_per_node=nproc,
        run_id=rdzv_id if rdzv else str(uuid.uuid4()),
        rdzv_backend="c10d",
        rdzv_endpoint=rdzv or "localhost:0",
        max_restarts=0,
        monitor_interval=0.2,
        start_method="spawn",
    )
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, cpu_count() // nproc)))
    # c10d's C++ warnings (a peer's closed connection, said by every survivor) stay quiet
    os.environ.setdefault("TORCH_CPP_LOG_LEVEL", "ERROR")
    with tempfile.TemporaryDirectory(prefix="trainlab-ranks-") as errors:
        os.environ[ERRORS_ENV] = errors
        try:
            elastic_launch(config, sys.executable)("-m", "trainlab.cli", *args)
        except ChildFailedError as exc:
            return _failed(exc, Path(errors), nproc, partial)
        except (SignalException, KeyboardInterrupt):
            return LaunchOutcome(130, f"interrupted; {_resume_hint(partial, nproc)}")
        finally:
            os.environ.pop(ERRORS_ENV, None)
    return LaunchOutcome(0)


def _failed(exc: object, errors: Path, nproc: int, partial: Path | None) -> LaunchOutcome:
    """The outcome of a failed launch: a rank's own message (bad input), else which rank
    died first, and how (the ranks the launcher stopped after it come last)."""
    from trainlab.engine.distributed import PEER_LOST

    reacted = set()  # ranks that stopped because another one did
    for path in sorted(errors.glob("rank-*[0-9]"), key=lambda p: int(p.name.split("-")[1])):
        status, _, message = path.read_text(encoding="utf-8").partition(" ")
        if not message.startswith(PEER_LOST):
            return LaunchOutcome(int(status), message.strip())
        reacted.add(int(path.name.split("-")[1]))
    failures = getattr(exc, "failures", None) or {}
    if not failures:
        return LaunchOutcome(2, f"a rank stopped; {_resume_hint(partial, nproc)}")
    # the first to fail of the ranks that did not merely react: stopped by the launcher
    # (SIGTERM), or aborted by the C++ runtime when their connection to it broke (SIGABRT)
    followers = (-signal.SIGTERM, -signal.SIGABRT)

    def cause(r: int) -> tuple[bool, float, int]:
        return (r in reacted or failures[r].exitcode in followers, failures[r].timestamp, r)

    rank = min(failures, key=cause)
    said = _last_line(errors / f"rank-{rank}.log")
    how = _how_it_ended(failures[rank].exitcode) + (f" ({said})" if said else "")
    return LaunchOutcome(2, f"rank {rank} of {nproc} {how}; {_resume_hint(partial, nproc)}")


def _last_line(log: Path) -> str:
    """The last line a secondary rank wrote (the error of its traceback), or ""."""
    if not log.is_file():
        return ""
    lines = [ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln]
    return lines[-1][:160] if lines else ""


def _how_it_ended(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"died (signal {signal.Signals(-code).name})"
        except ValueError:
            return f"died (signal {-code})"
    return f"stopped with exit status {code}" if code is not None else "stopped"


def _resume_hint(partial: Path | None, nproc: int) -> str:
    if partial is not None and partial.is_dir():
        return (
            "the run so far is kept; continue it with: "
            f"trainlab run --resume {partial} --nproc {nproc}"
        )
    return "no run folder was kept"


def quiet_secondary_rank() -> None:
    """In a rank other than 0 started by :func:`launch_run`, send standard output and
    error to ``rank-R.log`` beside the error files: rank 0 speaks for the run, and a
    rank that stops because another one failed says nothing on the terminal."""
    errors, rank = os.environ.get(ERRORS_ENV), os.environ.get("RANK", "0")
    if not errors or rank == "0":
        return
    log = os.open(Path(errors) / f"rank-{rank}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


def say_rank_error(message: str, status: int) -> bool:
    """In a rank started by :func:`launch_run`, leave ``message`` for the launcher
    (which prints it once) and return True; elsewhere return False."""
    errors = os.environ.get(ERRORS_ENV)
    if not errors or "RANK" not in os.environ:
        return False
    path = Path(errors) / f"rank-{os.environ['RANK']}"
    path.write_text(f"{status} {message}\n", encoding="utf-8")
    return True
