"""The ``trainlab`` command group: the command modules it is made of, and error handling.

Each command group lives in its own module (``trainlab.cli.run``, ``.study``,
…) and lists its commands in ``COMMANDS``; :data:`COMMAND_MODULES` is the one
list of those modules. Every user mistake ends in one line on standard error
and exit status 2. Modules import only click at load time, so ``trainlab
--help`` is instant and each command imports what it uses when it runs.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli import cli
    >>> "digits" in CliRunner().invoke(cli, ["datasets"]).output
    True
"""

from __future__ import annotations

import importlib
import sys

import click

from trainlab.cli._common import fail, show_warning
from trainlab.core.errors import PeerLost, TrainlabError

#: the modules under ``trainlab.cli`` whose ``COMMANDS`` make up ``trainlab``
COMMAND_MODULES: tuple[str, ...] = (
    "run",  # run, evaluate
    "predict",  # predict MODEL FILE: one prediction per row of a file
    "study",  # study, studies
    "compare",  # compare A B: two study folders side by side
    "transfer",  # transfer-study, import-model
    "catalog",  # recipes, datasets, components, show
    "preview",  # augment-preview
    "word2vec",  # word2vec: CBOW or skip-gram word vectors, evaluated
    "strategies",  # strategies [WORD]: the lecture's strategies, in Spanish and English
    "tune",  # tune RECIPE --param KEY=KIND:…: Optuna over recipe keys, verified over seeds
)


def _commands() -> list[click.Command]:
    """Every command of every module in :data:`COMMAND_MODULES`."""
    return [
        command
        for name in COMMAND_MODULES
        for command in importlib.import_module(f"trainlab.cli.{name}").COMMANDS
    ]


@click.group(commands=_commands(), context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trainlab")
def cli() -> None:
    """Training strategies for deep learning, side by side, with evidence."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the command, turning user errors into one line and exit 2."""
    from trainlab.workflows.launch import quiet_secondary_rank

    quiet_secondary_rank()  # a rank of ``trainlab run --nproc`` other than 0
    import warnings

    warnings.showwarning = show_warning
    try:
        cli.main(args=argv, prog_name="trainlab", standalone_mode=False)
    except click.UsageError as exc:
        fail(exc.format_message().strip().replace("\n", " "))
    except click.exceptions.Abort:
        fail("aborted", 130)
    except PeerLost as exc:  # a DDP rank whose peer died: its threads cannot be joined
        _exit_now(str(exc))
    except TrainlabError as exc:
        fail(str(exc).replace("\n", " "))
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except OSError as exc:
        if getattr(exc, "filename", None):
            fail(f"{exc.filename}: {exc.strerror}")
        raise


def _exit_now(message: str) -> None:
    """Say ``message`` as :func:`fail` does and leave at once, status 2: a process whose
    DDP peer died holds communication threads that cannot be joined (exiting normally
    would abort in their destructors)."""
    import os

    try:
        fail(message)
    except SystemExit:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(2)


if __name__ == "__main__":
    main()
