"""``trainlab recipes``, ``datasets``, ``components`` and ``show``: what there is to use.

``recipes``, ``datasets`` and ``show`` read YAML files, docstrings and study
stores only, so they answer without importing PyTorch or the data sets'
loaders' dependencies; ``components`` imports the registries, and so PyTorch.

``show NAME`` prints a recipe fully resolved, or a study's definition: NAME is
looked up as a study folder (a folder: its stored definition and trial
counts), a file (a study file when it has ``variants``, else a recipe), a
built-in recipe, then a built-in study; ``--study`` reads NAME as a study.
No built-in recipe shares its name with a built-in study (a test checks it),
so the order only matters for a file or folder of that name in the current
folder.

Example:
    >>> from click.testing import CliRunner
    >>> from trainlab.cli.catalog import datasets, recipes
    >>> "digits" in CliRunner().invoke(datasets).output
    True
    >>> "digits-cnn" in CliRunner().invoke(recipes).output
    True
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import click

from trainlab.cli._common import SET_HELP, load_recipe, set_option

#: a sentence ends at . ! or ? followed by a space and a capital (not "e.g. the", "et al. (")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, whole, with its lines joined.

    Example:
        >>> first_sentence("A net on\\nthe digits (Xiao et al., 2017). Fast. More.")
        'A net on the digits (Xiao et al., 2017).'
    """
    joined = " ".join(text.split())
    return _SENTENCE_END.split(joined, maxsplit=1)[0]


def leading_comment(text: str) -> str:
    """The comment block that opens a YAML file, without the ``#`` marks.

    Example:
        >>> leading_comment("# Tabular: wine.\\n# Small.\\nname: wine-mlp\\n")
        'Tabular: wine.\\nSmall.'
    """
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def listing_row(label: str, text: str) -> str:
    """``label`` then ``text``, wrapped to the terminal with continuation lines under ``text``.

    Example:
        >>> listing_row("wine      ", "Wine: 178 wines.")
        'wine      Wine: 178 wines.'
    """
    width = max(shutil.get_terminal_size().columns, len(label) + 40)
    indent = " " * len(label)
    return textwrap.fill(
        text, width, initial_indent=label, subsequent_indent=indent, break_on_hyphens=False
    )


@click.command()
def recipes() -> None:
    """List the built-in recipes.

    Each with its data set and the first sentence of the comment that opens its file.
    """
    import yaml

    from trainlab.config.recipes import builtin_recipes

    found = builtin_recipes()
    width = max(20, *(len(name) + 2 for name in found))
    for name, path in found.items():
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        about = first_sentence(leading_comment(text))
        click.echo(listing_row(f"{name:<{width}}{data['data']['dataset']:<15}", about))


def option_help(doc: str) -> dict[str, str]:
    """Each argument's text in the ``Args:`` section of a Google-style docstring, joined.

    Example:
        >>> option_help("Load.\\n\\nArgs:\\n    path: the file,\\n        UTF-8.\\n    n: all.")
        {'path': 'the file, UTF-8.', 'n': 'all.'}
    """
    out: dict[str, str] = {}
    current, indent, inside = None, None, False
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped == "Args:":
            inside = True
            continue
        if not inside or not stripped:
            if inside and current is not None and not stripped:
                current = None
            continue
        depth = len(line) - len(line.lstrip())
        indent = depth if indent is None else indent
        match = re.match(r"(\w+)(?: \(.*?\))?: (.*)", stripped)
        if depth == indent and match:
            current = match.group(1)
            out[current] = match.group(2)
        elif depth > indent and current is not None:
            out[current] += " " + stripped
        else:
            break  # the next section (Returns:, Raises:, …)
    return out


def default_text(value: object) -> str:
    """An option's default as a recipe would write it (YAML), or ``required``.

    Example:
        >>> import inspect
        >>> default_text(","), default_text(None), default_text(("", "NA")), default_text(
        ...     inspect.Parameter.empty)
        ("','", 'null', "['', NA]", 'required')
    """
    import inspect

    import yaml

    if value is inspect.Parameter.empty:
        return "required"
    if isinstance(value, tuple):
        value = list(value)
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()
    return text.removesuffix("...").strip()


def option_rows(name: str) -> list[str]:
    """The lines under data set ``name`` in ``trainlab datasets``: each option, its default and
    the first sentence of what it does."""
    import inspect

    from trainlab.data.datasets import dataset_options
    from trainlab.data.datasets.registry import DATASETS

    helps = option_help(inspect.getdoc(DATASETS.get(name)) or "")
    rows = []
    for option, default in dataset_options(name).items():
        said = default_text(default)
        head = f"{option} ({said})" if said == "required" else f"{option} (default {said})"
        about = first_sentence(helps.get(option, "").replace("``", ""))
        rows.append(f"{head}: {about}" if about else head)
    return rows


