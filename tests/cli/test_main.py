"""The command group: every command module is listed once, and every command is reachable."""

from __future__ import annotations

import importlib
from pathlib import Path

from click.testing import CliRunner

import trainlab.cli
from trainlab.cli import cli
from trainlab.cli.main import COMMAND_MODULES


def test_every_command_module_is_listed():
    here = Path(trainlab.cli.__file__).parent
    modules = {p.stem for p in here.glob("*.py") if not p.stem.startswith("_")} - {"main"}
    assert sorted(COMMAND_MODULES) == sorted(modules)
    assert len(set(COMMAND_MODULES)) == len(COMMAND_MODULES)


def test_help_lists_every_command_once():
    names = [
        c.name
        for m in COMMAND_MODULES
        for c in importlib.import_module(f"trainlab.cli.{m}").COMMANDS
    ]
    assert len(set(names)) == len(names)
    assert sorted(cli.commands) == sorted(names)
    out = CliRunner().invoke(cli, ["--help"]).output
    for name in names:
        assert f"  {name} " in out, name
