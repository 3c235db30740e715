"""The ``trainlab`` command line: one module per command group, thin over the workflows."""

from trainlab.cli.main import cli, main

__all__ = ["cli", "main"]
