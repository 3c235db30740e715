"""What the command groups share: the common options, recipe loading and error display.

Every user mistake ends in one line on standard error (``trainlab: error: ...``)
and exit status 2. Nothing here imports more than click at module level, so
``trainlab --help`` and a bad recipe key stay instant; a recipe is loaded and
validated (pydantic and YAML only) before any command imports PyTorch.

Example:
    >>> import click
    >>> from click.testing import CliRunner
    >>> from trainlab.cli._common import set_option
    >>> @click.command()
    ... @set_option()
    ... def echo(overrides):
    ...     click.echo(",".join(overrides))
    >>> CliRunner().invoke(echo, ["--set", "a=1", "-s", "b=2"]).output
    'a=1,b=2\\n'
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from trainlab.config.recipe import Recipe

SET_HELP = "Override a recipe value, e.g. --set model.dropout=0.3 (repeatable)."


def set_option(text: str = SET_HELP):
    """``--set KEY=VALUE`` (repeatable), collected as ``overrides``."""
    return click.option("--set", "-s", "overrides", multiple=True, metavar="KEY=VALUE", help=text)


def out_dir_option(default: str, text: str | None = None):
    """``--out-dir`` with ``default``."""
    return click.option(
        "--out-dir", default=default, show_default=True, type=click.Path(file_okay=False), help=text
    )


def quiet_option(f):
    """``--quiet`` / ``-q``: no progress bar."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(f)


def workers_option(f):
    """``--workers`` / ``-w``: trials run at once."""
    return click.option(
        "--workers",
        "-w",
        default=1,
        show_default=True,
        type=click.IntRange(min=1),
        help="Trials run at once (local processes); the threads of a trial do not change.",
    )(f)


#: the report languages, as :data:`trainlab.engine.diagnose.messages.LANGS` names them (kept
#: here so that parsing the flag imports nothing heavy; a test checks that the two agree)
LANG_CHOICES = ("en", "es")


def lang_option(text: str):
    """``--lang en|es``: the report's language (None when not given)."""
    return click.option(
        "--lang", default=None, type=click.Choice(LANG_CHOICES), help=f"{text} (default: en)."
    )


def fail(message: str, status: int = 2) -> NoReturn:
    """Print ``trainlab: error: message`` on standard error and exit with ``status``
    (in a rank of ``trainlab run --nproc``, leave it for the launcher to print once)."""
    from trainlab.workflows.launch import say_rank_error

    if not say_rank_error(message, status):
        click.echo(f"trainlab: error: {message}", err=True)
    sys.exit(status)


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one line each, without source locations (a ``warnings.showwarning``)."""
    text = str(message).replace("\n", " ")
    click.echo(f"trainlab: warning: {text}", err=True)


def load_recipe(recipe: str | None, overrides: tuple[str, ...] | list[str]) -> Recipe:
    """RECIPE (a file or built-in name; default: the default recipe) with ``--set`` applied.

    Without RECIPE, ``--set data.dataset=…`` takes the default recipe to other
    data: its model is then picked by the data's modality (``model.name:
    auto``: an MLP for a CSV file) and the run is named after its data and
    model, unless ``--set`` names them (``model.name``, ``name``). Validation
    needs only pydantic and YAML, so a typo is reported before anything heavy
    is imported.

    Example:
        >>> r = load_recipe(None, ["data.dataset=wine"])
        >>> r.model.name, r.name, load_recipe(None, []).model.name
        ('auto', 'run', 'cnn')
    """
    from trainlab.config.recipe import ModelConfig, Recipe, parse_assignments
    from trainlab.config.recipes import DEFAULT_RECIPE

    base = Recipe.load(recipe or DEFAULT_RECIPE)
    pairs = parse_assignments(list(overrides))
    if recipe is None and _sets_dataset(pairs):
        default_name = Recipe.model_fields["name"].default
        base = base.override({"model.name": ModelConfig.AUTO, "name": default_name})
    return base.override(list(overrides))


def _sets_dataset(pairs: dict[str, Any]) -> bool:
    """Whether ``--set`` names the data set (``data.dataset``, or a whole ``data`` mapping)."""
    data = pairs.get("data")
    return "data.dataset" in pairs or (isinstance(data, dict) and "dataset" in data)


def parse_seeds(text: str) -> list[int]:
    """``"0,1,2"`` → ``[0, 1, 2]``; anything else is a one-line ``ConfigError``.

    Example:
        >>> parse_seeds("0, 1,2")
        [0, 1, 2]
    """
    from trainlab.core.errors import ConfigError

    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ConfigError(f"--seeds {text!r}: expected integers separated by commas") from None
