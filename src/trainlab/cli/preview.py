"""``trainlab augment-preview``: a PNG grid of a recipe's augmentations (audio: and WAV files).

The recipe is validated before the preview (PyTorch, matplotlib) is imported.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.preview import augment_preview_cmd
    >>> result = CliRunner().invoke(augment_preview_cmd, ["--set", "augment=[{rotation: 3}]"])
    >>> "needs a name" in str(result.exception)
    True
"""

from __future__ import annotations

from pathlib import Path

import click

from trainlab.cli._common import load_recipe, set_option


@click.command("augment-preview")
@click.argument("recipe", required=False)
@set_option()
@click.option("--rows", default=4, show_default=True, type=click.IntRange(1, 32))
@click.option("--draws", default=6, show_default=True, type=click.IntRange(1, 32))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--out", default="augment-preview.png", show_default=True, type=click.Path())
def augment_preview_cmd(
    recipe: str | None, overrides: tuple[str, ...], rows: int, draws: int, seed: int, out: str
) -> None:
    """Write a PNG grid of RECIPE's augmentations: originals and random draws."""
    r = load_recipe(recipe, overrides)
    from trainlab.workflows.preview import augment_preview

    wavs = Path(out).with_name(f"{Path(out).stem}-wav")  # audio: the clips, to listen to
    before = wavs.stat().st_mtime_ns if wavs.is_dir() else None
    path = augment_preview(r, out, rows=rows, draws=draws, seed=seed)
    if path.suffix == ".txt":  # text: the texts before and after, here too
        click.echo(path.read_text(encoding="utf-8"), nl=False)
    written = wavs.is_dir() and wavs.stat().st_mtime_ns != before
    also = f" and the WAV files in {wavs}" if written else ""
    click.echo(f"trainlab: wrote {path}{also}")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (augment_preview_cmd,)