@click.command()
def datasets() -> None:
    """List the data sets, each with its options (``data.options``) and their defaults."""
    from trainlab.data.datasets import dataset_descriptions

    width = max(shutil.get_terminal_size().columns, 60)
    for name, text in dataset_descriptions().items():
        click.echo(listing_row(f"{name:<16}", text))
        for row in option_rows(name):
            click.echo(
                textwrap.fill(
                    row,
                    width,
                    initial_indent=" " * 18,
                    subsequent_indent=" " * 20,
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )


def show_kind(name: str | None, as_study: bool = False) -> str:
    """What ``trainlab show NAME`` prints: ``"recipe"``, ``"study"`` or ``"folder"``.

    Example:
        >>> show_kind("digits-cnn"), show_kind("lecture"), show_kind(None, as_study=True)
        ('recipe', 'study', 'study')
    """
    from trainlab.config.recipes import builtin_recipe_path
    from trainlab.core.errors import ConfigError
    from trainlab.workflows.study.builtin import builtin_study_path

    if name is None:
        return "study" if as_study else "recipe"
    path = Path(name)
    if path.is_dir():
        return "folder"
    if as_study:
        return "study"
    if path.is_file():
        return "study" if _is_study_file(path) else "recipe"
    if builtin_recipe_path(name) is not None:
        return "recipe"
    if builtin_study_path(name) is not None:
        return "study"
    raise ConfigError(
        f"{name!r}: no such file, study folder, built-in recipe (see `trainlab recipes`) "
        "or built-in study (see `trainlab studies`)"
    )


def _is_study_file(path: Path) -> bool:
    """Whether a YAML file holds a study (a mapping with ``variants``), not a recipe."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the recipe loader reports what is wrong with the file
    return isinstance(data, dict) and "variants" in data


def _width() -> int:
    return shutil.get_terminal_size().columns


def _show_study(name: str | None, overrides: tuple[str, ...]) -> str:
    """A built-in study's or a study file's definition, with ``--set`` in its ``base_set``."""
    from trainlab.cli.study import load_spec
    from trainlab.report.definition import definition_text
    from trainlab.workflows.compare import definition_of

    spec = load_spec(name, None, overrides)
    return definition_text(definition_of(spec), width=_width())


def _show_folder(folder: str, overrides: tuple[str, ...]) -> str:
    """A study folder's stored definition, with how many of its trials have each status."""
    from trainlab.core.errors import ConfigError
    from trainlab.report.definition import definition_text
    from trainlab.report.study_compare import run_text
    from trainlab.workflows.compare import read_study
    from trainlab.workflows.study.store import DB_FILE

    if overrides:
        raise ConfigError(
            f"--set: {folder} is a study folder, whose definition is stored; "
            "--set applies to a recipe or to a study file or built-in study"
        )
    stored = read_study(folder)
    lines = [("folder", folder), ("store", f"{DB_FILE}, schema version {stored.schema_version}")]
    if stored.last_run is not None:
        lines.append(("last run", run_text(stored.last_run)))
    outside = len(stored.trials) - len(stored.planned())
    if outside:
        lines.append(("also stored", f"{outside} trials outside these variants and seeds"))
    return definition_text(stored.definition, counts=stored.counts(), folder=lines, width=_width())


@click.command()
@click.argument("name", required=False, metavar="[RECIPE|STUDY]")
@click.option(
    "--study",
    "as_study",
    is_flag=True,
    help="Read NAME as a study: a built-in study, a study file or a study folder "
    "(default without NAME: the lecture study).",
)
@set_option(SET_HELP + " For a study: its base recipe, as `trainlab study --set`.")
def show(name: str | None, as_study: bool, overrides: tuple[str, ...]) -> None:
    """Print a recipe fully resolved (every default filled in), or a study's definition.

    NAME is a built-in recipe or a recipe file (default: the default recipe), a
    built-in study or a study file (base, seeds, metric, every variant and its
    reference), or a study folder (its stored definition and trial counts).
    """
    kind = show_kind(name, as_study)
    if kind == "recipe":
        click.echo(load_recipe(name, overrides).to_yaml(), nl=False)
    elif kind == "study":
        click.echo(_show_study(name, overrides))
    else:
        click.echo(_show_folder(str(name), overrides))


@click.command()
def components() -> None:
    """List every registered component: data sets, models, init schemes, augmentations, …

    The strategies line is the catalogue's (``trainlab strategies`` shows it in full).
    """
    from trainlab.augment.registry import AUGMENTATIONS
    from trainlab.config.catalogue import ROWS
    from trainlab.data.datasets.registry import DATASETS
    from trainlab.engine.optim import OPTIMIZERS, SCHEDULES
    from trainlab.engine.transfer.plans import TRANSFERS
    from trainlab.models.activations import ACTIVATIONS
    from trainlab.models.init import INITS
    from trainlab.models.registry import MODELS
    from trainlab.preprocess.normalize import NORMALIZERS

    for reg in (
        DATASETS,
        MODELS,
        ACTIVATIONS,
        INITS,
        NORMALIZERS,
        OPTIMIZERS,
        SCHEDULES,
        AUGMENTATIONS,
        TRANSFERS,
    ):
        plural = reg.kind[:-1] + "ies" if reg.kind.endswith("y") else reg.kind + "s"
        note = " (model.name: auto picks one by the data's modality)" if reg is MODELS else ""
        click.echo(f"{plural:<22}{', '.join(reg.names())}{note}")
    built = sorted({row.english for row in ROWS if row.status == "built"})
    click.echo(f"{'strategies':<22}{', '.join(built)} (trainlab strategies WORD)")


#: the commands this module adds to ``trainlab`` (see :mod:`trainlab.cli.main`)
COMMANDS = (recipes, datasets, components, show)
